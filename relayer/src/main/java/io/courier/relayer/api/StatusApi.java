package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatusSource;

import io.courier.relayer.api.ApiMetrics.RouteTemplate;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.Http;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.javadsl.settings.ServerSettings;

/**
 * The status API of a node (docs/ARCHITECTURE.md §6): every route of this package in one {@link Route}, wrapped so that every
 * error is {@code application/problem+json} and every request is counted in {@code courier_api_requests_total}.
 *
 * <pre>{@code
 * StatusApi api = new StatusApi(new StoreTransferQueries(store), chainBoard,
 *         ReadinessProbe.all(List.of(cassandraProbe, ReadinessProbe.chains(chainBoard))), registry);
 * api.bind(system, config.api().host(), config.api().port())
 *    .thenAccept(b -> log.info("status API on {}", b.localAddress()));
 * }</pre>
 *
 * <p>Construct it once per registry: it registers {@code courier_api_requests_total} there.
 */
public final class StatusApi extends AllDirectives {

    private final ApiJson json = ApiJson.shared();
    private final ApiMetrics metrics;
    private final ProblemHandlers problems;
    private TransferRoutes transfers; // rebuilt by withEventSettings
    private TransferPayments payments; // optional: kept across a rebuild of the transfer routes
    private final ChainRoutes chains;
    private final HealthRoutes health;
    private final MetricsRoutes metricsRoutes;
    private final OpenApiRoutes openApi;
    private final TransferQueries queries;
    private final PayloadDescriber payloads;
    private AdminRoutes admin; // optional: only when the node wires operator actions
    private QuoteRoutes quotes; // optional: only when the node runs the price oracle
    private ApiTracing tracing; // optional: a server span per request when set
    private AttestationRoutes attestations; // optional: only when the node wires its attestation reads
    private HttpSettings http = HttpSettings.DEFAULT;

    /**
     * The HTTP server's settings ({@code courier.api.cors} and {@code courier.api.limits}): the origins whose pages
     * may read the API (empty: no CORS headers at all; {@code "*"}: any), the largest request entity (larger: 413)
     * and how long a request may go unanswered (then 503, a {@link Problem#TIMEOUT} problem).
     */
    public record HttpSettings(java.util.List<String> corsAllowedOrigins, long maxRequestBytes, Duration requestTimeout) {
        public static final HttpSettings DEFAULT = new HttpSettings(java.util.List.of(), 64 * 1024, Duration.ofSeconds(20));

        public HttpSettings {
            corsAllowedOrigins = java.util.List.copyOf(corsAllowedOrigins);
            if (maxRequestBytes <= 0 || requestTimeout.isNegative() || requestTimeout.isZero()) {
                throw new IllegalArgumentException("request limits must be positive, got " + maxRequestBytes + " bytes, "
                        + requestTimeout);
            }
        }
    }

    /** With no payload describer ({@link PayloadDescriber#NONE}) and the default readiness deadline. */
    public StatusApi(TransferQueries transfers, ChainStatusSource chains, ReadinessProbe readiness,
                     PrometheusRegistry registry) {
        this(transfers, chains, readiness, registry, PayloadDescriber.NONE, HealthRoutes.DEFAULT_PROBE_TIMEOUT);
    }

    /**
     * @param transfers    the reads behind {@code /v1/transfers}
     * @param chains       the chain states behind {@code /v1/chains}
     * @param readiness    the verdict behind {@code /readyz}
     * @param registry     served at {@code /metrics}; {@code courier_api_requests_total} is registered in it
     * @param payloads     reads amounts out of token-bridge payloads
     * @param probeTimeout how long {@code /readyz} waits for {@code readiness} before answering 503
     */
    public StatusApi(TransferQueries transfers, ChainStatusSource chains, ReadinessProbe readiness,
                     PrometheusRegistry registry, PayloadDescriber payloads, Duration probeTimeout) {
        Objects.requireNonNull(registry, "registry");
        this.metrics = new ApiMetrics(registry);
        this.problems = new ProblemHandlers(json);
        this.queries = transfers;
        this.payloads = payloads;
        this.transfers = new TransferRoutes(transfers, payloads, json);
        this.chains = new ChainRoutes(chains, json);
        this.health = new HealthRoutes(readiness, probeTimeout, json);
        this.metricsRoutes = new MetricsRoutes(registry, json);
        this.openApi = new OpenApiRoutes(json);
    }

