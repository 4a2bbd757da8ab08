package io.courier.relayer.api;

import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.Objects;
import org.apache.pekko.http.javadsl.model.AttributeKey;

/**
 * {@code courier_api_requests_total{route,code}}: every request the API answered, by route template (never the
 * raw path, so the label set stays bounded whatever clients send) and status code. Registered in the registry it
 * is given.
 *
 * <p>How the template travels: {@link StatusApi} puts a fresh {@link RouteTemplate} into each request's
 * attributes before routing; the route that matches the path writes its template into it
 * ({@link ApiDirectives#template}); when the response (result, rejection or error alike) leaves the route tree,
 * the counter is incremented with whatever template was written, or {@link #UNMATCHED}.
 */
public final class ApiMetrics {

    /** The {@code route} label of requests no route's path matched. */
    public static final String UNMATCHED = "unmatched";

    static final AttributeKey<RouteTemplate> TEMPLATE = AttributeKey.create("courier-route-template", RouteTemplate.class);

    private final Counter requests;

    public ApiMetrics(PrometheusRegistry registry) {
        Objects.requireNonNull(registry, "registry");
        this.requests = Counter.builder()
                .name("courier_api_requests_total")
                .help("Status API requests answered, by route template and HTTP status code")
                .labelNames("route", "code")
                .register(registry);
    }

    void record(String route, int code) {
        requests.labelValues(route, Integer.toString(code)).inc();
    }

    /** How many requests were answered on {@code route} with {@code code} (for tests and diagnostics). */
    public long count(String route, int code) {
        String c = Integer.toString(code);
        return requests.collect().getDataPoints().stream()
                .filter(p -> route.equals(p.getLabels().get("route")) && c.equals(p.getLabels().get("code")))
                .mapToLong(p -> (long) p.getValue())
                .sum();
    }

    /** A per-request, write-once-per-match holder of the matched route template. */
    static final class RouteTemplate {
        private volatile String template = UNMATCHED;

        void set(String template) {
            this.template = template;
        }

        String get() {
            return template;
        }
    }
}
