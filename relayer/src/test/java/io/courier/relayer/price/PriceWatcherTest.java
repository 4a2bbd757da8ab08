package io.courier.relayer.price;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpServer;
import io.courier.oracle.AggregatedPrice;
import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import io.courier.oracle.AggregationPolicy;
import io.courier.oracle.NoPriceReason;
import io.courier.oracle.PriceObservation;
import io.courier.oracle.RejectionReason;
import io.courier.oracle.source.HttpJsonPriceSource;
import io.courier.oracle.source.PriceSource;
import io.courier.oracle.source.StaticPriceSource;
import io.courier.relayer.fakes.ActorTestSupport;
import io.courier.relayer.telemetry.CourierMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The poller with two static sources and an HTTP JSON source on a loopback server: a source that jumps 100× is left
 * out and counted, the price stays where the others say; a source that never answers fails alone.
 */
class PriceWatcherTest extends ActorTestSupport {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final AggregationPolicy TWO = new AggregationPolicy(2, Duration.ofMinutes(10), new BigDecimal("0.05"));

    private final AtomicReference<String> answer = new AtomicReference<>("{\"eth\":{\"usd\":3010}}");
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final CourierMetrics metrics = new CourierMetrics(registry);
    private HttpServer server;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/p", exchange -> {
            byte[] body = answer.get().getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stopServer() {
        server.stop(0);
    }

    private PriceSource http() {
        return new HttpJsonPriceSource("ETH", "api", HttpClient.newHttpClient(),
                URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/p?key=secret"), "/eth/usd",
                Duration.ofSeconds(5), CLOCK);
    }

    private static PriceSource fixed(String name, long usd) {
        return new StaticPriceSource("ETH", name, BigInteger.valueOf(usd).multiply(BigInteger.TEN.pow(PriceObservation.USD_DECIMALS)), CLOCK);
    }

    private PriceWatcher.Board start(List<PriceSource> sources, Duration sourceTimeout, ActorRef<PriceWatcher.Command>[] ref) {
        PriceWatcher.Board board = new PriceWatcher.Board();
        ref[0] = kit.spawn(PriceWatcher.manual(new PriceWatcher.Wiring(List.of(new PriceWatcher.Asset("ETH", TWO, sources)),
                Duration.ofHours(1), sourceTimeout, metrics, CLOCK), board));
        return board;
    }

    private static AggregatedPrice pollAndWait(ActorRef<PriceWatcher.Command> watcher, PriceWatcher.Board board,
                                               AggregatedPrice before) {
        watcher.tell(PriceWatcher.Poll.INSTANCE);
        await().until(() -> board.current().get("ETH").orElse(null) != before && board.current().get("ETH").isPresent());
        return board.current().get("ETH").orElseThrow();
    }

    private double rejections(String source, RejectionReason reason) {
        return metrics.oracleRejections.labelValues("ETH", source, reason.label()).get();
    }

    @Test
    void aSourceThatJumpsAHundredfoldIsRejectedAndCountedAndThePriceStaysWithTheOthers() {
        @SuppressWarnings("unchecked")
        ActorRef<PriceWatcher.Command>[] watcher = new ActorRef[1];
        PriceWatcher.Board board = start(List.of(fixed("ops", 3000), fixed("backup", 2990), http()), Duration.ofSeconds(10), watcher);

        AggregatedPrice first = pollAndWait(watcher[0], board, null);
        assertThat(first).isInstanceOf(Price.class);
        assertThat(((Price) first).value()).isEqualTo(3000_00000000L);
        assertThat(((Price) first).sources()).containsExactlyInAnyOrder("ops", "backup", "api");
        assertThat(metrics.oracleSources.labelValues("ETH").get()).isEqualTo(3);
        assertThat(metrics.oracleMinSources.labelValues("ETH").get()).isEqualTo(2);
        assertThat(metrics.oraclePrice.labelValues("ETH", "api").get()).isEqualTo(3010.0);

        answer.set("{\"eth\":{\"usd\":301000}}");
        AggregatedPrice second = pollAndWait(watcher[0], board, first);

        assertThat(second).isInstanceOf(Price.class);
        assertThat(((Price) second).value()).isEqualTo(2995_00000000L); // the median of the two that agree
        assertThat(((Price) second).sources()).containsExactlyInAnyOrder("ops", "backup");
        assertThat(second.rejected()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("api");
            assertThat(r.reason()).isEqualTo(RejectionReason.DEVIATING);
        });
        assertThat(rejections("api", RejectionReason.DEVIATING)).isEqualTo(1.0);
        assertThat(metrics.oracleSources.labelValues("ETH").get()).isEqualTo(2);
        assertThat(metrics.oraclePrice.labelValues("ETH", "api").get()).as("what the source said, for the dashboard")
                .isEqualTo(301000.0);

        AggregatedPrice third = pollAndWait(watcher[0], board, second);
        assertThat(third.rejected()).hasSize(1);
        assertThat(rejections("api", RejectionReason.DEVIATING)).as("counted at every poll").isEqualTo(2.0);
    }

    @Test
    void aSourceThatNeverAnswersFailsAloneAndTooFewSourcesMeanNoPrice() {
        PriceSource silent = new PriceSource() {
            @Override
            public String asset() {
                return "ETH";
            }

            @Override
            public String name() {
                return "silent";
            }

            @Override
            public CompletionStage<PriceObservation> observe() {
                return new CompletableFuture<>(); // never completes
            }
        };
        @SuppressWarnings("unchecked")
        ActorRef<PriceWatcher.Command>[] watcher = new ActorRef[1];
        PriceWatcher.Board board = start(List.of(fixed("ops", 3000), silent), Duration.ofMillis(200), watcher);

        AggregatedPrice result = pollAndWait(watcher[0], board, null);

        assertThat(result).isInstanceOf(NoPrice.class);
        assertThat(((NoPrice) result).reason()).isEqualTo(NoPriceReason.TOO_FEW_SOURCES);
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.source()).isEqualTo("silent");
            assertThat(r.reason()).isEqualTo(RejectionReason.FAILING);
        });
        assertThat(rejections("silent", RejectionReason.FAILING)).isEqualTo(1.0);
        assertThat(metrics.oracleSources.labelValues("ETH").get()).isZero();
    }
}
