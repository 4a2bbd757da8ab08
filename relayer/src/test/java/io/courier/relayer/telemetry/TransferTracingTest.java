package io.courier.relayer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.RpcObserver;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.submitfakes.Transfers;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
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

    @Test
    void aParkedOutcomeIsARootSpanWithItsStateAndReason() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        TransferTracing tracing = new TransferTracing(sdk(exporter));
        Transfer t = Transfers.attested(7);
        Instant at = t.createdAt().plusSeconds(30);

        tracing.outcome(t, TransferStatus.UNDELIVERABLE, at, "over the gas cap");

        SpanData root = exporter.getFinishedSpanItems().get(0);
        String id = t.id().toHex();
        assertThat(root.getName()).isEqualTo(TransferTracing.ROOT_SPAN);
        assertThat(root.getTraceId()).isEqualTo(TransferTracing.traceId(id));
        assertThat(root.getSpanId()).isEqualTo(TransferTracing.rootSpanId(id));
        assertThat(root.getAttributes().get(TransferTracing.FINAL_STATE)).isEqualTo("UNDELIVERABLE");
        assertThat(root.getAttributes().get(TransferTracing.SOURCE_CHAIN)).isEqualTo(Transfers.SRC);
        assertThat(root.getAttributes().get(TransferTracing.DESTINATION_CHAIN)).isEqualTo(Transfers.DST);
        assertThat(root.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(root.getStatus().getDescription()).isEqualTo("UNDELIVERABLE: over the gas cap");
        assertThat(root.getEndEpochNanos() - root.getStartEpochNanos()).isEqualTo(30_000_000_000L);
    }

    @Test
    void anOutcomeAfterAParkedOneIsAChildSoTheRootIdIsExportedOnce() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        TransferTracing tracing = new TransferTracing(sdk(exporter));
        Transfer attested = Transfers.attested(8);
        Instant failedAt = attested.createdAt().plusSeconds(10);
        tracing.outcome(attested, TransferStatus.FAILED, failedAt, "reverted");
        // an operator retried it: the row read for the retry still has FAILED's stage time
        Transfer retried = withStageTime(attested, TransferStatus.FAILED, failedAt);
        tracing.outcome(retried, TransferStatus.DELIVERED, failedAt.plusSeconds(60), null);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        String rootId = TransferTracing.rootSpanId(attested.id().toHex());
        assertThat(spans).extracting(SpanData::getSpanId).containsOnlyOnce(rootId);
        SpanData later = spans.stream().filter(s -> s.getName().equals(TransferTracing.LATER_OUTCOME_SPAN)).findFirst().orElseThrow();
        assertThat(later.getParentSpanId()).isEqualTo(rootId);
        assertThat(later.getAttributes().get(TransferTracing.FINAL_STATE)).isEqualTo("DELIVERED");
        assertThat(later.getStatus().getStatusCode()).isEqualTo(StatusCode.UNSET);
    }

    @Test
    void theWrittenRowOfTheOutcomeItselfIsNotAnEarlierOutcome() {
        Transfer attested = Transfers.attested(9);
        Transfer reorgedRow = new Transfer(attested.id(), attested.message(), TransferStatus.REORGED, attested.source(),
                attested.confirmationsRequired(), attested.confirmationsSeen(), Map.of(TransferStatus.REORGED, Transfers.T0),
                null, null, attested.createdAt(), Transfers.T0);
        assertThat(TransferTracing.hadEarlierOutcome(reorgedRow, TransferStatus.REORGED)).isFalse();
        assertThat(TransferTracing.hadEarlierOutcome(reorgedRow, TransferStatus.DELIVERED)).isTrue();
        assertThat(TransferTracing.hadEarlierOutcome(attested, TransferStatus.DELIVERED)).isFalse();
    }

    @Test
    void rpcRequestsBecomeClientSpansOnlyInsideATransfersContext() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        TransferTracing tracing = new TransferTracing(sdk(exporter));
        List<String> counted = new ArrayList<>();
        RpcObserver observer = tracing.rpcObserver((chain, endpoint, method, outcome, nanos) -> counted.add(method));

        observer.onRequest("alpha", "http://127.0.0.1:8545", "eth_blockNumber", "ok", 1_000_000);
        TransferTracing.inTransfer(ID, () -> {
            observer.onRequest("beta", "http://127.0.0.1:9545", "eth_sendRawTransaction", "transient", 2_000_000);
            return null;
        });

        assertThat(counted).containsExactly("eth_blockNumber", "eth_sendRawTransaction");
        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        SpanData rpc = spans.get(0);
        assertThat(rpc.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(rpc.getName()).isEqualTo("eth_sendRawTransaction");
        assertThat(rpc.getTraceId()).isEqualTo(TransferTracing.traceId(ID));
        assertThat(rpc.getParentSpanId()).isEqualTo(TransferTracing.rootSpanId(ID));
        assertThat(rpc.getAttributes().get(AttributeKey.stringKey("rpc.system"))).isEqualTo("jsonrpc");
        assertThat(rpc.getAttributes().get(TransferTracing.RPC_ENDPOINT)).isEqualTo("http://127.0.0.1:9545");
        assertThat(rpc.getAttributes().get(TransferTracing.CHAIN)).isEqualTo("beta");
        assertThat(rpc.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR);
        assertThat(rpc.getEndEpochNanos() - rpc.getStartEpochNanos()).isEqualTo(2_000_000);
    }

    @Test
    void aStageDurationCarriesItsSpanAsExemplar() {
        InMemorySpanExporter exporter = InMemorySpanExporter.create();
        CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());
        TransferTracing tracing = new TransferTracing(sdk(exporter), metrics);
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");

        tracing.stage(ID, "1->2", "attest", t0, t0.plusMillis(1_500), Attributes.empty(), true);

        SpanData span = exporter.getFinishedSpanItems().get(0);
        HistogramSnapshot.HistogramDataPointSnapshot point = metrics.stageDuration.collect().getDataPoints().get(0);
        assertThat(point.getExemplars().size()).isEqualTo(1);
        var exemplar = point.getExemplars().get(0);
        assertThat(exemplar.getLabels().get("trace_id")).isEqualTo(TransferTracing.traceId(ID));
        assertThat(exemplar.getLabels().get("span_id")).isEqualTo(span.getSpanId());
        assertThat(exemplar.getValue()).isEqualTo(1.5);
    }

    @Test
    void theNodeNameIsTheServiceInstanceUnlessOtelResourceAttributesNameOne() {
        io.opentelemetry.sdk.resources.Resource sdkDefault = io.opentelemetry.sdk.resources.Resource.create(
                Attributes.of(TransferTracing.SERVICE_INSTANCE_ID, "a-random-uuid"));
        var unset = io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties.createFromMap(Map.of());
        var set = io.opentelemetry.sdk.autoconfigure.spi.internal.DefaultConfigProperties.createFromMap(
                Map.of("otel.resource.attributes", "service.instance.id=ops-choice"));

        assertThat(TransferTracing.withInstance(sdkDefault, unset, "node-7").getAttribute(TransferTracing.SERVICE_INSTANCE_ID))
                .isEqualTo("node-7");
        assertThat(TransferTracing.withInstance(sdkDefault, set, "node-7")).isSameAs(sdkDefault);
    }

    private static Transfer withStageTime(Transfer t, TransferStatus status, Instant at) {
        Map<TransferStatus, Instant> times = new EnumMap<>(TransferStatus.class);
        times.putAll(t.stageTimes());
        times.put(status, at);
        return new Transfer(t.id(), t.message(), t.status(), t.source(), t.confirmationsRequired(), t.confirmationsSeen(),
                times, t.dstTxHash(), t.failureReason(), t.createdAt(), t.updatedAt());
    }
}
