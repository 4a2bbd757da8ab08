package io.courier.oracle.source;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import io.courier.oracle.PriceObservation;
import io.courier.oracle.SourceReading;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The HTTP JSON source against a loopback server whose answer each test sets. */
class HttpJsonPriceSourceTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final String SECRET = "apikey=s3cr3t-DO-NOT-LOG";

    private HttpServer server;
    private final AtomicReference<Integer> status = new AtomicReference<>(200);
    private final AtomicReference<String> body = new AtomicReference<>("{}");
    private final CountDownLatch release = new CountDownLatch(1);
    private volatile boolean hang;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/price", exchange -> {
            if (hang) {
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            byte[] bytes = body.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(status.get(), bytes.length);
            exchange.getResponseBody().write(bytes);
            exchange.close();
        });
        server.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        server.start();
    }

    @AfterEach
    void stop() {
        release.countDown();
        server.stop(0);
    }

    private HttpJsonPriceSource source(String pointer, Duration timeout) {
        URI url = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/price?ids=ethereum&" + SECRET);
        return new HttpJsonPriceSource("ETH", "api", http, url, pointer, timeout, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    private SourceReading read(HttpJsonPriceSource source) throws Exception {
        return source.read().toCompletableFuture().get(20, TimeUnit.SECONDS);
    }

    @Test
    void readsTheNumberAtThePointerAsUsdWithEightDecimals() throws Exception {
        body.set("{\"ethereum\":{\"usd\":3012.345678912}}");

        PriceObservation seen = ((SourceReading.Observed) read(source("/ethereum/usd", Duration.ofSeconds(5)))).observation();

        assertThat(seen.value()).isEqualTo(3012_34567891L);
        assertThat(seen.observedAt()).isEqualTo(NOW);
        assertThat(seen.source()).isEqualTo("api");
    }

    @Test
    void aNumberInAStringIsReadToo() throws Exception {
        body.set("{\"data\":[{\"price\":\" 1.5 \"}]}");

        assertThat(((SourceReading.Observed) read(source("/data/0/price", Duration.ofSeconds(5)))).observation().value())
                .isEqualTo(1_50000000L);
    }

    @Test
    void everyBadAnswerIsAFailedReadingThatNamesTheSourceButNeverTheQuery() throws Exception {
        record Case(int status, String body, String expected) {}
        for (Case c : new Case[] {
                new Case(500, "oops", "HTTP 500"),
                new Case(200, "not json", "not JSON"),
                new Case(200, "{\"ethereum\":{}}", "nothing at /ethereum/usd"),
                new Case(200, "{\"ethereum\":{\"usd\":true}}", "not a number"),
                new Case(200, "{\"ethereum\":{\"usd\":\"n/a\"}}", "not a number")}) {
            status.set(c.status());
            body.set(c.body());

            SourceReading reading = read(source("/ethereum/usd", Duration.ofSeconds(5)));

            assertThat(reading).as(c.toString()).isInstanceOf(SourceReading.Failed.class);
            String error = ((SourceReading.Failed) reading).error();
            assertThat(error).contains(c.expected(), "api", "ETH", "/price?…").doesNotContain("s3cr3t", "ids=");
        }
    }

    @Test
    void aServerThatDoesNotAnswerInTimeIsAFailedReading() throws Exception {
        hang = true;
        HttpJsonPriceSource source = source("/ethereum/usd", Duration.ofMillis(300));

        SourceReading reading = read(source);

        assertThat(reading).isInstanceOf(SourceReading.Failed.class);
        assertThat(((SourceReading.Failed) reading).error()).contains("request failed").doesNotContain("s3cr3t");
        assertThat(source.toString()).doesNotContain("s3cr3t");
    }

    @Test
    void anUnreachableServerIsAFailedReading() throws Exception {
        HttpJsonPriceSource source = source("/ethereum/usd", Duration.ofSeconds(5));
        server.stop(0);

        assertThat(read(source)).isInstanceOf(SourceReading.Failed.class);
    }
}
