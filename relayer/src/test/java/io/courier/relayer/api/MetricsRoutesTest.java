package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.relayer.api.ApiServer.Reply;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.prometheus.metrics.core.metrics.Counter;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MetricsRoutesTest {

    private static final Fixtures.Stored KNOWN = Fixtures.delivered(3);

    private ApiServer server;

    @BeforeEach
    void start() {
        server = new ApiServer(new InMemoryTransferQueries().put(KNOWN.transfer(), KNOWN.history()));
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void servesThePassedInRegistryAsPrometheusText() {
        Counter.builder().name("courier_test_marker_total").help("a metric of the registry under test")
                .register(server.registry).inc(3);

        Reply reply = server.get("/metrics");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.headers().get("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(reply.text()).contains("# TYPE courier_test_marker_total counter", "courier_test_marker_total 3.0");
    }

    @Test
    void aScraperAskingForOpenMetricsGetsTheExemplarsOfLatencySamples() {
        CourierMetrics metrics = new CourierMetrics(server.registry);
        String id = "0x" + "3f1c9a7d".repeat(8);
        new TransferTracing(OpenTelemetry.noop(), metrics)
                .stage(id, "1001->1002", "attest", Instant.EPOCH, Instant.EPOCH.plusMillis(2_500), Attributes.empty(), true);
        String traceId = TransferTracing.traceId(id);

        // as Prometheus asks when exemplar storage is on
        Reply open = server.get("/metrics", Map.of("Accept",
                "application/openmetrics-text;version=1.0.0;q=0.5,text/plain;version=0.0.4;q=0.4,*/*;q=0.1"));
        Reply plain = server.get("/metrics");

        assertThat(open.status()).isEqualTo(200);
        assertThat(open.headers().get("content-type")).startsWith("application/openmetrics-text");
        assertThat(open.text()).containsPattern("courier_transfer_stage_duration_seconds_bucket\\{route=\"1001->1002\",stage=\"attest\","
                + "le=\"5\\.0\"} 1 # \\{span_id=\"[0-9a-f]{16}\",trace_id=\"" + traceId + "\"} 2\\.5");
        assertThat(open.text()).endsWith("# EOF\n");
        assertThat(plain.headers().get("content-type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
        assertThat(plain.text()).contains("courier_transfer_stage_duration_seconds_count").doesNotContain(traceId);
    }

    @Test
    void everyRequestIsCountedByRouteTemplateAndCodeNeverByRawPath() {
        String other = "0x" + "ef".repeat(32);
        server.get("/v1/transfers/" + KNOWN.id());
        server.get("/v1/transfers/" + KNOWN.id());
        server.get("/v1/transfers/" + other);
        server.get("/v1/transfers/0x12");
        server.get("/v1/transfers/" + KNOWN.id() + "/history");
        server.get("/v1/transfers?sourceTx=" + Fixtures.SOURCE_TX + "&chain=1001");
        server.send("POST", "/v1/transfers/" + KNOWN.id());
        server.get("/v1/chains");
        server.get("/healthz");
        server.get("/no/such/" + other);

        String text = server.get("/metrics").text();

        assertThat(text).contains(
                "courier_api_requests_total{code=\"200\",route=\"/v1/transfers/{messageId}\"} 2.0",
                "courier_api_requests_total{code=\"404\",route=\"/v1/transfers/{messageId}\"} 1.0",
                "courier_api_requests_total{code=\"400\",route=\"/v1/transfers/{messageId}\"} 1.0",
                "courier_api_requests_total{code=\"405\",route=\"/v1/transfers/{messageId}\"} 1.0",
                "courier_api_requests_total{code=\"200\",route=\"/v1/transfers/{messageId}/history\"} 1.0",
                "courier_api_requests_total{code=\"200\",route=\"/v1/transfers\"} 1.0",
                "courier_api_requests_total{code=\"200\",route=\"/v1/chains\"} 1.0",
                "courier_api_requests_total{code=\"200\",route=\"/healthz\"} 1.0",
                "courier_api_requests_total{code=\"404\",route=\"unmatched\"} 1.0");
        assertThat(text).as("no raw path or id becomes a label value")
                .doesNotContain(KNOWN.id(), other, "0x12", "/no/such");
        assertThat(server.api.metrics().count("/v1/transfers/{messageId}", 200)).isEqualTo(2);
    }

    @Test
    void scrapesAreCountedToo() {
        server.get("/metrics");

        assertThat(server.get("/metrics").text())
                .contains("courier_api_requests_total{code=\"200\",route=\"/metrics\"} 1.0");
    }
}
