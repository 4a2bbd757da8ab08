package io.courier.relayer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TransferTracingTest {

    private static final String ID = "0x3f1c9a7d5e8b2c4f6a0d1e3b5c7f9a2d4e6b8c0a1f3e5d7c9b2a4f6e8d0c2e2b";

    @Test
    void everyStageOfATransferLandsInOneTraceDerivedFromItsMessageId() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        // two SDK instances stand for two nodes (or one node before and after a restart)
        TransferTracing nodeA = new TransferTracing(sdk(exporter));
        TransferTracing nodeB = new TransferTracing(sdk(exporter));
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

        nodeA.stage(ID, "1->2", "finality.wait", t0, t0.plusSeconds(12), Attributes.empty(), true);
        nodeB.stage(ID, "1->2", "attest", t0.plusSeconds(12), t0.plusSeconds(13), Attributes.empty(), true);
        nodeB.transferEnded(ID, "1->2", t0, t0.plusSeconds(20), "DELIVERED");

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(3);
        String traceId = TransferTracing.traceId(ID);
        assertThat(traceId).isEqualTo(ID.substring(2, 34));
        assertThat(spans).allSatisfy(s -> assertThat(s.getTraceId()).isEqualTo(traceId));
        SpanData root = spans.stream().filter(s -> s.getName().equals("courier.transfer")).findFirst().orElseThrow();
        assertThat(root.getSpanId()).isEqualTo(TransferTracing.rootSpanId(ID));
        assertThat(root.getParentSpanContext().isValid()).isFalse();
        assertThat(spans).filteredOn(s -> !s.getName().equals("courier.transfer"))
                .allSatisfy(s -> assertThat(s.getParentSpanId()).isEqualTo(root.getSpanId()));
        assertThat(root.getStartEpochNanos()).isEqualTo(t0.getEpochSecond() * 1_000_000_000L);
        assertThat(root.getAttributes().get(TransferTracing.MESSAGE_ID)).isEqualTo(ID);
    }

    private static OpenTelemetrySdk sdk(InMemorySpanExporter exporter) {
        return OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .setIdGenerator(new DerivedIdGenerator())
                        .addSpanProcessor(SimpleSpanProcessor.create(exporter))
                        .build())
                .build();
    }
}
