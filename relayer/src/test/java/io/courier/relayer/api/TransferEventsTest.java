package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.finality.TransferEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code GET /v1/transfers/{id}/events} over a real socket, read line by line as an EventSource would. */
class TransferEventsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static InMemoryTransferQueries queries;
    private static ApiServer server;

    @BeforeAll
    static void start() {
        queries = new InMemoryTransferQueries();
        server = new ApiServer(queries);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void streamsEveryStatusChangeOnceAndEndsWhenTheTransferIsDelivered() throws Exception {
        Fixtures.Stored sent = Fixtures.sent(31, 0);
        queries.put(sent.transfer(), sent.history());
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/transfers/" + sent.id() + "/events"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");

        // the node moves the transfer on while the client listens (the stream polls every second)
        CompletableFuture<Void> moves = CompletableFuture.runAsync(() -> {
            Fixtures.Stored s = sent;
            List<TransferEvent> events = List.of(new TransferEvent.Finalized(12), new TransferEvent.Attested(2),
                    new TransferEvent.Submitted(Fixtures.DEST_TX, 3), new TransferEvent.Delivered(Fixtures.DEST_TX, 77));
            for (int i = 0; i < events.size(); i++) {
                sleep(1_500);
                s = s.then(events.get(i), Fixtures.T0.plusSeconds(10 + i));
                queries.put(s.transfer(), s.history());
            }
        });

        List<String> statuses = new ArrayList<>();
        Iterator<String> lines = response.body().iterator();
        String event = null;
        StringBuilder data = new StringBuilder();
        while (lines.hasNext()) { // ends when the server completes the stream after DELIVERED
            String line = lines.next();
            if (line.startsWith("event:")) {
                event = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data.append(line.substring(5).trim());
            } else if (line.isEmpty() && data.length() > 0) { // a blank line dispatches the event (a heartbeat has no data)
                assertThat(event).isEqualTo("status");
                JsonNode t = JSON.readTree(data.toString());
                assertThat(t.get("messageId").asText()).isEqualTo(sent.id());
                statuses.add(t.get("status").asText());
                event = null;
                data.setLength(0);
            }
        }
        moves.get(10, TimeUnit.SECONDS);
        assertThat(statuses).containsExactly("SENT", "FINALIZED", "ATTESTED", "SUBMITTED", "DELIVERED");
    }

    @Test
    void aTerminalTransferGivesOneEventAndTheStreamEnds() {
        Fixtures.Stored reorged = Fixtures.reorged(32);
        queries.put(reorged.transfer(), reorged.history());
        ApiServer.Reply reply = server.get("/v1/transfers/" + reorged.id() + "/events");
        assertThat(reply.status()).isEqualTo(200);
        String body = new String(reply.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertThat(body.lines().filter(l -> l.startsWith("data:"))).hasSize(1);
        assertThat(body).contains("event:status").contains("\"REORGED\"");
    }

    @Test
    void anUnknownTransferIsAProblemNotAStream() {
        ApiServer.Reply reply = server.get("/v1/transfers/0x" + "ef".repeat(32) + "/events");
        assertThat(reply.status()).isEqualTo(404);
        assertThat(reply.contentType()).isEqualTo("application/problem+json");
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
