package io.courier.relayer.telemetry;

import io.courier.chain.RpcObserver;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
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
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.autoconfigure.AutoConfiguredOpenTelemetrySdk;
import io.opentelemetry.sdk.autoconfigure.spi.ConfigProperties;
import io.opentelemetry.sdk.resources.Resource;
import io.prometheus.metrics.model.snapshots.Labels;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * One trace per transfer, whose ids are derived from the message id: trace id = the first 16 bytes of the id,
 * root span id = the next 8. Any node, after any restart, records a stage as a child of that root, so a
 * user who has a message id has its trace id. Stage spans are recorded when a stage completes, with the
 * persisted stage timestamps as start and end, so nothing has to live in memory across a crash.
 *
 * <p>Each stage recorded here is also observed in {@code courier_transfer_stage_duration_seconds{stage,route}}:
 * one call per stage, so the span and the histogram cannot disagree on which stages exist or how long they took; the
 * observation carries the stage span's ids as its exemplar, so a latency panel links to the trace.
 *
 * <p>Outcomes: {@link #outcome} records the root span {@code courier.transfer} at the first terminal or parked
 * outcome (DELIVERED, REORGED, FAILED, UNDELIVERABLE, UNDERPAID). A parked transfer an operator retries has already
 * exported its root; its later outcome is a child {@code courier.outcome} of that root, so the root span id is
 * never exported twice.
 *
 * <p>Calls made for a transfer: run them under {@link #inTransfer}; the chain client captures the current context
 * when a call is issued, and {@link #rpcObserver} records each request of such a call as a client span.
 */
public final class TransferTracing {

    public static final AttributeKey<String> MESSAGE_ID = AttributeKey.stringKey("courier.message_id");
    public static final AttributeKey<String> ROUTE = AttributeKey.stringKey("courier.route");
    public static final AttributeKey<String> FINAL_STATE = AttributeKey.stringKey("courier.final_state");
    public static final AttributeKey<Long> SOURCE_CHAIN = AttributeKey.longKey("courier.source_chain_id");
    public static final AttributeKey<Long> DESTINATION_CHAIN = AttributeKey.longKey("courier.destination_chain_id");
    public static final AttributeKey<String> SERVICE_INSTANCE_ID = AttributeKey.stringKey("service.instance.id");
    /** The span a transfer's root is: named so in every backend's search. */
    public static final String ROOT_SPAN = "courier.transfer";
    /** An outcome after the first (a retried parked transfer): a child of the root. */
    public static final String LATER_OUTCOME_SPAN = "courier.outcome";
    /** Where a transfer's work ends or parks: each gets a root span (or, after a first one, a {@link #LATER_OUTCOME_SPAN}). */
    public static final Set<TransferStatus> OUTCOMES = EnumSet.of(TransferStatus.DELIVERED, TransferStatus.REORGED,
            TransferStatus.FAILED, TransferStatus.UNDELIVERABLE, TransferStatus.UNDERPAID);

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
        return autoConfigured(serviceName, null);
    }

    /**
     * As {@link #autoConfigured(String)}, with {@code service.instance.id} = {@code nodeName} unless
     * {@code OTEL_RESOURCE_ATTRIBUTES} names one (the {@code OTEL_*} variables win over every default here).
     */
    public static OpenTelemetrySdk autoConfigured(String serviceName, String nodeName) {
        return AutoConfiguredOpenTelemetrySdk.builder()
                .addPropertiesSupplier(() -> defaults(serviceName))
                .addResourceCustomizer((resource, config) -> withInstance(resource, config, nodeName))
                .addTracerProviderCustomizer((builder, config) -> builder.setIdGenerator(new DerivedIdGenerator()))
                .disableShutdownHook()
                .build()
                .getOpenTelemetrySdk();
    }

    /**
     * {@code resource} with {@code service.instance.id} = {@code nodeName}, unless the user's
     * {@code OTEL_RESOURCE_ATTRIBUTES} names one (the SDK's own default, a random UUID per process, is replaced: a
     * node is known by its name across restarts).
     */
    static Resource withInstance(Resource resource, ConfigProperties config, String nodeName) {
        if (nodeName == null || config.getMap("otel.resource.attributes").containsKey(SERVICE_INSTANCE_ID.getKey())) {
            return resource;
        }
        // rebuilt rather than merged: merging over the SDK's entity for service.instance logs a warning at every start
        return Resource.create(resource.getAttributes().toBuilder().put(SERVICE_INSTANCE_ID, nodeName).build(),
                resource.getSchemaUrl());
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
        // OTLP over HTTP: one port, no gRPC stack, and what collectors, Tempo and the testkit receiver all take
        props.put("otel.exporter.otlp.protocol", "http/protobuf");
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
        Span span = tracer.spanBuilder(stage)
                .setParent(transferContext(messageIdHex))
                .setSpanKind(SpanKind.INTERNAL)
                .setStartTimestamp(start)
                .setAllAttributes(attributes)
                .setAllAttributes(transferAttributes(messageIdHex, route))
                .startSpan();
        if (!ok) {
            span.setStatus(StatusCode.ERROR);
        }
        span.end(end);
        if (metrics != null) {
            // a clock step backwards must not make a negative observation (it would skew _sum)
            double seconds = Math.max(0, Duration.between(start, end).toNanos() / 1e9);
            metrics.stageDuration.labelValues(stage, route).observeWithExemplar(seconds, exemplar(messageIdHex, span));
        }
    }

    /**
     * The exemplar of an observation made for a transfer: its trace id, and the span id of {@code span} when it was
     * recorded (else the root's, which every exported trace of the transfer has).
     */
    static Labels exemplar(String messageIdHex, Span span) {
        SpanContext c = span.getSpanContext();
        String spanId = c.isValid() && c.getTraceId().equals(traceId(messageIdHex)) ? c.getSpanId() : rootSpanId(messageIdHex);
        return Labels.of("trace_id", traceId(messageIdHex), "span_id", spanId);
    }

    /**
     * The context of transfer {@code messageIdHex}: its (derived) root span as the parent, sampled, whichever node
     * or process recorded the root.
     */
    public static Context transferContext(String messageIdHex) {
        SpanContext root = SpanContext.createFromRemoteParent(traceId(messageIdHex), rootSpanId(messageIdHex),
                TraceFlags.getSampled(), TraceState.getDefault());
        return Context.root().with(Span.wrap(root));
    }

    /**
     * Runs {@code call} (one that issues chain or store requests and returns their future) with the transfer's
     * context current, so the requests it issues are recorded as spans of the transfer's trace. Only the requests
     * issued on this thread, before {@code call} returns, are; what a callback issues later is not.
     */
    public static <T> T inTransfer(String messageIdHex, Supplier<T> call) {
        try (Scope ignored = transferContext(messageIdHex).makeCurrent()) {
            return call.get();
        }
    }

    /**
     * {@code delegate}, and a client span per JSON-RPC request issued in a transfer's context ({@link #inTransfer}):
     * {@code rpc.system=jsonrpc}, the method, endpoint label and chain. Requests outside any transfer record no span:
     * the watcher's polling would otherwise be a trace per request.
     */
    public RpcObserver rpcObserver(RpcObserver delegate) {
        return (chain, endpoint, method, outcome, durationNanos) -> {
            delegate.onRequest(chain, endpoint, method, outcome, durationNanos);
            Context current = Context.current();
            if (!Span.fromContext(current).getSpanContext().isValid()) {
                return;
            }
            long now = TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
            Span span = tracer.spanBuilder(method)
                    .setParent(current)
                    .setSpanKind(SpanKind.CLIENT)
                    .setStartTimestamp(now - durationNanos, TimeUnit.NANOSECONDS)
                    .setAttribute(RPC_SYSTEM, "jsonrpc")
                    .setAttribute(RPC_METHOD, method)
                    .setAttribute(RPC_ENDPOINT, endpoint)
                    .setAttribute(CHAIN, chain)
                    .setAttribute(RPC_OUTCOME, outcome)
                    .startSpan();
            if (!"ok".equals(outcome)) {
                span.setStatus(StatusCode.ERROR, outcome);
            }
            span.end(now, TimeUnit.NANOSECONDS);
        };
    }

    public static final AttributeKey<String> RPC_SYSTEM = AttributeKey.stringKey("rpc.system");
    public static final AttributeKey<String> RPC_METHOD = AttributeKey.stringKey("rpc.method");
    public static final AttributeKey<String> RPC_ENDPOINT = AttributeKey.stringKey("courier.rpc.endpoint");
    public static final AttributeKey<String> RPC_OUTCOME = AttributeKey.stringKey("courier.rpc.outcome");
    public static final AttributeKey<String> CHAIN = AttributeKey.stringKey("courier.chain");

    private static Attributes transferAttributes(String messageIdHex, String route) {
        var b = Attributes.builder().put(MESSAGE_ID, messageIdHex).put(ROUTE, route);
        int arrow = route.indexOf("->");
        if (arrow > 0) {
            try {
                b.put(SOURCE_CHAIN, Long.parseLong(route.substring(0, arrow)));
                b.put(DESTINATION_CHAIN, Long.parseLong(route.substring(arrow + 2)));
            } catch (NumberFormatException notIds) {
                // a route label not of ids (tests): the route attribute alone says it
            }
        }
        return b.build();
    }

    /** Records the root span {@code courier.transfer} once the transfer has ended, spanning its whole life. */
    public void transferEnded(String messageIdHex, String route, Instant created, Instant ended, String finalState) {
        root(messageIdHex, route, created, ended, finalState, null);
    }

    /**
     * Records that transfer {@code t} reached {@code outcome} (one of {@link #OUTCOMES}) at {@code at}; {@code t} as
     * read before the outcome was written, or as the write returned it. The root span {@code courier.transfer} over
     * its whole life, or, when {@code t} shows an earlier outcome (a parked transfer retried by an operator, a revived REORGED one), a
     * {@code courier.outcome} child of that root. {@code detail} (the failure reason, the obstacle; may be null)
     * becomes the status description.
     */
    public void outcome(Transfer t, TransferStatus outcome, Instant at, String detail) {
        if (!OUTCOMES.contains(outcome)) {
            throw new IllegalArgumentException("transfer " + t.id() + ": " + outcome + " is not an outcome; outcomes are " + OUTCOMES);
        }
        String id = t.id().toHex();
        if (hadEarlierOutcome(t, outcome)) {
            Span span = tracer.spanBuilder(LATER_OUTCOME_SPAN)
                    .setParent(transferContext(id))
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(at)
                    .setAllAttributes(transferAttributes(id, t.route()))
                    .setAttribute(FINAL_STATE, outcome.name())
                    .startSpan();
            if (outcome != TransferStatus.DELIVERED) {
                span.setStatus(StatusCode.ERROR, detail == null ? outcome.name() : outcome.name() + ": " + detail);
            }
            span.end(at);
            return;
        }
        root(id, t.route(), t.createdAt(), at, outcome.name(), detail);
    }

    /**
     * Whether {@code t} went through an outcome before {@code outcome}, whose root span was recorded then. When
     * {@code t} is already in {@code outcome} (the written row), its own stage time of it is this outcome's. A stage
     * time holds the last entry only, so a revived transfer reorged twice is not told apart from once (its root is
     * then recorded again, with the same ids).
     */
    static boolean hadEarlierOutcome(Transfer t, TransferStatus outcome) {
        return OUTCOMES.stream().anyMatch(o -> t.stageTime(o).isPresent() && (o != outcome || t.status() != outcome));
    }

    private void root(String messageIdHex, String route, Instant created, Instant ended, String finalState, String detail) {
        DerivedIdGenerator.withIds(traceId(messageIdHex), rootSpanId(messageIdHex), () -> {
            Span span = tracer.spanBuilder(ROOT_SPAN)
                    .setNoParent()
                    .setSpanKind(SpanKind.INTERNAL)
                    .setStartTimestamp(created)
                    .setAllAttributes(transferAttributes(messageIdHex, route))
                    .setAttribute(FINAL_STATE, finalState)
                    .startSpan();
            if (!"DELIVERED".equals(finalState)) {
                span.setStatus(StatusCode.ERROR, detail == null ? finalState : finalState + ": " + detail);
            }
            span.end(ended.isBefore(created) ? created : ended);
        });
    }
}
