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
                    }, () -> withRequestTimeoutResponse(problems::timeout, () ->
                            extractUri(uri -> handleExceptions(problems.exceptions(), () ->
                                    handleRejections(problems.rejections(uri.path()), () -> concat(
                                            transfers.route(),
                                            attestations == null ? reject() : attestations.route(),
                                            chains.route(),
                                            health.route(),
                                            metricsRoutes.route(),
                                            openApi.route(),
                                            admin == null ? reject() : admin.route(),
                                            quotes == null ? reject() : quotes.route())))))));
        });
    }

    /**
     * Binds {@link #route()} on {@code host:port} (port 0: any free port, see {@link ServerBinding#localAddress()}),
     * with HTTP parsing errors answered as problems too ({@link ProblemParsingErrorHandler}).
     */
    public CompletionStage<ServerBinding> bind(ActorSystem<?> system, String host, int port) {
        ServerSettings settings = ServerSettings.create(system.classicSystem())
                .withParsingErrorHandler(ProblemParsingErrorHandler.class.getName());
        return Http.get(system).newServerAt(host, port).withSettings(settings).bind(route());
    }

    /** Server-sent event streams with these settings (poll, lifetime, heartbeat, caps) instead of the defaults. */
    public StatusApi withEventSettings(TransferRoutes.EventSettings events) {
        this.transfers = new TransferRoutes(queries, payloads, json, events);
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
     * with {@code keys}' validator set and threshold, for the gateways of the served chains.
     */
    public StatusApi withAttestations(io.courier.finality.store.AttestationStore store, io.courier.relayer.signing.ValidatorKeys keys,
                                      java.util.Map<Long, io.courier.chain.message.Address> gateways) {
        this.attestations = new AttestationRoutes(queries, store, keys, gateways, json);
        return this;
    }

    public ApiMetrics metrics() {
        return metrics;
    }
}
