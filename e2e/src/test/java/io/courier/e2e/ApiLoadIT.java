package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The read API cannot starve relaying (issue 9, part 3): the API's Cassandra session gets a tiny budget, and waves
 * of expensive address-page reads (each examines 500 index rows, one read per row) saturate it while transfers are
 * sent. Every transfer is delivered, every read the API could not afford is a 503 problem with Retry-After (never
 * a 500), and the reads that were answered are complete pages. Nothing here asserts a timing; the delivery time
 * under load is printed for the record.
 */
@CassandraTest
class ApiLoadIT {

    /**
     * Concurrent address-page requests per wave, the pause between waves, and the most waves the load makes: it
     * runs until every transfer is delivered, bounded in count (and so in time) whatever happens.
     */
    private static final int WAVE = 16;
    private static final Duration PAUSE = Duration.ofMillis(200);
    private static final int MAX_WAVES = 750;
    private static final String HOT = "0x" + "9e".repeat(20);

    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void relayingDeliversWhileTheApiBudgetIsSaturatedAndRefusedReadsAre503(LocalCassandra db,
            CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("apiload")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.courier(map).put("api", Map.of("host", "127.0.0.1", "port", 0,
                    // the smallest budget allowed: one address page (101 reads at once) fits, two at once do not
                    "cassandra", Map.of("max-requests-in-flight", 4, "max-requests-queued", 124, "request-timeout", "15s"),
                    "address-pages", Map.of("max-rows-examined", 500)));
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC());
                 CqlSession cql = db.newSession(keyspace.name())) {
                seedAddressRows(cql, 600);
                String page = node.apiUrl() + "/v1/transfers?address=" + HOT + "&status=DELIVERED&limit=100";

                Load load = new Load(page);
                Thread loader = new Thread(load::run, "api-load");
                loader.start();
                Instant sentAt = Instant.now();
                List<TokenTraffic.Sent> sent;
                try {
                    sent = net.send(6, 0);
                    RelayNetwork.awaitDelivered(node.transfers(), sent, Duration.ofSeconds(150));
                } finally {
                    load.stop.set(true);
                    loader.join(Duration.ofSeconds(60).toMillis());
                }
                Duration underLoad = Duration.between(sentAt, Instant.now());

                Map<String, Integer> executions = net.executionsOnDestinations();
                for (TokenTraffic.Sent s : sent) {
                    assertThat(executions.get(s.messageId())).as("executions of %s", s.messageId()).isEqualTo(1);
                }
                assertThat(loader.isAlive()).as("the load stopped").isFalse();
                assertThat(load.failures).as("requests that got no answer").isEmpty();
                assertThat(load.statuses.keySet()).as("statuses the API answered").containsAnyOf(503)
                        .allMatch(s -> s == 200 || s == 503);
                for (Refusal r : load.refusals) {
                    assertThat(r.contentType()).isEqualTo("application/problem+json");
                    assertThat(r.retryAfter()).as("Retry-After of %s", r.body()).isNotBlank();
                    assertThat(JSON.readTree(r.body()).path("status").asInt()).isEqualTo(503);
                }
                assertThat(load.refusals).extracting(r -> JSON.readTree(r.body()).path("type").asText())
                        .contains("urn:courier:problem:busy");
                // an answered page examined its 500 rows: none of them is a DELIVERED transfer, and it says where to go on
                for (String body : load.pages) {
                    assertThat(JSON.readTree(body).path("transfers").size()).isZero();
                    assertThat(JSON.readTree(body).path("next").asText()).isNotBlank();
                }

                // once the load is gone the same read is answered again
                HttpResponse<String> after = NodeApi.get(page);
                assertThat(after.statusCode()).isEqualTo(200);
                System.out.printf("api load: %d transfers delivered in %d ms while %d address pages were read "
                                + "(answers by status: %s)%n", sent.size(), underLoad.toMillis(), load.sentCount.get(),
                        load.statuses);
            }
        }
    }

    /** {@code n} index rows of {@link #HOT} in this month that name no transfer: each still costs the page a read. */
    private static void seedAddressRows(CqlSession cql, int n) {
        PreparedStatement insert = cql.prepare(
                "INSERT INTO transfers_by_address (address, month, created_at, message_id) VALUES (?, ?, ?, ?)");
        Instant now = Instant.now();
        String month = YearMonth.now(ZoneOffset.UTC).toString();
        List<CompletableFuture<?>> writes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            ByteBuffer id = ByteBuffer.allocate(32).putInt(28, i + 1).rewind();
            writes.add(cql.executeAsync(insert.bind(HOT, month, now.minusMillis(i), id)).toCompletableFuture());
        }
        CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).join();
    }

    private record Refusal(String contentType, String retryAfter, String body) {}

    /** Waves of concurrent page reads until stopped, at most {@link #MAX_WAVES}; records every answer. */
    private static final class Load {
        final AtomicBoolean stop = new AtomicBoolean();
        final Map<Integer, Integer> statuses = new ConcurrentHashMap<>();
        final ConcurrentLinkedQueue<Refusal> refusals = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<String> pages = new ConcurrentLinkedQueue<>();
        final ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        final AtomicInteger sentCount = new AtomicInteger();
        private final String url;
        private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

        Load(String url) {
            this.url = url;
        }

        void run() {
            for (int wave = 0; wave < MAX_WAVES && !stop.get(); wave++) {
                List<CompletableFuture<?>> inFlight = new ArrayList<>();
                for (int i = 0; i < WAVE; i++) {
                    HttpRequest request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60)).build();
                    sentCount.incrementAndGet();
                    inFlight.add(http.sendAsync(request, HttpResponse.BodyHandlers.ofString()).handle((response, error) -> {
                        if (error != null) {
                            failures.add(error);
                            return null;
                        }
                        statuses.merge(response.statusCode(), 1, Integer::sum);
                        if (response.statusCode() == 200) {
                            pages.add(response.body());
                        } else {
                            refusals.add(new Refusal(response.headers().firstValue("content-type").orElse(""),
                                    response.headers().firstValue("retry-after").orElse(""), response.body()));
                        }
                        return null;
                    }));
                }
                CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
                try {
                    Thread.sleep(PAUSE.toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return;
                }
            }
        }
    }
}
