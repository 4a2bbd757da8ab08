package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.courier.testkit.LocalPartException;
import java.io.IOException;
import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A JSON-RPC HTTP proxy on loopback, placed between Courier and a real Ganache for finality and fault tests.
 *
 * <p>Why a proxy rather than a mock: the chain stays real (blocks, receipts, reorgs by {@code evm_revert}), and
 * only what Ganache cannot do is added on the wire, where Courier's client sees it exactly as it would from a
 * public endpoint:
 * <ul>
 *   <li><b>Block tags.</b> Ganache answers {@code safe} and {@code finalized} as {@code latest}. With
 *       {@link #finalizedDepth(int)} / {@link #safeDepth(int)} the proxy rewrites those tags, in every method
 *       that takes a block ({@code eth_getBlockByNumber}, {@code eth_getBalance}, {@code eth_call}, the
 *       {@code fromBlock}/{@code toBlock} of {@code eth_getLogs}, ...), to {@code latest − k} (never below 0),
 *       learning {@code latest} with its own {@code eth_blockNumber}, cached for at most 100 ms.</li>
 *   <li><b>Faults</b> ({@link FaultKind}), settable and clearable while requests flow, each counted
 *       ({@link #injected(FaultKind)}): JSON-RPC errors, timeouts, dropped connections, "header not found", rate
 *       limiting (429), a stale head, invented blocks above the head, an outage (503), and a closed listening
 *       socket ({@link #offline()}).</li>
 *   <li><b>Lies</b> ({@link Lies}): well-formed answers that are false, for tests of a node that must not trust
 *       one endpoint: logs invented into {@code eth_getLogs} answers ({@link #inventLogs}), a head far ahead
 *       with invented blocks up to it ({@link #claimHeadAhead}), and any result rewritten, {@code null} ones too
 *       ({@link #rewriteResult}: forged receipts). They ignore the {@link #methods} filter, are switched like the
 *       faults and counted by kind ({@link FaultKind#INVENTED_LOG}, ...). A test's inventor or rewriter that fails
 *       answers that call alone with {@code -32603} ({@link FaultKind#LIE_FAILED}).</li>
 * </ul>
 * Everything else is forwarded unchanged with {@link java.net.http.HttpClient}; JSON-RPC batches are handled call
 * by call and answered in the caller's order.
 *
 * <p>Threads are bounded: {@value #WORKERS} workers with a queue of {@value #QUEUE} requests (beyond that a
 * connection is closed), a timer for the holds of timed-out requests (at most {@value #MAX_HELD} held at once,
 * none longer than {@link FaultPlan#MAX_HOLD}), and {@value #UPSTREAM_THREADS} threads for the upstream client.
 * Probabilities come from one {@link Random}: {@link #seed(long)} makes a run of sequential requests repeatable.
 */
public final class RpcProxy implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RpcProxy.class);

    static {
        // The JDK server writes the status line and headers, then the body, in two segments; with Nagle's algorithm
        // on (its default), the body waits for the client's delayed ACK: ~40 ms added to every answer (measured here:
        // 400 small requests took 18 s instead of ~1 s). The property is read once, when the first HttpServer of the
        // JVM is created, so it is set here unless the user chose a value. A JVM that created an HttpServer before
        // the first RpcProxy keeps its setting: pass -Dsun.net.httpserver.nodelay=true then.
        if (System.getProperty("sun.net.httpserver.nodelay") == null) {
            System.setProperty("sun.net.httpserver.nodelay", "true");
        }
    }

    static final int WORKERS = 8;
    static final int QUEUE = 256;
    static final int MAX_HELD = 256;
    static final int UPSTREAM_THREADS = 2;

    private final Upstream upstream;
    private final ProxyHandler handler;
    private final ThreadPoolExecutor workers;
    private final ExecutorService upstreamThreads;
    private final ScheduledThreadPoolExecutor timer;
    private final Set<HttpExchange> held = ConcurrentHashMap.newKeySet();
    private final Map<FaultKind, LongAdder> injected = new EnumMap<>(FaultKind.class);
    private final LongAdder forwarded = new LongAdder();
    private final AtomicReference<FaultPlan> plan = new AtomicReference<>(FaultPlan.NONE);
    private final Object serverLock = new Object();

    private final int port;
    private final String url;
    private volatile HttpServer server; // null while offline
    private volatile TokenBucket bucket;
    private volatile java.util.function.LongSupplier bucketClock = System::nanoTime;
    private volatile Random random = new Random();
    private volatile int finalizedDepth = -1;
    private volatile int safeDepth = -1;
    private volatile boolean closed;

    private RpcProxy(URI upstreamUri) {
        String name = "rpc-proxy-" + SEQUENCE.incrementAndGet();
        ObjectMapper json = new ObjectMapper();
        this.upstreamThreads = Executors.newFixedThreadPool(UPSTREAM_THREADS, daemon(name + "-upstream"));
        this.upstream = new Upstream(upstreamUri, upstreamThreads, json);
        this.handler = new ProxyHandler(this, upstream, json);
        this.workers = new ThreadPoolExecutor(WORKERS, WORKERS, 30, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(QUEUE), daemon(name + "-worker"), new ThreadPoolExecutor.AbortPolicy());
        this.workers.allowCoreThreadTimeOut(true);
        this.timer = new ScheduledThreadPoolExecutor(1, daemon(name + "-timer"));
        this.timer.setRemoveOnCancelPolicy(true);
        for (FaultKind kind : FaultKind.values()) {
            injected.put(kind, new LongAdder());
        }
        try {
            this.server = bind(0);
        } catch (IOException e) {
            shutdownPools();
            throw new LocalPartException("RpcProxy: cannot listen on 127.0.0.1: " + e.getMessage(), e);
        }
        this.port = server.getAddress().getPort();
        this.url = "http://127.0.0.1:" + port;
    }

    private static final AtomicInteger SEQUENCE = new AtomicInteger();

    /**
     * Starts a proxy for the JSON-RPC endpoint {@code upstreamUrl} (for example {@link io.courier.testkit.LocalChain#rpcUrl()})
     * on a free port of 127.0.0.1. The upstream is not contacted until the first request.
     */
    public static RpcProxy start(String upstreamUrl) {
        URI uri = URI.create(Objects.requireNonNull(upstreamUrl, "upstreamUrl"));
        if (!"http".equals(uri.getScheme()) && !"https".equals(uri.getScheme())) {
            throw new IllegalArgumentException("upstream must be an http(s) URL, was " + upstreamUrl);
        }
        RpcProxy proxy = new RpcProxy(uri);
        log.info("RpcProxy {} -> {} started", proxy.url, uri);
        return proxy;
    }

    private HttpServer bind(int wantedPort) throws IOException {
        HttpServer created = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), wantedPort), 128);
        created.createContext("/", handler);
        created.setExecutor(workers);
        created.start();
        return created;
    }

    private static ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + n.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        };
    }

    /** The proxy's own URL ({@code http://127.0.0.1:port}): point the client under test here. It never changes. */
    public String url() {
        return url;
    }

    public int port() {
        return port;
    }

    public String upstreamUrl() {
        return upstream.uri().toString();
    }

    // ---- block tags -------------------------------------------------------------------------------------------

    /** Answers {@code "finalized"} as block {@code latest − k} (at least 0) in every method taking a block. */
    public RpcProxy finalizedDepth(int k) {
        finalizedDepth = requireDepth(k);
        return this;
    }

    /** Answers {@code "safe"} as block {@code latest − k} (at least 0) in every method taking a block. */
    public RpcProxy safeDepth(int k) {
        safeDepth = requireDepth(k);
        return this;
    }

    /** Stops rewriting {@code safe}/{@code finalized}: the node answers them itself (Ganache: as {@code latest}). */
    public RpcProxy clearBlockTagDepths() {
        finalizedDepth = -1;
        safeDepth = -1;
        return this;
    }

    private static int requireDepth(int k) {
        if (k < 0) {
            throw new IllegalArgumentException("depth must be >= 0, was " + k);
        }
        return k;
    }

    int finalizedDepthOrNone() {
        return finalizedDepth;
    }

    int safeDepthOrNone() {
        return safeDepth;
    }

    // ---- faults -----------------------------------------------------------------------------------------------

    /** With probability {@code p}, answers a call with JSON-RPC error {@code -32603 "internal error"} instead of forwarding it. */
    public RpcProxy errorRate(double p) {
        return update(f -> f.withErrorRate(p));
    }

    /**
     * With probability {@code p}, holds a request for {@code hold} (the caller's own timeout should fire first), then
     * closes its connection without an answer.
     */
    public RpcProxy timeoutRate(double p, Duration hold) {
        return update(f -> f.withTimeout(p, hold));
    }

    /** With probability {@code p}, closes the connection before any HTTP response: the client reads EOF / a reset. */
    public RpcProxy dropRate(double p) {
        return update(f -> f.withDropRate(p));
    }

    /**
     * With probability {@code p}, answers {@code eth_getBlockByNumber}, {@code eth_getLogs} and {@code eth_call} with
     * {@code -32000 "header not found"}: what a load-balanced endpoint says when a request lands on a lagging node.
     */
    public RpcProxy headerNotFoundRate(double p) {
        return update(f -> f.withHeaderNotFoundRate(p));
    }

    /**
     * Beyond {@code requestsPerSecond} HTTP requests per second (a batch counts once; 0 refuses all), answers HTTP 429
     * with {@code Retry-After: <seconds, rounded up>} and a JSON-RPC error {@code -32005 "rate limit exceeded"}.
     */
    public RpcProxy rateLimit(int requestsPerSecond, Duration retryAfter) {
        synchronized (plan) {
            update(f -> f.withRateLimit(requestsPerSecond, retryAfter));
            bucket = new TokenBucket(requestsPerSecond, bucketClock);
        }
        return this;
    }

    /** The clock of the rate limits set from now on (tests: a clock that stands still while they count). */
    RpcProxy rateLimitClock(java.util.function.LongSupplier nanoTime) {
        bucketClock = Objects.requireNonNull(nanoTime, "nanoTime");
        return this;
    }

    public RpcProxy noRateLimit() {
        synchronized (plan) {
            update(f -> f.withRateLimit(-1, f.retryAfter()));
            bucket = null;
        }
        return this;
    }

    /**
     * A stale endpoint: from now on {@code eth_blockNumber} answers the head of this moment, {@code latest} (and the
     * {@code safe}/{@code finalized} derived from it) means that block, and blocks above it are {@code null}, while
     * the real chain moves on. Switching on while already stale keeps the first frozen head.
     *
     * @throws java.io.UncheckedIOException if the head cannot be learned from the upstream
     */
    public RpcProxy staleHead(boolean on) {
        synchronized (plan) {
            if (!on) {
                return update(f -> f.withStaleHeadAt(-1));
            }
            if (!plan.get().staleHead()) {
                long head = upstream.freshHead();
                update(f -> f.withStaleHeadAt(head));
            }
        }
        return this;
    }

    /**
     * A lying endpoint: {@code eth_getBlockByNumber} for a number the node does not have (it answers {@code null})
     * gets a well-formed invented block with that number and random hashes.
     */
    public RpcProxy wrongMissingBlock(boolean on) {
        return update(f -> f.withWrongMissingBlock(on));
    }

    /** An outage behind a load balancer: every request is answered HTTP 503 (the method filter does not apply). */
    public RpcProxy down(boolean on) {
        return update(f -> f.withDown(on));
    }

    /**
     * Restricts the faults to calls of these methods (an empty set: all methods). A connection-level fault (drop,
     * timeout, rate limit) hits a request when any of its calls matches. Tag depths are not faults: they always apply.
     */
    public RpcProxy methods(Set<String> methods) {
        return update(f -> f.withMethods(methods));
    }

    /** Reseeds the random source of all fault probabilities, for a repeatable run of sequential requests. */
    public RpcProxy seed(long seed) {
        random = new Random(seed);
        return this;
    }

    /** Clears every fault and lie and the method filter (the tag depths stay; {@link #online()} is separate). */
    public RpcProxy clearFaults() {
        synchronized (plan) {
            plan.set(FaultPlan.NONE);
            bucket = null;
        }
        return this;
    }

    /** The faults in force now. */
    public FaultPlan faults() {
        return plan.get();
    }

    private RpcProxy update(java.util.function.UnaryOperator<FaultPlan> change) {
        plan.updateAndGet(change);
        return this;
    }

    // ---- lies -------------------------------------------------------------------------------------------------

    /**
     * A lying endpoint that invents logs: each {@code eth_getLogs} answer gets the logs {@code inventor} returns for
     * its filter ({@link LogQuery}: the range in numbers, tags resolved as forwarded), merged in where they match the
     * range (or block hash), address and topics, and sorted by block number, then log index. An invented log may sit
     * in a real block with a made-up transaction hash. The inventor runs on the proxy's worker threads (it must be
     * thread-safe); if it throws or answers {@code null}, that call alone gets {@code -32603}. Replaces an earlier
     * inventor.
     */
    public RpcProxy inventLogs(java.util.function.Function<LogQuery, java.util.List<InventedLog>> inventor) {
        Objects.requireNonNull(inventor, "inventor");
        return updateLies(l -> l.withLogInventor(inventor));
    }

    /** {@code eth_getLogs} answers the node's logs only. */
    public RpcProxy stopInventingLogs() {
        return updateLies(l -> l.withLogInventor(null));
    }

    /**
     * A lying endpoint far ahead of the chain: {@code eth_blockNumber} and the {@code latest} block answer the real
     * head + {@code blocks} ({@code safe} and {@code finalized} move by as much: their depths below the claimed head),
     * and {@code eth_getBlockByNumber} of a number between the real and the claimed head answers an invented block
     * whose parent hash is the previous block's (the real head's hash for the first), the same block each time it is
     * asked while the claim lasts. Every other method, and blocks above the claimed head, see the real chain.
     * Changing {@code blocks} while a claim is on keeps its invented blocks; {@code 0} ends the claim.
     *
     * @throws java.io.UncheckedIOException if the head cannot be learned from the upstream when the claim begins
     */
    public RpcProxy claimHeadAhead(long blocks) {
        if (blocks < 0) {
            throw new IllegalArgumentException("blocks must be >= 0, was " + blocks);
        }
        synchronized (plan) {
            Lies.HeadClaim now = plan.get().lies().headClaim();
            if (blocks == 0) {
                return updateLies(l -> l.withHeadClaim(null));
            }
            Lies.HeadClaim claim = now != null
                    ? new Lies.HeadClaim(blocks, now.salt(), now.startHead(), now.startSecond())
                    : new Lies.HeadClaim(blocks, random.nextLong(), upstream.freshHead(), java.time.Instant.now().getEpochSecond());
            return updateLies(l -> l.withHeadClaim(claim));
        }
    }

    /**
     * A lying endpoint that rewrites the result of every successful {@code method} call (an error answer is left
     * alone) before the client sees it, including a {@code null} result: so {@code eth_getTransactionReceipt} can be
     * answered with other logs, status or block hash, or with a receipt (see {@link InventedLog#receiptOf}) for a
     * transaction the chain never had. The rewriter runs after the other lies of the call and must be thread-safe;
     * if it throws or answers a malformed value, that call alone gets {@code -32603}. Replaces an earlier rewriter of
     * {@code method}.
     */
    public RpcProxy rewriteResult(String method, ResultRewriter rewriter) {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(rewriter, "rewriter");
        return updateLies(l -> l.withRewriter(method, rewriter));
    }

    /** Answers {@code method} as the node does again. */
    public RpcProxy stopRewriting(String method) {
        return updateLies(l -> l.withRewriter(method, null));
    }

    /** Ends every lie (the faults stay; {@link #clearFaults()} ends both). */
    public RpcProxy clearLies() {
        return updateLies(l -> Lies.NONE);
    }

    private RpcProxy updateLies(java.util.function.UnaryOperator<Lies> change) {
        return update(f -> f.withLies(change.apply(f.lies())));
    }

    // ---- offline / online -------------------------------------------------------------------------------------

    /**
     * Closes the listening socket and every open connection: new connections are refused, as from a crashed node.
     * {@link #online()} listens again on the same port.
     */
    public RpcProxy offline() {
        synchronized (serverLock) {
            HttpServer current = server;
            if (current != null) {
                server = null;
                current.stop(0);
                releaseHeld();
                log.info("RpcProxy {} offline", url);
            }
        }
        return this;
    }

    /**
     * Listens again on the same port after {@link #offline()}.
     *
     * @throws LocalPartException if another process took the port meanwhile (retried for 3 s)
     */
    public RpcProxy online() {
        synchronized (serverLock) {
            if (closed) {
                throw new IllegalStateException("RpcProxy " + url + " is closed");
            }
            if (server != null) {
                return this;
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
            while (true) {
                try {
                    server = bind(port);
                    log.info("RpcProxy {} online", url);
                    return this;
                } catch (BindException e) {
                    if (System.nanoTime() > deadline) {
                        throw new LocalPartException("RpcProxy: port " + port + " was taken while offline", e);
                    }
                    sleep(50);
                } catch (IOException e) {
                    throw new LocalPartException("RpcProxy: cannot listen again on port " + port + ": " + e.getMessage(), e);
                }
            }
        }
    }

    public boolean isOffline() {
        return server == null;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalPartException("interrupted while rebinding");
        }
    }

    // ---- counters ---------------------------------------------------------------------------------------------

    /** How many times {@code kind} was injected since the start (or {@link #resetCounters()}). */
    public long injected(FaultKind kind) {
        return injected.get(kind).sum();
    }

    /** How many HTTP requests reached the upstream (tag lookups of the proxy itself not included). */
    public long forwarded() {
        return forwarded.sum();
    }

    public void resetCounters() {
        injected.values().forEach(LongAdder::reset);
        forwarded.reset();
    }

    // ---- for ProxyHandler -------------------------------------------------------------------------------------

    FaultPlan plan() {
        return plan.get();
    }

    void count(FaultKind kind) {
        injected.get(kind).increment();
        log.debug("RpcProxy {}: injected {}", url, kind);
    }

    void countForwarded() {
        forwarded.increment();
    }

    Random random() {
        return random;
    }

    /** One independent draw: exactly never at 0 and always at 1 (no draw is made for either). */
    boolean draw(double p) {
        if (p <= 0.0) {
            return false;
        }
        if (p >= 1.0) {
            return true;
        }
        return random.nextDouble() < p;
    }

    /** Whether the rate limit lets one more request through. */
    boolean admit() {
        TokenBucket current = bucket;
        return current == null || current.tryAcquire();
    }

    /** Keeps {@code exchange} unanswered for {@code hold}, then closes its connection. */
    void hold(HttpExchange exchange, Duration hold) {
        if (closed || held.size() >= MAX_HELD) {
            exchange.close();
            return;
        }
        held.add(exchange);
        try {
            timer.schedule(() -> release(exchange), hold.toNanos(), TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            release(exchange);
        }
    }

    private void release(HttpExchange exchange) {
        if (held.remove(exchange)) {
            exchange.close();
        }
    }

    private void releaseHeld() {
        held.forEach(this::release);
    }

    // ---- lifecycle --------------------------------------------------------------------------------------------

    /** Stops listening, closes held and open connections, and stops the threads. */
    @Override
    public void close() {
        synchronized (serverLock) {
            if (closed) {
                return;
            }
            closed = true;
            HttpServer current = server;
            server = null;
            if (current != null) {
                current.stop(0);
            }
        }
        releaseHeld();
        shutdownPools();
        log.info("RpcProxy {} closed ({} forwarded, faults {})", url, forwarded(), injectedSummary());
    }

    private void shutdownPools() {
        timer.shutdownNow();
        workers.shutdownNow();
        upstreamThreads.shutdownNow();
    }

    private String injectedSummary() {
        StringBuilder summary = new StringBuilder("{");
        injected.forEach((kind, count) -> {
            if (count.sum() > 0) {
                summary.append(summary.length() > 1 ? ", " : "").append(kind).append('=').append(count.sum());
            }
        });
        return summary.append('}').toString();
    }

    @Override
    public String toString() {
        return "RpcProxy[" + url + " -> " + upstream.uri() + ", " + plan.get() + "]";
    }
}
