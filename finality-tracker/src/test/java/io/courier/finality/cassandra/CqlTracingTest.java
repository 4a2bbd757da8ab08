package io.courier.finality.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The driver's calls in the order it makes them: the request id on the issuing thread, the report later. */
class CqlTracingTest {

    private static final String TRACE = "3f1c9a7d5e8b2c4f6a0d1e3b5c7f9a2d";
    private static final String ROOT = "4e6b8c0a1f3e5d7c";

    private final InMemorySpanExporter exporter = InMemorySpanExporter.create();
    private final CqlTracing tracing = new CqlTracing(OpenTelemetrySdk.builder()
            .setTracerProvider(SdkTracerProvider.builder().addSpanProcessor(SimpleSpanProcessor.create(exporter)).build())
            .build());

    @Test
    void aStatementIssuedInATracedContextIsAClientSpanOfThatTraceWithItsTextNotItsValues() {
        SimpleStatement update = SimpleStatement.newInstance("UPDATE courier.transfers SET status = ? WHERE id = ?", "DELIVERED", "0xabc")
                .setKeyspace("courier");
        String id;
        try (Scope ignored = transferContext().makeCurrent()) {
            id = tracing.getSessionRequestId();
        }
        tracing.onSuccess(update, 1_000_000, null, null, "courier|" + id);

        List<SpanData> spans = exporter.getFinishedSpanItems();
        assertThat(spans).hasSize(1);
        SpanData span = spans.get(0);
        assertThat(span.getKind()).isEqualTo(SpanKind.CLIENT);
        assertThat(span.getTraceId()).isEqualTo(TRACE);
        assertThat(span.getParentSpanId()).isEqualTo(ROOT);
        assertThat(span.getName()).isEqualTo("UPDATE courier");
        assertThat(span.getAttributes().get(CqlTracing.QUERY)).isEqualTo("UPDATE courier.transfers SET status = ? WHERE id = ?");
        assertThat(span.getAttributes().get(CqlTracing.SYSTEM)).isEqualTo("cassandra");
        assertThat(span.getAttributes().get(CqlTracing.SESSION)).isEqualTo("courier");
        assertThat(span.getAttributes().asMap().values().toString()).doesNotContain("0xabc", "DELIVERED");
        assertThat(tracing.inFlight()).isZero();
    }

    @Test
    void aFailedStatementIsAnErrorSpan() {
        String id;
        try (Scope ignored = transferContext().makeCurrent()) {
            id = tracing.getSessionRequestId();
        }
        tracing.onError(SimpleStatement.newInstance("SELECT * FROM courier.transfers"), new IllegalStateException("timeout"),
                5_000_000, null, null, "courier|" + id);

        assertThat(exporter.getFinishedSpanItems()).singleElement()
                .satisfies(s -> assertThat(s.getStatus().getStatusCode()).isEqualTo(StatusCode.ERROR));
    }

    @Test
    void statementsOutsideAnyTraceRecordNothingAndAreNotKept() {
        String id = tracing.getSessionRequestId();
        tracing.onSuccess(SimpleStatement.newInstance("SELECT * FROM courier.cursors"), 1_000, null, null, "courier|" + id);

        assertThat(exporter.getFinishedSpanItems()).isEmpty();
        assertThat(tracing.inFlight()).isZero();
    }

    @Test
    void theStatementIsSentUndecorated() {
        SimpleStatement s = SimpleStatement.newInstance("SELECT now() FROM system.local");
        assertThat(tracing.getDecoratedStatement(s, "x")).isSameAs(s);
    }

    private static Context transferContext() {
        return Context.root().with(Span.wrap(SpanContext.createFromRemoteParent(TRACE, ROOT, TraceFlags.getSampled(),
                TraceState.getDefault())));
    }
}
