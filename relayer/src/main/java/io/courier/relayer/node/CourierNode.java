package io.courier.relayer.node;

import io.courier.relayer.status.HaltedChains;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import com.datastax.oss.driver.internal.core.session.throttling.ConcurrencyLimitingRequestThrottler;
import io.courier.chain.web3j.Backoff;
import io.courier.chain.ChainClient;
import io.courier.chain.web3j.ChainClientSettings;
import io.courier.chain.LogRangePlanner;
import io.courier.chain.LogScanner;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.quorum.SourceWitnesses;
import io.courier.chain.web3j.Web3jChainClient;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.cassandra.CqlTracing;
import io.courier.finality.cassandra.CourierSchema;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.api.ChainAdmin;
import io.courier.relayer.status.ChainStatusBoard;
import io.courier.relayer.status.SignerFunds;
import io.courier.relayer.submit.StepDeadlines;
import io.courier.relayer.api.ReadinessProbe;
import io.courier.relayer.api.StatusApi;
import io.courier.relayer.api.StoreTransferQueries;
import io.courier.relayer.api.TransferRoutes;
import io.courier.relayer.watch.OracleQuotes;
import io.courier.relayer.watch.Payments;
import io.courier.relayer.attest.Attester;
import io.courier.relayer.signing.ValidatorKeys;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.monitor.StuckMonitor;
import io.courier.relayer.price.PriceWatcher;
import io.courier.relayer.submit.Submitter;
import io.courier.finality.StuckRule;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.PrometheusRpcObserver;
import io.courier.relayer.telemetry.TransferTracing;
import io.courier.relayer.watch.ChainWatcher;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.http.javadsl.ServerBinding;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.crypto.Credentials;

/**
 * One running Courier node: Cassandra session and schema, a chain client per chain, the actor system with
 * its watchers, attester and submitters, and the HTTP API. {@link #start} returns once all of it runs;
 * {@link #close} stops it in reverse order.
 */
