package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.relayer.api.ApiServer.Reply;
import io.prometheus.metrics.core.metrics.Counter;
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
