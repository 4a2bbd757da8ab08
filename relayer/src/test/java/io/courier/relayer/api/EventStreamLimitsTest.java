package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Event streams over a real socket: capped per client with 429, capacity comes back when a stream ends; FAILED ends a stream. */
class EventStreamLimitsTest {

    private InMemoryTransferQueries queries;
    private ApiServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private final List<InputStream> open = new ArrayList<>();

    @BeforeEach
    void start() {
        queries = new InMemoryTransferQueries();
        // a server notices a vanished client when a write fails: a short heartbeat makes that quick here
        server = new ApiServer(queries, new TransferRoutes.EventSettings(Duration.ofMillis(200), Duration.ofHours(1),
                Duration.ofMillis(300), 10, 2));
    }

    @AfterEach
    void stop() throws Exception {
        for (InputStream in : open) {
            in.close();
        }
        server.close();
    }

    @Test
    void aClientBeyondItsStreamCapGets429UntilOneOfItsStreamsCloses() throws Exception {
        Fixtures.Stored sent = Fixtures.sent(41, 0); // stays SENT: its streams stay open
        queries.put(sent.transfer(), sent.history());
        String path = "/v1/transfers/" + sent.id() + "/events";

        InputStream first = openStream(path);
        openStream(path);
        ApiServer.Reply third = server.get(path);
        assertThat(third.status()).isEqualTo(429);
        assertThat(third.contentType()).isEqualTo("application/problem+json");
        assertThat(third.headers()).containsKey("retry-after");
        assertThat(third.json().get("detail").asText()).contains("at most 2 per client");

        first.close(); // the server sees the stream end and gives its permit back
        open.remove(first);
        Instant deadline = Instant.now().plusSeconds(20);
        int status = 429;
        while (status == 429 && Instant.now().isBefore(deadline)) {
            HttpResponse<InputStream> again = http.send(request(path), HttpResponse.BodyHandlers.ofInputStream());
            status = again.statusCode();
            if (status == 200) {
                open.add(again.body());
            } else {
                again.body().close();
                Thread.sleep(100);
            }
        }
        assertThat(status).as("a new stream once one was closed").isEqualTo(200);
    }

    @Test
    void aFailedTransferEndsItsStreamWithAFinalEvent() {
        Fixtures.Stored failed = Fixtures.failed(42);
        queries.put(failed.transfer(), failed.history());
        // ends on its own: a FAILED transfer waits for a person, so the stream does not poll for an hour
        ApiServer.Reply reply = server.get("/v1/transfers/" + failed.id() + "/events");
        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.text().lines().filter(l -> l.startsWith("data:"))).hasSize(1);
        assertThat(reply.text()).contains("\"FAILED\"");
    }

    @Test
    void streamsOfOneClientDoNotCountAgainstAnotherTransfer() throws Exception {
        Fixtures.Stored a = Fixtures.sent(43, 0);
        Fixtures.Stored b = Fixtures.sent(44, 0);
        queries.put(a.transfer(), a.history());
        queries.put(b.transfer(), b.history());
        openStream("/v1/transfers/" + a.id() + "/events");
        openStream("/v1/transfers/" + b.id() + "/events");
        // the cap is per client, whatever the transfers: a third stream of this client is refused
        assertThat(server.get("/v1/transfers/" + b.id() + "/events").status()).isEqualTo(429);
    }

    private InputStream openStream(String path) throws Exception {
        HttpResponse<InputStream> response = http.send(request(path), HttpResponse.BodyHandlers.ofInputStream());
        assertThat(response.statusCode()).isEqualTo(200);
        byte[] firstEvent = new byte[16];
        assertThat(response.body().read(firstEvent)).isPositive(); // the stream is really open
        assertThat(new String(firstEvent, StandardCharsets.UTF_8)).containsAnyOf("data:", "event:");
        open.add(response.body());
        return response.body();
    }

    private HttpRequest request(String path) {
        return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).timeout(Duration.ofSeconds(30)).build();
    }
}
