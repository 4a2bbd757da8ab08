package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiTracingTest {

    private static final Fixtures.Stored KNOWN = Fixtures.delivered(3);

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final OpenTelemetrySdk sdk = OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .setPropagators(ContextPropagators.create(W3CTraceContextPropagator.getInstance()))
            .build();
    private final ApiServer server = new ApiServer(new InMemoryTransferQueries().put(KNOWN.transfer(), KNOWN.history()),
            api -> api.withTracing(sdk));

    @AfterEach
    void stop() {
        server.close();
        sdk.close();
    }

    @Test
    void eachRequestIsAServerSpanNamedByItsRouteTemplateNeverItsPath() {
        String other = "0x" + "ef".repeat(32);
        server.get("/v1/transfers/" + KNOWN.id());
        server.get("/v1/transfers/" + other);
        server.get("/no/such/" + other);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(3).allSatisfy(s -> assertThat(s.getKind()).isEqualTo(SpanKind.SERVER));
        assertThat(spans).extracting(SpanData::getName)
                .containsExactly("GET /v1/transfers/{messageId}", "GET /v1/transfers/{messageId}", "GET");
        assertThat(spans).extracting(s -> s.getAttributes().get(ApiTracing.STATUS)).containsExactly(200L, 404L, 404L);
        assertThat(spans.get(0).getAttributes().get(ApiTracing.ROUTE)).isEqualTo("/v1/transfers/{messageId}");
        assertThat(spans.get(2).getAttributes().get(ApiTracing.ROUTE)).isNull();
        assertThat(spans).allSatisfy(s -> assertThat(s.getAttributes().asMap().values().toString())
                .doesNotContain(KNOWN.id(), other));
        assertThat(spans).allSatisfy(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET));
    }

    @Test
    void aCallersTraceparentIsContinued() {
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        server.get("/healthz", Map.of("traceparent", "00-" + traceId + "-00f067aa0ba902b7-01"));

        SpanData span = exporter.getFinishedSpanItems().get(0);
        assertThat(span.getTraceId()).isEqualTo(traceId);
        assertThat(span.getParentSpanId()).isEqualTo("00f067aa0ba902b7");
        assertThat(span.getName()).isEqualTo("GET /healthz");
    }
}
