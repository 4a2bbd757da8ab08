package io.courier.relayer.api;

import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.propagation.TextMapGetter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.http.javadsl.model.HttpHeader;
import org.apache.pekko.http.javadsl.model.HttpRequest;

/**
 * A server span per API request: {@code <METHOD> <route template>}, with {@code http.route} (the template, never
 * the raw path: ids in paths would make every span name unique), the method and the status code; 5xx marks it an
 * error. A {@code traceparent} header the caller sent is continued (W3C trace context, or whatever propagators
 * {@code OTEL_PROPAGATORS} configures). {@link StatusApi} starts the span when a request enters the route tree and
 * ends it as the response leaves it, where the matched template is known.
 */
final class ApiTracing {

    static final AttributeKey<String> METHOD = AttributeKey.stringKey("http.request.method");
    static final AttributeKey<String> ROUTE = AttributeKey.stringKey("http.route");
    static final AttributeKey<Long> STATUS = AttributeKey.longKey("http.response.status_code");

    private static final TextMapGetter<HttpRequest> HEADERS = new TextMapGetter<>() {
        @Override
        public Iterable<String> keys(HttpRequest request) {
            List<String> names = new ArrayList<>();
            for (HttpHeader h : request.getHeaders()) {
                names.add(h.lowercaseName());
            }
            return names;
        }

        @Override
        public String get(HttpRequest request, String key) {
            return request == null ? null : request.getHeader(key).map(HttpHeader::value).orElse(null);
        }
    };

    private final OpenTelemetry openTelemetry;
    private final Tracer tracer;

    ApiTracing(OpenTelemetry openTelemetry) {
        this.openTelemetry = Objects.requireNonNull(openTelemetry, "openTelemetry");
        this.tracer = openTelemetry.getTracer("io.courier.relayer.api");
    }

    Span start(HttpRequest request) {
        Context parent = openTelemetry.getPropagators().getTextMapPropagator().extract(Context.root(), request, HEADERS);
        String method = request.method().value();
        return tracer.spanBuilder(method)
                .setParent(parent)
                .setSpanKind(SpanKind.SERVER)
                .setAttribute(METHOD, method)
                .startSpan();
    }

    /** Ends {@code span} with the matched {@code template} ({@link ApiMetrics#UNMATCHED} if none) and the status. */
    void end(Span span, HttpRequest request, String template, int status) {
        if (!ApiMetrics.UNMATCHED.equals(template)) {
            span.updateName(request.method().value() + " " + template);
            span.setAttribute(ROUTE, template);
        }
        span.setAttribute(STATUS, (long) status);
        if (status >= 500) {
            span.setStatus(StatusCode.ERROR, "HTTP " + status);
        }
        span.end();
    }
}
