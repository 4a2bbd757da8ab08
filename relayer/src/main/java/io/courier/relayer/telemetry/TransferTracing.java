package io.courier.relayer.telemetry;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One trace per transfer, whose ids are derived from the message id: trace id = the first 16 bytes of the id,
 * root span id = the next 8. Any node, after any restart, records a stage as a child of that root, so a
 * user who has a message id has its trace id. Stage spans are recorded when a stage completes, with the
 * persisted stage timestamps as start and end, so nothing has to live in memory across a crash.
 *
 * <p>Each stage recorded here is also observed in {@code courier_transfer_stage_duration_seconds{stage,route}}:
 * one call per stage, so the span and the histogram cannot disagree on which stages exist or how long they took.
 */
public final class TransferTracing {

    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("courier.message_id");
    public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("courier.route");

    private final Tracer tracer;
    /** Null when only spans are wanted (tests of other things). */
    private final CourierMetrics metrics;

    /** Spans only: no stage durations are observed. */
    public TransferTracing(OpenTelemetry openTelemetry) {
        this(openTelemetry, null);
    }

    /** Spans, and each stage's duration observed in {@link CourierMetrics#stageDuration}. */
    public TransferTracing(OpenTelemetry openTelemetry, CourierMetrics metrics) {
        this.tracer = openTelemetry.getTracer("io.courier.relayer");
        this.metrics = metrics;
    }

    /**
     * OpenTelemetry from the standard {@code OTEL_*} variables; exporters default to none unless an OTLP endpoint
     * is set, so a node without a collector exports nothing and logs no connection errors.
     */
    public static OpenTelemetrySdk autoConfigured(String serviceName) {
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(serviceName))
                .addTracerProviderCustomizer((builder, config) -> builder.setIdGenerator(new DerivedIdGenerator()))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    private static Map<String, String> defaults(String serviceName) {
        Map<String, String> props = new HashMap<>();
        props.put("otel.service.name", serviceName);
        boolean endpointSet = System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != null
                || System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") != null
                || System.getProperty("otel.exporter.otlp.endpoint") != null
                || System.getProperty("otel.exporter.otlp.traces.endpoint") != null;
        if (!endpointSet) {
            props.put("otel.traces.exporter", "none");
        }
        props.put("otel.metrics.exporter", "none"); // metrics go to Prometheus
        props.put("otel.logs.exporter", "none");
        return props;
    }

    /** The trace id of a transfer: the first 32 hex digits of its message id. */
    public static String traceId(String messageIdHex) {
        return hex(messageIdHex).substring(0, 32);
    }

    static String rootSpanId(String messageIdHex) {
        String spanId = hex(messageIdHex).substring(32, 48);
        // an all-zero span id is invalid; a keccak output starting with 8 zero bytes here is not a practical case
        return spanId.equals("0000000000000000") ? "0000000000000001" : spanId;
    }

    private static String hex(String messageIdHex) {
        String h = messageIdHex.startsWith("0x") ? messageIdHex.substring(2) : messageIdHex;
        if (h.length() != 64) {
            throw new IllegalArgumentException("message id must be 32 bytes of hex, was " + messageIdHex);
        }
        return h.toLowerCase(Locale.ROOT);
    }

    /**
     * Records a finished stage ({@code finality.wait}, {@code attest}, {@code submit}, ...) of a transfer: its span,
     * and its duration in {@code courier_transfer_stage_duration_seconds}.
     */
    public void stage(String messageIdHex, String route, String stage, Instant start, Instant end,
                      Attributes attributes, boolean ok) {
        if (metrics != null) {
            // a clock step backwards must not make a negative observation (it would skew _sum)
            metrics.stageDuration.labelValues(stage, route).observe(Math.max(0, Duration.between(start, end).toNanos() / 1e9));
        }
        SpanContext root = SpanContext.createFromRemoteParent(traceId(messageIdHex), rootSpanId(messageIdHex),
                TraceFlags.getSampled(), TraceState.getDefault());
        Span span = tracer.spanBuilder(stage)
                .setParent(Context.root().with(Span.wrap(root)))
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start)
                .setAllAttributes(attributes)
                .setAttribute(MESSAGE_ID, messageIdHex)
                .setAttribute(ROUTE, route)
                .startSpan();
        if (!ok) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end(end);
    }

    /** Records the root span {@code courier.transfer} once the transfer has ended, spanning its whole life. */
    public void transferEnded(String messageIdHex, String route, Instant created, Instant ended, String finalState) {
        DerivedIdGenerator.withIds(traceId(messageIdHex), rootSpanId(messageIdHex), () -> {
            Span span = tracer.spanBuilder("courier.transfer")
                    .setNoParent()
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(created)
                    .setAttribute(MESSAGE_ID, messageIdHex)
                    .setAttribute(ROUTE, route)
                    .setAttribute("courier.final_state", finalState)
                    .startSpan();
            if (!"DELIVERED".equals(finalState)) {
                span.setStatus(StatusCode.ERROR, finalState);
            }
            span.end(ended);
        });
    }
}