public final class CourierNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(CourierNode.class);

    private final CqlSession session;
    private final CqlSession apiSession;
    private final CassandraStores stores;
    private final Map<Long, ChainClient> clients;
    private final ScheduledExecutorService scheduler;
    private final ActorSystem<Void> system;
    private final ActorSystem<Void> apiSystem;
    private final ServerBinding binding;
    private final OpenTelemetrySdk openTelemetry;
    private final ChainStatusBoard board;
    private final CourierMetrics metrics;

    private CourierNode(CqlSession session, CqlSession apiSession, CassandraStores stores, Map<Long, ChainClient> clients,
                        ScheduledExecutorService scheduler, ActorSystem<Void> system, ActorSystem<Void> apiSystem, ServerBinding binding,
                        OpenTelemetrySdk openTelemetry, ChainStatusBoard board, CourierMetrics metrics) {
        this.session = session;
        this.apiSession = apiSession;
        this.stores = stores;
        this.clients = clients;
        this.scheduler = scheduler;
        this.system = system;
        this.apiSystem = apiSystem;
        this.binding = binding;
        this.openTelemetry = openTelemetry;
        this.board = board;
        this.metrics = metrics;
    }

    public static CourierNode start(NodeConfig config, Clock clock) {
        OpenTelemetrySdk otel = TransferTracing.autoConfigured("courier-relayer", config.nodeName());
        try {
            return start(config, clock, new PrometheusRegistry(), otel);
        } catch (RuntimeException | Error e) {
            otel.close();
            throw e;
        }
    }

    /**
     * Starts a node, or fails having released everything it opened (Cassandra session, RPC clients and their
     * scheduler, the actor system): a node that cannot bind its API port must not leave threads and sockets behind
     * in a process that goes on (the demo, a test, an embedding application).
     */
    public static CourierNode start(NodeConfig config, Clock clock, PrometheusRegistry registry, OpenTelemetrySdk otel) {
        Deque<AutoCloseable> opened = new ArrayDeque<>();
        try {
            return assemble(config, clock, registry, otel, opened);
        } catch (RuntimeException | Error e) {
            while (!opened.isEmpty()) {
                try {
                    opened.pop().close();
                } catch (Exception closing) {
                    e.addSuppressed(closing);
                }
            }
            throw e;
        }
    }

    private static CourierNode assemble(NodeConfig config, Clock clock, PrometheusRegistry registry, OpenTelemetrySdk otel,
                                        Deque<AutoCloseable> opened) {
        if (config.submitter().key().isEmpty()) {
            throw new IllegalStateException("courier.submitter.key-file (or COURIER_SUBMITTER_KEY) is not set: "
                    + "the node cannot pay for destination transactions");
        }
        CourierMetrics metrics = CourierMetrics.withJvm(registry);
        metrics.declareChains(config.chains().stream().collect(Collectors.toMap(ChainSettings::chainId, ChainSettings::name)));
        TransferTracing tracing = new TransferTracing(otel, metrics);
        CqlSession session = connect(config.cassandra(), new CqlTracing(otel));
        opened.push(session);
        CourierSchema schema = CourierSchema.of(session, config.cassandra().keyspace()).owner(config.nodeName());
        if (config.cassandra().createKeyspace()) {
            schema = schema.createKeyspace(Map.of("class", "SimpleStrategy",
                    "replication_factor", Integer.toString(config.cassandra().replicationFactor())));
        }
        CourierSchema.Result migrated = schema.migrate();
        log.info("cassandra keyspace {} at schema version {} (applied now: {})", config.cassandra().keyspace(),
                migrated.version(), migrated.appliedNow());
        CassandraStores stores = CassandraStores.prepare(session, config.cassandra().keyspace());
        CqlSession apiSession = ApiSession.connect(config.cassandra(), config.api()); // the API's own budget
        opened.push(apiSession);
        TransferStore apiReads = ApiSession.transfers(apiSession, config.cassandra().keyspace(), config.api());

        ScheduledThreadPoolExecutor scheduler = new ScheduledThreadPoolExecutor(2, r -> {
            Thread t = new Thread(r, "courier-rpc-scheduler");
            t.setDaemon(true);
            return t;
        });
        scheduler.prestartAllCoreThreads(); // retry delays and deadlines of every chain: ready before the first failure
        opened.push(scheduler::shutdownNow);
        io.courier.chain.RpcObserver observer = tracing.rpcObserver(new PrometheusRpcObserver(metrics));
        Map<Long, ChainClient> clients = new LinkedHashMap<>();
        for (ChainSettings chain : config.chains()) {
            Backoff backoff = Backoff.defaults();
            ChainClientSettings settings = new ChainClientSettings(chain.name(), chain.chainId(), chain.rpcUrls().get(0),
                    chain.requestTimeout(), chain.maxRequestsInFlight(), chain.maxRequestsQueued(),
                    new Backoff(chain.retry().initialBackoff(), chain.retry().maxBackoff(), 2.0, backoff.jitter(), chain.retry().maxAttempts()),
                    observer).withEndpoints(chain.rpcUrls()).withEndpointPool(chain.endpointPool());
            ChainClient client = Web3jChainClient.create(settings, scheduler);
            opened.push(client);
            clients.put(chain.chainId(), client);
        }
        verifyChainIds(clients);
        Map<Long, SourceWitnesses> witnesses = new LinkedHashMap<>();
        for (ChainSettings chain : config.chains()) {
            List<SourceWitnesses.Witness> endpoints = clients.get(chain.chainId()).perEndpoint().entrySet().stream()
                    .map(e -> new SourceWitnesses.Witness(e.getKey(), e.getValue())).toList();
            witnesses.put(chain.chainId(), new SourceWitnesses(chain.name(), endpoints, chain.quorum(),
                    new MessageSentDecoder(chain.chainId(), chain.gateway().toHex())));
        }

        SignerFunds funds = new SignerFunds();
        ChainStatusBoard board = new ChainStatusBoard(funds);
        ValidatorKeys keys = new ValidatorKeys(config.validator().keys(), config.validator().set(), config.validator().threshold());
        Credentials signer = Credentials.create(config.submitter().key().get().hex());
        Map<Long, String> gateways = config.chains().stream().collect(Collectors.toMap(ChainSettings::chainId, c -> c.gateway().toHex()));
        Set<Long> chainIds = gateways.keySet();

        StuckMonitor.Board stuckBoard = new StuckMonitor.Board();
        PriceWatcher.Board priceBoard = new PriceWatcher.Board();
        HaltedChains halted = new HaltedChains();
        // issue 11: each route's payment policy against the quotes of the node's own oracle
        Payments payments = Payments.of(stores.payments(), config.payment(), new OracleQuotes(priceBoard, config.oracle().quotes(),
                clients, config.chains().stream().collect(Collectors.toMap(ChainSettings::chainId, ChainSettings::gateway)), clock));
        NodeGuardian.Blueprint blueprint = new NodeGuardian.Blueprint(
                config.chains(),
                submitters -> new Attester.Wiring(keys, stores.transfers(), stores.attestations(), gateways, submitters,
                        metrics, tracing, clock, halted, witnesses),
                (chain, attester, checkpoints) -> new Submitter.Wiring(chain.chainId(), chain.name(), chain.gateway(),
                        clients.get(chain.chainId()), signer, config.submitter(), chain.fees(), stores.transfers(), stores.attestations(),
                        stores.submissions(), keys, attester, checkpoints, metrics, tracing, clock, halted, StepDeadlines.STAGE_DEADLINE,
                        funds, chain.signerFloorWei()),
                (chain, attester) -> new ChainWatcher.Wiring(clients.get(chain.chainId()),
                        new LogScanner(clients.get(chain.chainId()), LogRangePlanner.startingAt(chain.maxLogRange())),
                        new MessageSentDecoder(chain.chainId(), chain.gateway().toHex()), stores.transfers(), stores.cursors(),
                        chainIds.stream().filter(id -> id != chain.chainId()).collect(Collectors.toSet()),
                        board, clock, metrics, tracing, attester, halted, witnesses.get(chain.chainId()), payments),
                new StuckMonitor.Wiring(List.copyOf(chainIds), stores.transfers(),
                        new StuckRule(config.monitor().slaByRoute(), config.monitor().defaultSla()), config.monitor().interval(),
                        config.monitor().lookbackDays(), config.monitor().maxPerDestination(), metrics, clock),
                stuckBoard,
                OracleWiring.prices(config.oracle(), clients, metrics, clock), priceBoard, keys.size());
        ActorSystem<Void> system = ActorSystem.create(NodeGuardian.create(blueprint), "courier");
        // the GasOracle updater is a role of its own (its own key), beside the guardian's relay pipeline
        OracleWiring.updater(config.oracle(), clients, config.chains().stream().collect(Collectors.toMap(ChainSettings::chainId,
                ChainSettings::name)), priceBoard, metrics, clock).ifPresent(updater ->
                system.systemActorOf(io.courier.relayer.price.GasOracleUpdater.create(updater), "gas-oracle-updater",
                        org.apache.pekko.actor.typed.Props.empty()));
        opened.push(() -> {
            system.terminate();
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        });

        // the API serves on an actor system of its own with courier.api.threads threads: reader load cannot take the
        // relay's dispatcher threads, and takes at most that many cores (docs/ARCHITECTURE.md §6)
        ActorSystem<Void> apiSystem = ActorSystem.create(org.apache.pekko.actor.typed.javadsl.Behaviors.empty(), "courier-api",
                apiSystemConfig(config.api().threads()));
        opened.push(() -> {
            apiSystem.terminate();
            apiSystem.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        });
        ServerBinding binding;
        try {
            ChainAdmin admin = chainId -> chainIds.contains(chainId)
                    ? stores.cursors().resume(chainId, clock.instant()).thenApply(stored -> {
                        halted.resume(chainId);
                        log.warn("chain {} resumed by an operator (cursor {} in Cassandra)", chainId, stored ? "updated" : "absent");
                        return true;
                    })
                    : java.util.concurrent.CompletableFuture.completedFuture(false);
            Map<Long, io.courier.chain.message.Address> gatewayAddresses = config.chains().stream()
                    .collect(Collectors.toMap(ChainSettings::chainId, ChainSettings::gateway));
            // delivered transfers from memory, concurrent reads of one id coalesced (docs/ARCHITECTURE.md §6)
            io.courier.relayer.api.TransferQueries reads = new io.courier.relayer.api.CachedTransferQueries(
                    new StoreTransferQueries(apiReads, stuckBoard),
                    new io.courier.relayer.api.CachedTransferQueries.Settings(config.api().cache().maxEntries(),
                            config.api().cache().ttl()), clock);
            StatusApi api = new StatusApi(reads, board,
                    ReadinessProbe.all(List.of(new CassandraReadiness(apiSession), ReadinessProbe.chains(board))), registry)
                    .withAdmin(admin, new io.courier.relayer.api.StoreTransferAdmin(stores.transfers(), java.util.Optional.of(stores.payments()), clock),
                            config.api().adminToken().map(NodeConfig.Secret::hex))
                    .withTracing(otel)
                    .withHttpSettings(new StatusApi.HttpSettings(config.api().http().corsAllowedOrigins(),
                            config.api().http().maxRequestBytes(), config.api().http().requestTimeout()))
                    .withQuotes(priceBoard, config.oracle().quotes(), clock)
                    .withPayments(new io.courier.relayer.api.TransferPayments(ApiSession.payments(apiSession,
                            config.cassandra().keyspace()), config.payment(), gatewayAddresses))
                    .withAttestations(ApiSession.attestations(apiSession, config.cassandra().keyspace()), keys, gatewayAddresses,
                            (chainId, tx) -> clients.containsKey(chainId) ? clients.get(chainId).transactionInput(tx)
                                    : java.util.concurrent.CompletableFuture.failedFuture(new IllegalArgumentException(
                                            "chain " + chainId + " is not served by this node")))
                    .withEventSettings(new TransferRoutes.EventSettings(TransferRoutes.EventSettings.DEFAULT.poll(),
                            TransferRoutes.EventSettings.DEFAULT.maxOpen(), TransferRoutes.EventSettings.DEFAULT.heartbeat(),
                            config.api().maxEventStreams(), config.api().maxEventStreamsPerClient(),
                            config.api().eventsUnknownWait()));
            binding = api.bind(apiSystem, config.api().host(), config.api().port()).toCompletableFuture().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("status API could not bind " + config.api().host() + ":" + config.api().port()
                    + ": " + e.getMessage(), e);
        }
        log.info("courier node {} up: {} chains, API on {}", config.nodeName(), clients.size(), binding.localAddress());
        return new CourierNode(session, apiSession, stores, clients, scheduler, system, apiSystem, binding, otel, board, metrics);
    }

    /** The API's actor system: its default and internal dispatchers bounded to {@code threads} threads. */
    private static com.typesafe.config.Config apiSystemConfig(int threads) {
        String pool = "{ fork-join-executor { parallelism-min = %d, parallelism-factor = 1.0, parallelism-max = %d } }"
                .formatted(threads, threads);
        return com.typesafe.config.ConfigFactory.parseString("pekko.actor.default-dispatcher = " + pool
                        + "\npekko.actor.internal-dispatcher = " + pool)
                .withFallback(com.typesafe.config.ConfigFactory.load());
    }

    /**
     * Asks every endpoint of every chain for its chain id before anything is read from it. An endpoint serving
     * another chain is a configuration error that could make the node sign another chain's logs: the node refuses
     * to start and names it. An endpoint that does not answer is only logged; the watcher rides out outages.
     */
    private static void verifyChainIds(Map<Long, ChainClient> clients) {
        Map<Long, java.util.concurrent.CompletableFuture<Void>> checks = new LinkedHashMap<>();
        clients.forEach((id, client) -> checks.put(id, client.verifyChainId().toCompletableFuture()));
        for (Map.Entry<Long, java.util.concurrent.CompletableFuture<Void>> check : checks.entrySet()) {
            ChainClient client = clients.get(check.getKey());
            try {
                check.getValue().get(60, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (e.getCause() instanceof io.courier.chain.ChainRpcException rpc
                        && rpc.kind() == io.courier.chain.ChainRpcException.Kind.WRONG_CHAIN) {
                    throw new IllegalStateException("chain " + client.name() + " (" + client.chainId() + "): an RPC endpoint"
                            + " serves another chain; fix its rpc-url(s): " + rpc.getMessage(), rpc);
                }
                log.warn("chain {} ({}): chain id not verified at start (the endpoints did not answer): {}",
                        client.name(), client.chainId(), e.getCause() == null ? e.toString() : e.getCause().getMessage());
            } catch (java.util.concurrent.TimeoutException e) {
                log.warn("chain {} ({}): chain id not verified at start within 60 s", client.name(), client.chainId());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while verifying chain ids", e);
            }
        }
    }

    /** A session as the node opens it (the CLI's operator commands use the same settings). */
    public static CqlSession connect(NodeConfig.CassandraSettings c) {
        return connect(c, "courier", c.requestTimeout(), c.maxRequestsInFlight(), 10_000, null);
    }

    /** As {@link #connect(NodeConfig.CassandraSettings)}, with a span per statement issued in a traced context. */
    static CqlSession connect(NodeConfig.CassandraSettings c, CqlTracing tracing) {
        return connect(c, "courier", c.requestTimeout(), c.maxRequestsInFlight(), 10_000, tracing);
    }

    /** A session named {@code name} whose throttler keeps {@code inFlight} requests in flight and {@code queued} waiting. */
    static CqlSession connect(NodeConfig.CassandraSettings c, String name, Duration requestTimeout, int inFlight, int queued) {
        return connect(c, name, requestTimeout, inFlight, queued, null);
    }

    private static CqlSession connect(NodeConfig.CassandraSettings c, String name, Duration requestTimeout, int inFlight, int queued,
                                      CqlTracing tracing) {
        DriverConfigLoader loader = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.SESSION_NAME, name)
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, requestTimeout)
                .withString(DefaultDriverOption.REQUEST_THROTTLER_CLASS, ConcurrencyLimitingRequestThrottler.class.getSimpleName())
                .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_CONCURRENT_REQUESTS, inFlight)
                .withInt(DefaultDriverOption.REQUEST_THROTTLER_MAX_QUEUE_SIZE, queued)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, Duration.ofSeconds(10))
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, Duration.ofSeconds(20))
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, Duration.ofSeconds(20))
                .withString(DefaultDriverOption.PROTOCOL_VERSION, c.protocol().name()) // why: NodeConfig.CqlProtocol
                .build();
        List<InetSocketAddress> points = c.contactPoints().stream()
                .map(p -> new InetSocketAddress(p.getHostString(), p.getPort())).toList();
        var builder = CqlSession.builder()
                .addContactPoints(points)
                .withLocalDatacenter(c.localDatacenter())
                .withConfigLoader(loader);
        return (tracing == null ? builder : tracing.installOn(builder)).build();
    }

    /** The CQL native protocol the node's session negotiated ({@code courier.cassandra.protocol-version}). */
    public String cqlProtocol() {
        return session.getContext().getProtocolVersion().name();
    }

    public String apiUrl() {
        InetSocketAddress address = binding.localAddress();
        return "http://" + address.getHostString() + ":" + address.getPort();
    }

    public int apiPort() {
        return binding.localAddress().getPort();
    }

    public TransferStore transfers() {
        return stores.transfers();
    }

    public CassandraStores stores() {
        return stores;
    }

    public ChainStatusBoard board() {
        return board;
    }

    public CourierMetrics metrics() {
        return metrics;
    }

    @Override
    public void close() {
        try {
            binding.unbind().toCompletableFuture().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("unbinding the API failed: {}", e.toString());
        }
        apiSystem.terminate();
        try {
            apiSystem.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("the API's actor system did not stop in time: {}", e.toString());
        }
        system.terminate();
        try {
            system.getWhenTerminated().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.warn("actor system did not stop in time: {}", e.toString());
        }
        clients.values().forEach(ChainClient::close);
        scheduler.shutdownNow();
        apiSession.close();
        session.close();
        openTelemetry.close();
        log.info("courier node stopped");
    }

    @Override
    public String toString() {
        return "CourierNode[" + apiUrl() + "]";
    }
}