    /** Every route, with problem handling and request counting around them. */
    public Route route() {
        ApiTracing traced = tracing;
        return extractRequest(request -> { // evaluated once per request: a fresh template holder for each
            RouteTemplate template = new RouteTemplate();
            io.opentelemetry.api.trace.Span span = traced == null ? null : traced.start(request);
            return mapRequest(r -> r.addAttribute(ApiMetrics.TEMPLATE, template), () ->
                    mapResponse(response -> {
                        metrics.record(template.get(), response.status().intValue());
                        if (span != null) {
                            traced.end(span, request, template.get(), response.status().intValue());
                        }
                        return response;
                    }, () -> cors(() -> withRequestTimeoutResponse(problems::timeout, () ->
                            extractUri(uri -> handleExceptions(problems.exceptions(), () ->
                                    handleRejections(problems.rejections(uri.path()), () -> concat(
                                            transfers.route(),
                                            attestations == null ? reject() : attestations.route(),
                                            chains.route(),
                                            health.route(),
                                            metricsRoutes.route(),
                                            openApi.route(),
                                            admin == null ? reject() : admin.route(),
                                            quotes == null ? reject() : quotes.route()))))))));
        });
    }

    /**
     * Binds {@link #route()} on {@code host:port} (port 0: any free port, see {@link ServerBinding#localAddress()}),
     * with HTTP parsing errors answered as problems too ({@link ProblemParsingErrorHandler}).
     */
    public CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port) {
        ServerSettings defaults = ServerSettings.create(system.classicSystem());
        ServerSettings settings = defaults
                .withParsingErrorHandler(ProblemParsingErrorHandler.class.getName())
                // a larger entity fails when read, answered 413 by ProblemHandlers
                .withParserSettings(defaults.getParserSettings().withMaxContentLength(http.maxRequestBytes()))
                .withTimeouts(defaults.getTimeouts().withRequestTimeout(
                        scala.concurrent.duration.Duration.fromNanos(http.requestTimeout().toNanos())));
        return Http.get(system).newServerAt(host, port).withSettings(settings).bind(route());
    }

    /** CORS and request limits ({@link HttpSettings}) instead of the defaults (CORS off, 64 KiB, 20 s); before {@link #bind}. */
    public StatusApi withHttpSettings(HttpSettings settings) {
        this.http = Objects.requireNonNull(settings, "settings");
        return this;
    }

    /**
     * CORS for reads, when origins are configured: an allowed {@code Origin} gets {@code Access-Control-Allow-Origin}
     * on every answer (problems too, so a page can read why), and a preflight ({@code OPTIONS} with
     * {@code Access-Control-Request-Method}) is answered here with GET and HEAD only. The admin routes never get CORS
     * headers: a browser page must not drive operator actions, whatever origin it comes from.
     */
    private Route cors(java.util.function.Supplier<Route> inner) {
        java.util.List<String> origins = http.corsAllowedOrigins();
        if (origins.isEmpty()) {
            return inner.get();
        }
        return extractRequest(request -> {
            java.util.Optional<String> origin = request.getHeader("Origin").map(org.apache.pekko.http.javadsl.model.HttpHeader::value);
            boolean admin = request.getUri().path().startsWith("/v1/admin/");
            if (origin.isEmpty() || admin || !(origins.contains("*") || origins.contains(origin.get()))) {
                return inner.get();
            }
            java.util.List<org.apache.pekko.http.javadsl.model.HttpHeader> headers = java.util.List.of(
                    RawHeader.create("Access-Control-Allow-Origin", origins.contains("*") ? "*" : origin.get()),
                    RawHeader.create("Vary", "Origin"),
                    RawHeader.create("Access-Control-Expose-Headers", "Retry-After"));
            if (request.method().equals(org.apache.pekko.http.javadsl.model.HttpMethods.OPTIONS)
                    && request.getHeader("Access-Control-Request-Method").isPresent()) {
                java.util.List<org.apache.pekko.http.javadsl.model.HttpHeader> preflight = new java.util.ArrayList<>(headers);
                preflight.add(RawHeader.create("Access-Control-Allow-Methods", "GET, HEAD"));
                preflight.add(RawHeader.create("Access-Control-Allow-Headers", "Accept, Cache-Control, Last-Event-ID"));
                preflight.add(RawHeader.create("Access-Control-Max-Age", "600"));
                return complete(org.apache.pekko.http.javadsl.model.HttpResponse.create()
                        .withStatus(org.apache.pekko.http.javadsl.model.StatusCodes.NO_CONTENT).addHeaders(preflight));
            }
            return respondWithHeaders(headers, inner);
        });
    }

    /** Server-sent event streams with these settings (poll, lifetime, heartbeat, caps) instead of the defaults. */
    public StatusApi withEventSettings(TransferRoutes.EventSettings events) {
        this.transfers = new TransferRoutes(queries, payloads, json, events).withPayments(payments);
        return this;
    }

    /** Adds the {@code payment} member (issue 11) to {@code GET /v1/transfers/{id}}. */
    public StatusApi withPayments(TransferPayments payments) {
        this.payments = payments;
        this.transfers.withPayments(payments);
        return this;
    }

    /** Adds the authenticated admin routes ({@code /v1/admin/...}); without a token they answer 403. */
    public StatusApi withAdmin(ChainAdmin chainAdmin, java.util.Optional<String> token) {
        this.admin = new AdminRoutes(chainAdmin, token, json);
        return this;
    }

    /** As {@link #withAdmin(ChainAdmin, java.util.Optional)}, with the transfer actions (retry, park, unpark) too. */
    public StatusApi withAdmin(ChainAdmin chainAdmin, TransferAdmin transferAdmin, java.util.Optional<String> token) {
        this.admin = new AdminRoutes(chainAdmin, java.util.Objects.requireNonNull(transferAdmin, "transferAdmin"), token, json);
        return this;
    }

    /** Adds {@code GET /v1/quote}, quoting from {@code prices} with {@code policy}. */
    public StatusApi withQuotes(io.courier.relayer.status.OraclePrices prices, io.courier.oracle.QuotePolicy policy,
                                java.time.Clock clock) {
        this.quotes = new QuoteRoutes(prices, policy, clock, json);
        return this;
    }

    /** A server span per request ({@link ApiTracing}): route template, method, status. */
    public StatusApi withTracing(io.opentelemetry.api.OpenTelemetry openTelemetry) {
        this.tracing = new ApiTracing(openTelemetry);
        return this;
    }

    /**
     * Adds {@code GET /v1/transfers/{messageId}/attestation} (self-relay): signatures read from {@code store}, chosen
     * with {@code keys}' validator set and threshold, for the gateways of the served chains; a delivered transfer's
     * answer shows what its destination transaction used, read with {@code inputs}.
     */
    public StatusApi withAttestations(io.courier.finality.store.AttestationStore store, io.courier.relayer.signing.ValidatorKeys keys,
                                      java.util.Map<Long, io.courier.chain.message.Address> gateways, TransactionInputs inputs) {
        this.attestations = new AttestationRoutes(queries, store, keys, gateways, inputs, json);
        return this;
    }

    public ApiMetrics metrics() {
        return metrics;
    }
}
