package io.courier.testkit.otlp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Scope;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class OtlpReceiverTest {

    @Test
    void keepsWhatTheSdkExporterSendsWithParentsAttributesAndResource() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            OtlpHttpSpanExporter exporter = OtlpHttpSpanExporter.builder()
                    .setEndpoint(receiver.endpoint() + "/v1/traces").setCompression("gzip").build();
            SdkTracerProvider provider = SdkTracerProvider.builder()
                    .setResource(Resource.create(Attributes.of(AttributeKey.stringKey("service.name"), "courier-test")))
                    .addSpanProcessor(SimpleSpanProcessor.create(exporter)).build();
            Tracer tracer = provider.get("test");
            Span root = tracer.spanBuilder("courier.transfer").startSpan();
            try (Scope ignored = root.makeCurrent()) {
                tracer.spanBuilder("eth_call").setSpanKind(SpanKind.CLIENT).setAttribute("rpc.system", "jsonrpc")
                        .setAttribute("courier.attempt", 2L).startSpan().end();
            }
            root.setStatus(StatusCode.ERROR, "REORGED");
            root.end();
            provider.forceFlush().join(10, TimeUnit.SECONDS);
            provider.close();

            List<ReceivedSpan> spans = receiver.spans();
            assertThat(spans).hasSize(2);
            ReceivedSpan r = spans.stream().filter(ReceivedSpan::isRoot).findFirst().orElseThrow();
            ReceivedSpan child = spans.stream().filter(s -> !s.isRoot()).findFirst().orElseThrow();
            assertThat(r.traceId()).isEqualTo(root.getSpanContext().getTraceId());
            assertThat(r.spanId()).isEqualTo(root.getSpanContext().getSpanId());
            assertThat(r.status()).isEqualTo("ERROR");
            assertThat(r.statusMessage()).isEqualTo("REORGED");
            assertThat(r.resource()).containsEntry("service.name", "courier-test");
            assertThat(child.parentSpanId()).isEqualTo(r.spanId());
            assertThat(child.kind()).isEqualTo("CLIENT");
            assertThat(child.attributes()).containsEntry("rpc.system", "jsonrpc").containsEntry("courier.attempt", "2");
            assertThat(receiver.trace(r.traceId())).hasSize(2);
            assertThat(ReceivedSpan.tree(receiver.trace(r.traceId())))
                    .startsWith("courier.transfer [internal, ")
                    .contains("\n  eth_call [client, ");
        }
    }

    @Test
    void refusesJsonRatherThanKeepingNothing() throws Exception {
        try (OtlpReceiver receiver = OtlpReceiver.start()) {
            HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(receiver.endpoint() + "/v1/traces"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString("{}"))
                    .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(answer.statusCode()).isEqualTo(415);
            assertThat(receiver.exportRequests()).isZero();
        }
    }

    @Test
    void treeMarksSpansWhoseParentNeverArrived() {
        ReceivedSpan orphan = new ReceivedSpan("ab".repeat(16), "01".repeat(8), "02".repeat(8), "attest", "INTERNAL",
                1, 2, java.util.Map.of(), java.util.Map.of(), "UNSET", "", "s");
        assertThat(ReceivedSpan.tree(List.of(orphan))).contains("attest [internal").contains("not received");
    }
}
