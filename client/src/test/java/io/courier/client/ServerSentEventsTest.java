package io.courier.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    private final List<ServerSentEvents.Event> events = new ArrayList<>();
    private final ServerSentEvents parser = new ServerSentEvents(events::add);

    private void feed(String text) {
        text.lines().forEach(parser::line);
        if (text.endsWith("\n\n")) {
            parser.line(""); // String.lines() drops the trailing empty line a stream's reader would give
        }
    }

    @Test
    void dataLinesJoinCommentsAreSkippedAndABlankLineDispatches() {
        feed(":heartbeat\nevent: status\ndata: {\"a\":\ndata:1}\n\n");

        assertThat(events).containsExactly(new ServerSentEvents.Event(null, "status", "{\"a\":\n1}"));
    }

    @Test
    void theIdCarriesOverAndAnUnnamedEventIsAMessage() {
        feed("id: 7\ndata: x\n\n");
        feed("data: y\n\n");

        assertThat(events).extracting(ServerSentEvents.Event::id, ServerSentEvents.Event::event, ServerSentEvents.Event::data)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("7", "message", "x"),
                        org.assertj.core.groups.Tuple.tuple("7", "message", "y"));
        assertThat(parser.lastEventId()).isEqualTo("7");
    }

    @Test
    void anEventWithoutDataIsNotDispatchedAndItsNameDoesNotLeak() {
        feed("event: status\nretry: 1000\n\n");
        feed("data:z\n\n");

        assertThat(events).containsExactly(new ServerSentEvents.Event(null, "message", "z"));
    }
}
