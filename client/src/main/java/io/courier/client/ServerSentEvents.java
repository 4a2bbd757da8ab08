package io.courier.client;

import java.util.function.Consumer;

/**
 * A parser of a {@code text/event-stream} (the WHATWG HTML "server-sent events" format), fed one line at a time
 * (without its line terminator). A blank line dispatches the event gathered so far; {@code data:} lines join with
 * {@code \n}; one space after the colon is dropped; comment lines ({@code :heartbeat}) and {@code retry:} are
 * ignored; an event without data is not dispatched. {@code id:} is remembered across events, as the
 * {@code Last-Event-ID} to reconnect with. Not thread-safe: one parser per stream.
 */
public final class ServerSentEvents {

    /** One event: {@code event} is {@code message} when the stream named none. */
    public record Event(String id, String event, String data) {}

    private final Consumer<Event> sink;
    private final StringBuilder data = new StringBuilder();
    private boolean hasData;
    private String event;
    private String lastEventId;

    public ServerSentEvents(Consumer<Event> sink) {
        this.sink = sink;
    }

    public void line(String line) {
        if (line.isEmpty()) {
            dispatch();
            return;
        }
        if (line.startsWith(":")) {
            return; // a comment: the node's heartbeat
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1);
        if (value.startsWith(" ")) {
            value = value.substring(1);
        }
        switch (field) {
            case "data" -> {
                if (hasData) {
                    data.append('\n');
                }
                data.append(value);
                hasData = true;
            }
            case "event" -> event = value;
            case "id" -> {
                if (value.indexOf('\0') < 0) {
                    lastEventId = value;
                }
            }
            default -> { } // retry: and unknown fields are ignored, as the format says
        }
    }

    /** The last {@code id:} seen, or null. */
    public String lastEventId() {
        return lastEventId;
    }

    private void dispatch() {
        if (hasData) {
            sink.accept(new Event(lastEventId, event == null || event.isEmpty() ? "message" : event, data.toString()));
        }
        data.setLength(0);
        hasData = false;
        event = null;
    }
}
