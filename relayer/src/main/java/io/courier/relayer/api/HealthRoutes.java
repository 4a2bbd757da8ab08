package io.courier.relayer.api;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.server.Route;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET /healthz}: 200 while the process serves requests (liveness). {@code GET /readyz}: 200 when every
 * dependency of the {@link ReadinessProbe} is ok, else 503 problem+json naming those that are not. A probe that
 * fails or does not answer within its deadline makes the node not ready; it never makes {@code /readyz} a 500.
 */
public final class HealthRoutes extends ApiDirectives {

    public static final String HEALTHZ = "/healthz";
    public static final String READYZ = "/readyz";
    public static final Duration DEFAULT_PROBE_TIMEOUT = Duration.ofSeconds(2);

    private static final Logger LOG = LoggerFactory.getLogger(HealthRoutes.class);

    /** The body of {@code /healthz}. */
    public record Health(String status) {}

    /** The body of a 200 {@code /readyz}. */
    public record Ready(String status, Map<String, DependencyView> dependencies) {}

    /** One dependency: {@code status} is {@code ok} or {@code error}, with the {@code error} text then. */
    public record DependencyView(String status, String error) {
        static DependencyView of(Readiness.Check check) {
            return check.ok() ? new DependencyView("ok", null) : new DependencyView("error", check.error());
        }
    }

    private final ReadinessProbe probe;
    private final Duration probeTimeout;

    public HealthRoutes(ReadinessProbe probe, Duration probeTimeout, ApiJson json) {
        super(json);
        this.probe = Objects.requireNonNull(probe, "probe");
        this.probeTimeout = Objects.requireNonNull(probeTimeout, "probeTimeout");
        if (probeTimeout.isNegative() || probeTimeout.isZero()) {
            throw new IllegalArgumentException("probeTimeout must be positive, got " + probeTimeout);
        }
    }

    public Route route() {
        return concat(
                path("healthz", () -> template(HEALTHZ, () -> get(() ->
                        complete(json.ok(new Health("ok")))))),
                path("readyz", () -> template(READYZ, () -> get(() ->
                        extractUri(uri -> completeWithFuture(readiness(uri.path())))))));
    }

    private CompletionStage<HttpResponse> readiness(String path) {
        CompletableFuture<Readiness> bounded = new CompletableFuture<>();
        CompletionStage<Readiness> answer;
        try {
            answer = probe.check();
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((readiness, error) -> {
            if (error != null) {
                bounded.completeExceptionally(error);
            } else {
                bounded.complete(readiness);
            }
        });
        bounded.orTimeout(probeTimeout.toMillis(), TimeUnit.MILLISECONDS);
        return bounded.handle((readiness, error) -> {
            if (error != null) {
                return notReady(path, probeFailure(error), Map.of(), List.of());
            }
            if (readiness == null) {
                return notReady(path, "the readiness probe answered nothing", Map.of(), List.of());
            }
            LinkedHashMap<String, DependencyView> views = new LinkedHashMap<>();
            readiness.dependencies().forEach((name, check) -> views.put(name, DependencyView.of(check)));
            if (readiness.ready()) {
                return json.ok(new Ready("ready", views));
            }
            List<String> failing = readiness.dependencies().entrySet().stream()
                    .filter(e -> !e.getValue().ok()).map(Map.Entry::getKey).toList();
            return notReady(path, "not ready: " + String.join(", ", failing), views, failing);
        });
    }

    private String probeFailure(Throwable error) {
        Throwable cause = ProblemHandlers.unwrapped(error);
        if (cause instanceof TimeoutException) {
            LOG.warn("readiness probe did not answer within {}", probeTimeout);
            return "the readiness probe did not answer within " + probeTimeout.toMillis() + " ms";
        }
        LOG.warn("readiness probe failed", cause);
        return "the readiness probe failed (" + cause.getClass().getSimpleName() + "); see the node's log";
    }

    private HttpResponse notReady(String path, String detail, Map<String, DependencyView> dependencies,
                                  List<String> failing) {
        return json.problem(Problem.of(Problem.NOT_READY, "Not ready", 503, detail)
                .at(path)
                .with("notReady", failing)
                .with("dependencies", dependencies));
    }
}
