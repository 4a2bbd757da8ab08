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
        awaitPolls(queries, id, polls);
    }

    private static void awaitPolls(InMemoryTransferQueries queries, MessageId id, int polls) throws InterruptedException {
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
    void aStreamOfAnUnknownTransferWaitsWithHeartbeatsThenEndsWithANotFoundEvent() {
        try (ApiServer waiting = new ApiServer(new InMemoryTransferQueries(), new TransferRoutes.EventSettings(
                Duration.ofMillis(50), Duration.ofHours(1), Duration.ofMillis(100), 10, 10, Duration.ofSeconds(1)))) {
            ApiServer.Reply reply = waiting.get("/v1/transfers/0x" + "ef".repeat(32) + "/events");
            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).startsWith("text/event-stream");
            List<String> lines = reply.text().lines().toList();
            assertThat(lines).contains("event:not-found");
            // a heartbeat is an event with empty data (Pekko's ServerSentEvent.heartbeat): it keeps proxies from closing
            // the stream; EventSource dispatches nothing for it
            List<String> data = lines.stream().filter(l -> l.startsWith("data:")).toList();
            assertThat(data.subList(0, data.size() - 1)).as("heartbeats while it waited").isNotEmpty()
                    .allMatch(l -> l.equals("data:"));
            assertThat(data.get(data.size() - 1))
                    .contains(Problem.TRANSFER_NOT_FOUND);
        }
    }

    @Test
    @Timeout(120)
    void aStreamOpenedBeforeTheTransferIsKnownSendsEveryStepFromItsFirstAndEndsDelivered() throws Exception {
        InMemoryTransferQueries later = new InMemoryTransferQueries();
        try (ApiServer fast = new ApiServer(later, new TransferRoutes.EventSettings(Duration.ofMillis(50), Duration.ofHours(1),
                Duration.ofSeconds(15), 10, 10, Duration.ofMinutes(5)))) {
            Fixtures.Stored delivered = Fixtures.delivered(33);
            HttpResponse<Stream<String>> response = HttpClient.newHttpClient().send(
                    HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + fast.port() + "/v1/transfers/" + delivered.id() + "/events"))
                            .timeout(Duration.ofSeconds(60)).build(), HttpResponse.BodyHandlers.ofLines());
            assertThat(response.statusCode()).isEqualTo(200);
            awaitPolls(later, MessageId.fromHex(delivered.id()), 2); // the stream is open and the id still unknown
            later.put(delivered.transfer(), delivered.history()); // the watcher indexed it, all at once
            List<String> statuses = new ArrayList<>();
            List<String> ids = new ArrayList<>();
            for (String line : (Iterable<String>) response.body()::iterator) {
                if (line.startsWith("data:") && line.length() > 5) { // "data:" alone is a heartbeat
                    statuses.add(JSON.readTree(line.substring(5)).get("status").asText());
                } else if (line.startsWith("id:")) {
                    ids.add(line.substring(3).trim());
                }
            }
            // FINALIZED, UNDERPAID, FINALIZED, ATTESTED... recorded between two reads are still one event each
            assertThat(statuses).containsExactly("SENT", "FINALIZED", "UNDERPAID", "FINALIZED", "ATTESTED", "SUBMITTED",
                    "SUBMITTED", "DELIVERED");
            assertThat(ids).containsExactly("1", "2", "3", "4", "5", "6", "7", "8");
        }
    }

    @Test
    void lastEventIdResumesAfterTheEventItNames() {
        Fixtures.Stored delivered = Fixtures.delivered(34);
        queries.put(delivered.transfer(), delivered.history());
        ApiServer.Reply reply = getWith(server, "/v1/transfers/" + delivered.id() + "/events", "Last-Event-ID", "6");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text().lines().filter(l -> l.startsWith("id:"))).containsExactly("id:7", "id:8");

        ApiServer.Reply bad = getWith(server, "/v1/transfers/" + delivered.id() + "/events", "Last-Event-ID", "seven");
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.json().get("detail").asText()).contains("Last-Event-ID");
    }

    @Test
    void aSourceTransactionStreamSendsItsTransfersAndEndsWhenAllAreDone() {
        Fixtures.Stored delivered = Fixtures.delivered(35);
        Fixtures.Stored reorged = Fixtures.reorged(36);
        // a store of their own: every fixture has the same source transaction
        InMemoryTransferQueries own = new InMemoryTransferQueries();
        own.put(delivered.transfer(), delivered.history());
        own.put(reorged.transfer(), reorged.history());
        try (ApiServer server = new ApiServer(own)) {
        ApiServer.Reply reply = server.get("/v1/transfers/events?sourceTx=" + Fixtures.SOURCE_TX + "&chain=1001");
        assertThat(reply.status()).isEqualTo(200);
        List<String> data = reply.text().lines().filter(l -> l.startsWith("data:")).toList();
        // known when the stream opened: each from its current status
        assertThat(data).anySatisfy(d -> assertThat(d).contains(delivered.id()).contains("\"DELIVERED\""));
        assertThat(data).anySatisfy(d -> assertThat(d).contains(reorged.id()).contains("\"REORGED\""));
        assertThat(reply.text().lines().filter(l -> l.startsWith("id:")).reduce((a, b) -> b).orElseThrow())
                .contains(delivered.id() + ":8").contains(reorged.id() + ":2");
        assertThat(server.get("/v1/transfers/events?sourceTx=nope&chain=1001").status()).isEqualTo(400);
        assertThat(server.get("/v1/transfers/events?sourceTx=" + Fixtures.SOURCE_TX).status()).isEqualTo(400);
        }
    }

    private static ApiServer.Reply getWith(ApiServer on, String path, String header, String value) {
        try {
            HttpResponse<byte[]> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + on.port() + path)).header(header, value).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            java.util.Map<String, String> headers = new java.util.LinkedHashMap<>();
            r.headers().map().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), String.join(",", v)));
            return new ApiServer.Reply(r.statusCode(), headers, r.body());
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
