package io.courier.relayer.api;

import io.courier.chain.message.TxHash;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.chain.message.MessageId;
import io.courier.finality.TransferEvent;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
    @Timeout(120) // a stream that never ends would otherwise hold the build for its hour
    void streamsEveryStatusChangeOnceAndEndsWhenTheTransferIsDelivered() throws Exception {
        Fixtures.Stored sent = Fixtures.sent(31, 0);
        queries.put(sent.transfer(), sent.history());
        HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/v1/transfers/" + sent.id() + "/events"))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("content-type")).contains("text/event-stream");

        // the node moves the transfer on while the client listens, one step after each event the client has read
        // and after the stream has read the unchanged transfer once more (which must not repeat the event):
        // lockstep instead of sleeps, so every status is seen on its own however slowly the machine runs
        List<TransferEvent> moves = List.of(new TransferEvent.Finalized(12), new TransferEvent.Attested(2),
                new TransferEvent.Submitted(TxHash.fromHex(Fixtures.DEST_TX), 3), new TransferEvent.Delivered(TxHash.fromHex(Fixtures.DEST_TX), 77));
        Fixtures.Stored current = sent;
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
                int next = statuses.size() - 1;
                if (next < moves.size()) {
                    awaitPolls(MessageId.fromHex(sent.id()), 2);
                    current = current.then(moves.get(next), Fixtures.T0.plusSeconds(10 + next));
                    queries.put(current.transfer(), current.history());
                }
            }
        }
        assertThat(statuses).containsExactly("SENT", "FINALIZED", "ATTESTED", "SUBMITTED", "DELIVERED");
    }

    /** Waits until the stream has read the transfer {@code polls} more times (the first may be under way). */
    private static void awaitPolls(MessageId id, int polls) throws InterruptedException {
        int target = queries.finds(id) + polls;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (queries.finds(id) < target) {
            assertThat(System.nanoTime()).as("the events stream stopped polling").isLessThan(deadline);
            Thread.sleep(10);
        }
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
}
