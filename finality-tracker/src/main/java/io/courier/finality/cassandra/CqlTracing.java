package io.courier.finality.cassandra;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.config.DriverExecutionProfile;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import com.datastax.oss.driver.api.core.cql.Statement;
import com.datastax.oss.driver.api.core.metadata.Node;
import com.datastax.oss.driver.api.core.session.Request;
import com.datastax.oss.driver.api.core.session.SessionBuilder;
import com.datastax.oss.driver.api.core.tracker.RequestIdGenerator;
import com.datastax.oss.driver.api.core.tracker.RequestTracker;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanBuilder;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A client span per CQL statement issued in a traced context (a transfer's: see the relayer's
 * {@code TransferTracing.inTransfer}), through the driver's own hooks: no store changes. The driver asks the
 * {@link RequestIdGenerator} for a request id on the thread that issues the statement, where the caller's context is
 * current; that id comes back to the {@link RequestTracker} (in its log prefix) when the statement completes on an
 * I/O thread, where it is not. Statements issued outside a traced context (polls, sweeps, schema) record nothing, so
 * the node's background reads do not make a trace each.
 *
 * <p>Attributes: {@code db.system.name=cassandra}, {@code db.query.text} (the statement with its bind markers,
 * never the values), {@code db.operation.name}, {@code db.namespace} (the keyspace), {@code server.address} (the
 * coordinator) and the session name.
 */
public final class CqlTracing implements RequestTracker, RequestIdGenerator {

    public static final AttributeKey<String> SYSTEM = AttributeKey.stringKey("db.system.name");
    public static final AttributeKey<String> QUERY = AttributeKey.stringKey("db.query.text");
    public static final AttributeKey<String> OPERATION = AttributeKey.stringKey("db.operation.name");
    public static final AttributeKey<String> NAMESPACE = AttributeKey.stringKey("db.namespace");
    public static final AttributeKey<String> SERVER = AttributeKey.stringKey("server.address");
    public static final AttributeKey<String> SESSION = AttributeKey.stringKey("courier.cql.session");
    /** Contexts of statements in flight; a bound, so statements the driver never reports back cannot grow it forever. */
    static final int MAX_IN_FLIGHT = 10_000;
    private static final int MAX_QUERY_CHARS = 1_000;

    private final Tracer tracer;
    private final AtomicLong ids = new AtomicLong();
    private final Map<String, Pending> inFlight = new ConcurrentHashMap<>();

    private record Pending(Context context, long startEpochNanos) {}

    public CqlTracing(OpenTelemetry openTelemetry) {
        this.tracer = openTelemetry.getTracer("io.courier.finality.cassandra");
    }

    /** Installs this on {@code builder} as its request tracker and request id generator. */
    public <B extends SessionBuilder<B, ?>> B installOn(B builder) {
        return builder.addRequestTracker(this).withRequestIdGenerator(this);
    }

    @Override
    public String getSessionRequestId() {
        String id = Long.toString(ids.incrementAndGet(), 36);
        Context current = Context.current();
        if (Span.fromContext(current).getSpanContext().isValid()) {
            if (inFlight.size() >= MAX_IN_FLIGHT) {
                inFlight.clear(); // lost reports (a bug elsewhere) cost their spans, never the heap
            }
            inFlight.put(id, new Pending(current, epochNanos()));
        }
        return id;
    }

    @Override
    public String getNodeRequestId(Request statement, String parentId) {
        return parentId;
    }

    /** The statement as it was: the request id stays in this process, it is not sent to Cassandra as a payload. */
    @Override
    public Statement<?> getDecoratedStatement(Statement<?> statement, String requestId) {
        return statement;
    }

    @Override
    public void onSuccess(Request request, long latencyNanos, DriverExecutionProfile profile, Node node, String logPrefix) {
        record(request, node, logPrefix, null);
    }

    @Override
    public void onError(Request request, Throwable error, long latencyNanos, DriverExecutionProfile profile, Node node,
                        String logPrefix) {
        record(request, node, logPrefix, error);
    }

    private void record(Request request, Node node, String logPrefix, Throwable error) {
        if (logPrefix == null) {
            return;
        }
        // the prefix is "<session name>|<session request id>"
        int bar = logPrefix.lastIndexOf('|');
        Pending pending = inFlight.remove(bar < 0 ? logPrefix : logPrefix.substring(bar + 1));
        if (pending == null) {
            return;
        }
        String query = query(request);
        String operation = operation(query);
        CqlIdentifier keyspace = request.getKeyspace() != null ? request.getKeyspace()
                : request.getRoutingKeyspace();
        SpanBuilder builder = tracer.spanBuilder(operation + (keyspace == null ? "" : " " + keyspace.asInternal()))
                .setParent(pending.context())
                .setSpanKind(SpanKind.CLIENT)
                .setStartTimestamp(pending.startEpochNanos(), TimeUnit.NANOSECONDS)
                .setAttribute(SYSTEM, "cassandra")
                .setAttribute(QUERY, query.length() > MAX_QUERY_CHARS ? query.substring(0, MAX_QUERY_CHARS) : query)
                .setAttribute(OPERATION, operation);
        if (keyspace != null) {
            builder.setAttribute(NAMESPACE, keyspace.asInternal());
        }
        if (node != null) {
            builder.setAttribute(SERVER, node.getEndPoint().toString());
        }
        if (bar > 0) {
            builder.setAttribute(SESSION, logPrefix.substring(0, bar));
        }
        Span span = builder.startSpan();
        if (error != null) {
            span.setStatus(StatusCode.ERROR, error.getClass().getSimpleName());
        }
        span.end(Math.max(epochNanos(), pending.startEpochNanos()), TimeUnit.NANOSECONDS);
    }

    private static String query(Request request) {
        if (request instanceof SimpleStatement s) {
            return s.getQuery();
        }
        if (request instanceof BoundStatement b) {
            return b.getPreparedStatement().getQuery();
        }
        if (request instanceof BatchStatement batch) {
            return "BATCH (" + batch.size() + " statements)";
        }
        return request.getClass().getSimpleName();
    }

    private static String operation(String query) {
        String trimmed = query.stripLeading();
        int space = trimmed.indexOf(' ');
        return (space < 0 ? trimmed : trimmed.substring(0, space)).toUpperCase(Locale.ROOT);
    }

    /** Statements awaiting their report (for tests). */
    int inFlight() {
        return inFlight.size();
    }

    private static long epochNanos() {
        return TimeUnit.MILLISECONDS.toNanos(System.currentTimeMillis());
    }

    @Override
    public void close() {
        inFlight.clear();
    }
}
