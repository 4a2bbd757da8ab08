package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import io.courier.chain.EndpointHealth;
import io.courier.chain.RpcObserver;

import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.EndpointHealth.State;
import io.courier.chain.web3j.RpcErrorClassifier.EndpointImpact;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.http.HttpService;

/**
 * Several endpoints of one chain behind the {@link EndpointSelector} seam: health scoring, failover with
 * cooldowns and half-open trials, a request budget per endpoint, Retry-After, and demotion of lagging endpoints.
 * Pure bookkeeping under one lock: it never blocks and never sleeps; waiting is the client's business
 * ({@link Wait} is run on the client's scheduler). Times come from an injected monotonic clock.
 *
 * <h2>Choosing an endpoint</h2>
 * <ol>
 *   <li><b>Usable</b> endpoints are those {@link State#UP}, plus those {@link State#HALF_OPEN} whose trial call
 *       is not yet under way. Never usable: in cooldown, under a Retry-After, disabled (wrong chain).</li>
 *   <li>Among usable endpoints the call prefers, in this order: one it has not tried yet (a retry fails over),
 *       one that is not stale, one waiting for its trial call, then the best score. The score is the recent
 *       latency times {@code 1 + 4 × error rate}; scores within 50 % + 20 ms of the best count as a tie, and ties
 *       go to the endpoint configured first, so traffic stays put instead of flapping.</li>
 *   <li>An endpoint without a request token is skipped. If the preferred group has none, the call is told to
 *       {@link Wait} for the earliest token rather than spill over to a stale or already failed endpoint.</li>
 *   <li>No usable endpoint at all: the least bad one that is not under a Retry-After (earliest end of cooldown,
 *       then lowest error rate, then configured order) gets the call as a {@link Send#lastResort() last resort}:
 *       it goes out (a success restores the endpoint) but a failure ends the call at once. A pool of one endpoint
 *       (or with all others disabled) sends normally instead, retries included, as a single URL always did; its
 *       cooldown only shows in {@link #health()}. If every endpoint is under a Retry-After, the call waits for
 *       the first to expire, within {@link EndpointPoolSettings#maxWait()}.</li>
 * </ol>
 *
 * <h2>What an attempt does to its endpoint</h2>
 * {@link RpcErrorClassifier#impactOnEndpoint} decides. An answer, including a caller's error such as a revert or
 * a nonce error, resets the failures in a row and restores an endpoint in cooldown or on trial. A transport
 * failure counts: {@code failuresToCooldown} in a row start a cooldown of {@code cooldownInitial}, less up to
 * 20 % jitter; after it, one trial call (half-open) either restores the endpoint or starts a cooldown twice as
 * long, up to {@code cooldownMax}. A failure carrying Retry-After (HTTP 429 or 503) bars the endpoint until
 * then instead. {@link Kind#WRONG_CHAIN} disables it for good.
 *
 * <h2>Health</h2>
 * Error rate and latency are averages over time with a half-life of 30 s. The error rate counts one virtual
 * success that never decays, so an endpoint that is left alone drifts back to a clean record and is preferred
 * again; latency is forgotten after about two minutes without an answer.
 *
 * <h2>Heads</h2>
 * The client reports the head of each {@code eth_getBlockByNumber("latest")} answer ({@link #reportHead}). An
 * endpoint more than {@code maxHeadLag} blocks behind or ahead of the median head is stale: used only when no fresh
 * endpoint is usable. While stale and otherwise up, the pool asks it for {@code eth_blockNumber} at most once per
 * {@code cooldownInitial} (within its request budget), so it is promoted again when it catches up.
 */
public final class EndpointPool implements EndpointSelector {

    private static final Logger log = LoggerFactory.getLogger(EndpointPool.class);

    private static final double HALF_LIFE_NANOS = TimeUnit.SECONDS.toNanos(30);
    /** Below this decayed weight the latency average is forgotten (about 4.3 half-lives after one answer). */
    private static final double MIN_LATENCY_WEIGHT = 0.05;
    private static final double ERROR_PENALTY = 4.0;
    private static final double TIE_FACTOR = 1.5;
    private static final double TIE_MS = 20.0;
    private static final double COOLDOWN_JITTER = 0.2;
    private static final int MAX_COOLDOWN_LEVEL = 60;

    private final String chain;
    private final EndpointPoolSettings settings;
    private final List<Member> members;
    private final Backoff cooldowns;
    private final Duration requestTimeout;
    private final long probeLeaseNanos;
    private final long headRefreshNanos;
    private final RpcObserver observer;
    private final LongSupplier nanoTime;
    private final Clock clock;
    private final DoubleSupplier random;
    private final Runnable onClose;
    private final RpcErrorClassifier classifier = new RpcErrorClassifier();
    private boolean closed; // guarded by this

    /** Bookkeeping of one endpoint; guarded by the pool's lock. */
    private static final class Member {
        final RpcEndpoint endpoint;
        final int index;
        boolean disabled;
        boolean tripped;
        long cooldownUntil;
        int cooldownLevel;
        boolean probing;
        long probeSince;
        boolean barred;
        long barredUntil;
        int consecutiveFailures;
        double samples;
        double errors;
        double latencyWeight;
        double latencySumMs;
        long statsAt;
        boolean headKnown;
        long head;
        boolean stale;
        boolean headRefreshing;
        long headRefreshedAt;
        double tokens;
        long tokensAt;

        Member(RpcEndpoint endpoint, int index, long now, double tokens) {
            this.endpoint = endpoint;
            this.index = index;
            this.statsAt = now;
            this.tokensAt = now;
            this.tokens = tokens;
            this.headRefreshedAt = now;
        }
    }

    EndpointPool(String chain, List<RpcEndpoint> endpoints, EndpointPoolSettings settings, Duration requestTimeout,
                 RpcObserver observer, LongSupplier nanoTime, Clock clock, DoubleSupplier random, Runnable onClose) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.requestTimeout = Objects.requireNonNull(requestTimeout, "requestTimeout");
        this.observer = observer == null ? RpcObserver.noop() : observer;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.random = Objects.requireNonNull(random, "random");
        this.onClose = Objects.requireNonNull(onClose, "onClose");
        if (endpoints.isEmpty()) {
            throw new IllegalArgumentException("chain " + chain + ": an endpoint pool needs at least one endpoint");
        }
        Set<String> labels = new HashSet<>();
        long now = nanoTime.getAsLong();
        List<Member> list = new ArrayList<>(endpoints.size());
        for (RpcEndpoint endpoint : endpoints) {
            if (!labels.add(endpoint.label())) {
                throw new IllegalArgumentException("chain " + chain + ": two endpoints labelled " + endpoint.label());
            }
            list.add(new Member(endpoint, list.size(), now, bucketSize()));
        }
        this.members = List.copyOf(list);
        this.cooldowns = new Backoff(settings.cooldownInitial(), settings.cooldownMax(), 2.0, COOLDOWN_JITTER, Integer.MAX_VALUE);
        this.probeLeaseNanos = Math.max(requestTimeout.toNanos() * 2, TimeUnit.SECONDS.toNanos(1));
        this.headRefreshNanos = settings.cooldownInitial().toNanos();
    }

    /**
     * One endpoint per URL of {@code settings} (in order: the first is preferred), each with its own OkHttp client
     * whose call timeout is the request timeout and whose {@link HttpStatusInterceptor} keeps the HTTP status and
     * Retry-After of refused requests. Labels are {@link ChainClientSettings#endpointLabels()}.
     */
    public static EndpointPool http(ChainClientSettings settings) {
        Clock clock = Clock.systemUTC();
        List<String> labels = settings.endpointLabels();
        List<RpcEndpoint> endpoints = new ArrayList<>();
        List<Runnable> closers = new ArrayList<>();
        for (int i = 0; i < settings.rpcUrls().size(); i++) {
            OkHttpClient http = new OkHttpClient.Builder()
                    .callTimeout(settings.timeout())
                    .connectTimeout(settings.timeout())
                    .readTimeout(settings.timeout())
                    .addInterceptor(new HttpStatusInterceptor(clock))
                    .build();
            Web3j web3j = Web3j.build(new HttpService(settings.rpcUrls().get(i), http));
            endpoints.add(new RpcEndpoint(labels.get(i), web3j));
            closers.add(() -> {
                web3j.shutdown();
                http.dispatcher().executorService().shutdown();
                http.connectionPool().evictAll();
            });
        }
        return new EndpointPool(settings.name(), endpoints, settings.endpointPool(), settings.timeout(), settings.observer(),
                System::nanoTime, clock, () -> ThreadLocalRandom.current().nextDouble(), () -> closers.forEach(Runnable::run));
    }

    /**
     * Any endpoints (test doubles, IPC, services with extra headers) under the rules, timeout, name and observer of
     * {@code settings} (its URLs are ignored). {@link #close()} shuts their web3j clients down.
     */
    public static EndpointPool of(ChainClientSettings settings, List<RpcEndpoint> endpoints) {
        List<RpcEndpoint> copy = List.copyOf(endpoints);
        return new EndpointPool(settings.name(), copy, settings.endpointPool(), settings.timeout(), settings.observer(),
                System::nanoTime, Clock.systemUTC(), () -> ThreadLocalRandom.current().nextDouble(),
                () -> copy.forEach(e -> e.web3j().shutdown()));
    }

    // ---------------------------------------------------------------------------------------------------- choosing

    @Override
    public RpcEndpoint select() {
        Choice choice = choose(Set.of());
        if (choice instanceof Send send) {
            return send.endpoint();
        }
        synchronized (this) {
            return members.stream().filter(m -> !m.disabled).findFirst().orElse(members.get(0)).endpoint;
        }
    }

    @Override
    public Choice choose(Set<RpcEndpoint> tried) {
        List<Member> refresh = new ArrayList<>(0);
        Choice choice;
        synchronized (this) {
            long now = nanoTime.getAsLong();
            choice = decide(tried, now);
            if (!closed) {
                collectHeadRefreshes(now, refresh);
            }
        }
        refresh.forEach(this::refreshHead);
        return choice;
    }

    private Choice decide(Set<RpcEndpoint> tried, long now) {
        if (closed) {
            return new Refuse(RpcFailure.of(Kind.CLOSED, "endpoint pool closed"));
        }
        List<Member> usable = members.stream().filter(m -> usable(m, now)).toList();
        if (!usable.isEmpty()) {
            List<Member> group = preferNonEmpty(usable, m -> !tried.contains(m.endpoint));
            group = preferNonEmpty(group, m -> !m.stale);
            List<Member> withToken = group.stream().filter(m -> hasToken(m, now)).toList();
            if (withToken.isEmpty()) {
                long wait = group.stream().mapToLong(m -> nanosToToken(m, now)).min().orElseThrow();
                return new Wait(Duration.ofNanos(wait), RpcFailure.of(Kind.RATE_LIMITED, "request budget of "
                        + settings.requestsPerSecond() + "/s used up on every usable endpoint"));
            }
            Member pick = withToken.stream().filter(m -> state(m, now) == State.HALF_OPEN).findFirst()
                    .orElseGet(() -> preferred(withToken, now));
            takeToken(pick);
            if (state(pick, now) == State.HALF_OPEN) {
                pick.probing = true;
                pick.probeSince = now;
                log.info("chain {}: endpoint {} on trial after its cooldown", chain, pick.endpoint.label());
            }
            return new Send(pick.endpoint, false);
        }
        Optional<Member> leastBad = members.stream()
                .filter(m -> !m.disabled && !barred(m, now))
                .min((a, b) -> {
                    int byCooldown = Long.compare(cooldownEnd(a, now) - now, cooldownEnd(b, now) - now);
                    if (byCooldown != 0) {
                        return byCooldown;
                    }
                    int byErrors = Double.compare(errorRate(a, now), errorRate(b, now));
                    return byErrors != 0 ? byErrors : Integer.compare(a.index, b.index);
                });
        if (leastBad.isPresent()) {
            Member pick = leastBad.get();
            if (!hasToken(pick, now)) {
                return new Wait(Duration.ofNanos(nanosToToken(pick, now)), RpcFailure.of(Kind.RATE_LIMITED,
                        "no healthy endpoint, and the request budget of the least bad one is used up"));
            }
            takeToken(pick);
            // with no other endpoint to fall back on, failing fast would only change what a single URL did before
            boolean others = members.stream().anyMatch(m -> m != pick && !m.disabled);
            return new Send(pick.endpoint, others);
        }
        boolean anyEnabled = false;
        long firstUnbarred = Long.MAX_VALUE;
        for (Member m : members) {
            if (!m.disabled) {
                anyEnabled = true;
                firstUnbarred = Math.min(firstUnbarred, Math.max(0, m.barredUntil - now));
            }
        }
        if (anyEnabled) {
            return new Wait(Duration.ofNanos(firstUnbarred), RpcFailure.of(Kind.RATE_LIMITED,
                    "every endpoint asked to wait (Retry-After) for " + TimeUnit.NANOSECONDS.toMillis(firstUnbarred) + " ms more"));
        }
        return new Refuse(RpcFailure.of(Kind.WRONG_CHAIN, "every endpoint serves another chain id"));
    }

    private static List<Member> preferNonEmpty(List<Member> members, Predicate<Member> wanted) {
        List<Member> preferred = members.stream().filter(wanted).toList();
        return preferred.isEmpty() ? members : preferred;
    }

    /** The first configured endpoint whose score ties with the best (see the class comment). */
    private Member preferred(List<Member> candidates, long now) {
        double knownBest = Double.POSITIVE_INFINITY;
        for (Member m : candidates) {
            Double latency = latencyMs(m, now);
            if (latency != null) {
                knownBest = Math.min(knownBest, latency);
            }
        }
        double unknownLatency = Double.isInfinite(knownBest) ? 1.0 : knownBest;
        double[] scores = new double[candidates.size()];
        double best = Double.POSITIVE_INFINITY;
        for (int i = 0; i < scores.length; i++) {
            Member m = candidates.get(i);
            Double latency = latencyMs(m, now);
            scores[i] = (latency == null ? unknownLatency : latency) * (1.0 + ERROR_PENALTY * errorRate(m, now));
            best = Math.min(best, scores[i]);
        }
        for (int i = 0; i < scores.length; i++) {
            if (scores[i] <= best * TIE_FACTOR + TIE_MS) {
                return candidates.get(i); // candidates keep configured order
            }
        }
        return candidates.get(0); // not reached: the best one always ties with itself
    }

    @Override
    public synchronized boolean canFailOver(Set<RpcEndpoint> tried) {
        long now = nanoTime.getAsLong();
        return !closed && members.stream().anyMatch(m -> usable(m, now) && !tried.contains(m.endpoint));
    }

    // --------------------------------------------------------------------------------------------------- reporting

    @Override
    public void report(RpcEndpoint endpoint, Optional<Kind> failure, long durationNanos) {
        reportAttempt(endpoint, failure.map(kind -> RpcFailure.of(kind, "")), durationNanos);
    }

    @Override
    public synchronized void reportAttempt(RpcEndpoint endpoint, Optional<RpcFailure> failure, long durationNanos) {
        Member m = member(endpoint);
        if (m == null) {
            return;
        }
        long now = nanoTime.getAsLong();
        EndpointImpact impact = classifier.impactOnEndpoint(failure.orElse(null));
        switch (impact) {
            case ANSWERED -> answered(m, now, durationNanos);
            case FAILED -> failed(m, now, failure.orElseThrow());
            case UNKNOWN -> m.probing = false; // a trial that proved nothing: the next call is the trial
            case WRONG_CHAIN -> {
                if (!m.disabled) {
                    m.disabled = true;
                    log.error("chain {}: endpoint {} serves another chain id; disabled: {}", chain, m.endpoint.label(),
                            failure.map(RpcFailure::detail).orElse(""));
                    updateStaleness();
                }
            }
        }
    }

    private void answered(Member m, long now, long durationNanos) {
        decay(m, now);
        m.samples += 1;
        m.latencyWeight += 1;
        m.latencySumMs += Math.max(0, durationNanos) / 1e6;
        m.consecutiveFailures = 0;
        m.probing = false;
        if (m.tripped) {
            m.tripped = false;
            m.cooldownLevel = 0;
            log.info("chain {}: endpoint {} answers again; restored", chain, m.endpoint.label());
        }
    }

    private void failed(Member m, long now, RpcFailure failure) {
        decay(m, now);
        m.samples += 1;
        m.errors += 1;
        m.probing = false;
        Duration retryAfter = failure.retryAfter();
        if (retryAfter != null) {
            long until = now + retryAfter.toNanos();
            if (!m.barred || until - m.barredUntil > 0) {
                m.barred = true;
                m.barredUntil = until;
            }
            log.info("chain {}: endpoint {} asked to wait {} ms (Retry-After)", chain, m.endpoint.label(), retryAfter.toMillis());
            return;
        }
        m.consecutiveFailures++;
        if (!m.tripped && m.consecutiveFailures >= settings.failuresToCooldown()) {
            trip(m, 1, now, failure);
        } else if (m.tripped && now - m.cooldownUntil >= 0) {
            trip(m, m.cooldownLevel + 1, now, failure); // the trial (or a last-resort call after the cooldown) failed
        }
    }

    private void trip(Member m, int level, long now, RpcFailure failure) {
        m.tripped = true;
        m.cooldownLevel = Math.min(level, MAX_COOLDOWN_LEVEL);
        Duration cooldown = cooldowns.delayBeforeRetry(m.cooldownLevel, random);
        m.cooldownUntil = now + cooldown.toNanos();
        m.probing = false;
        log.warn("chain {}: endpoint {} in cooldown for {} ms after {} failures in a row [{}]: {}", chain,
                m.endpoint.label(), cooldown.toMillis(), m.consecutiveFailures, failure.kind(), failure.detail());
    }

    @Override
    public synchronized void reportHead(RpcEndpoint endpoint, long head) {
        Member m = member(endpoint);
        if (m == null || head < 0) {
            return;
        }
        m.headKnown = true;
        m.head = head;
        updateStaleness();
    }

    /**
     * Staleness is judged against the reference head: the upper median of the known heads, never the maximum. An
     * endpoint far <em>ahead</em> of the others is the suspect (a liar claiming a head no one else has, or a fork),
     * and is demoted like one far behind; with two endpoints the median is the higher one (no majority to tell).
     */
    private void updateStaleness() {
        long[] heads = members.stream().filter(m -> m.headKnown && !m.disabled).mapToLong(m -> m.head)
                .sorted().toArray();
        if (heads.length == 0) {
            return;
        }
        long reference = heads[heads.length / 2];
        for (Member m : members) {
            long behind = reference - m.head;
            long ahead = m.head - reference;
            boolean stale = m.headKnown && (behind > settings.maxHeadLag() || ahead > settings.maxHeadLag());
            if (stale != m.stale) {
                m.stale = stale;
                if (stale && ahead > 0) {
                    log.warn("chain {}: endpoint {} claims head {}, {} blocks ahead of the others' median {}; suspect, demoted",
                            chain, m.endpoint.label(), m.head, ahead, reference);
                } else if (stale) {
                    log.warn("chain {}: endpoint {} is {} blocks behind (head {}, median {}); demoted", chain,
                            m.endpoint.label(), behind, m.head, reference);
                } else {
                    log.info("chain {}: endpoint {} back within {} blocks of the others (head {}); promoted", chain,
                            m.endpoint.label(), settings.maxHeadLag(), m.head);
                }
            }
        }
    }

    private void collectHeadRefreshes(long now, List<Member> out) {
        for (Member m : members) {
            if (m.stale && !m.headRefreshing && state(m, now) == State.UP && now - m.headRefreshedAt >= headRefreshNanos
                    && hasToken(m, now)) {
                takeToken(m);
                m.headRefreshing = true;
                m.headRefreshedAt = now;
                out.add(m);
            }
        }
    }

    /** Asks a stale endpoint for its head, outside the lock and outside the client's limiter (one request at most). */
    private void refreshHead(Member m) {
        long start = System.nanoTime();
        try {
            m.endpoint.web3j().ethBlockNumber().sendAsync()
                    .orTimeout(requestTimeout.toNanos(), TimeUnit.NANOSECONDS)
                    .whenComplete((response, error) -> {
                        long took = System.nanoTime() - start;
                        RpcFailure failure = error != null ? classifier.classify(error)
                                : response.hasError() ? classifier.classify(response.getError()) : null;
                        synchronized (this) {
                            m.headRefreshing = false;
                        }
                        Long head = null;
                        if (failure == null) {
                            try {
                                head = response.getBlockNumber().longValueExact();
                            } catch (RuntimeException unreadable) {
                                failure = RpcFailure.of(Kind.BAD_RESPONSE, "eth_blockNumber: " + unreadable);
                            }
                        }
                        observe(m, failure, took);
                        reportAttempt(m.endpoint, Optional.ofNullable(failure), took);
                        if (head != null) {
                            reportHead(m.endpoint, head);
                        }
                    });
        } catch (RuntimeException e) {
            synchronized (this) {
                m.headRefreshing = false;
            }
            log.debug("chain {}: head check of {} not sent: {}", chain, m.endpoint.label(), e.toString());
        }
    }

    private void observe(Member m, RpcFailure failure, long took) {
        try {
            observer.onRequest(chain, m.endpoint.label(), "eth_blockNumber", failure == null ? "ok" : failure.kind().label(), took);
        } catch (RuntimeException e) {
            log.warn("chain {}: RPC observer failed: {}", chain, e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------------------ health

    @Override
    public synchronized List<EndpointHealth> health() {
        long now = nanoTime.getAsLong();
        Instant wallNow = clock.instant();
        List<EndpointHealth> snapshot = new ArrayList<>(members.size());
        for (Member m : members) {
            State state = state(m, now);
            long until = Math.max(barred(m, now) ? m.barredUntil - now : 0, cooling(m, now) ? m.cooldownUntil - now : 0);
            snapshot.add(new EndpointHealth(m.endpoint.label(), state, state == State.UP,
                    until > 0 ? wallNow.plusNanos(until) : null, errorRate(m, now), latencyMs(m, now),
                    m.headKnown ? m.head : null, m.stale, m.consecutiveFailures));
        }
        return List.copyOf(snapshot);
    }

    @Override
    public synchronized boolean anyHealthy() {
        long now = nanoTime.getAsLong();
        return members.stream().anyMatch(m -> state(m, now) == State.UP);
    }

    @Override
    public List<RpcEndpoint> endpoints() {
        return members.stream().map(m -> m.endpoint).toList();
    }

    /** The chain these endpoints serve (for logs). */
    public String chain() {
        return chain;
    }

    public EndpointPoolSettings settings() {
        return settings;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        onClose.run();
    }

    @Override
    public String toString() {
        return "EndpointPool[" + chain + ", " + members.stream().map(m -> m.endpoint.label()).toList() + "]";
    }

    // ----------------------------------------------------------------------------------------- state (under lock)

    private Member member(RpcEndpoint endpoint) {
        for (Member m : members) {
            if (m.endpoint.equals(endpoint)) {
                return m;
            }
        }
        return null;
    }

    private State state(Member m, long now) {
        if (m.disabled) {
            return State.DISABLED;
        }
        if (barred(m, now)) {
            return State.RATE_LIMITED;
        }
        if (cooling(m, now)) {
            return State.COOLDOWN;
        }
        return m.tripped ? State.HALF_OPEN : State.UP;
    }

    private static boolean barred(Member m, long now) {
        return m.barred && now - m.barredUntil < 0;
    }

    private static boolean cooling(Member m, long now) {
        return m.tripped && now - m.cooldownUntil < 0;
    }

    private long cooldownEnd(Member m, long now) {
        return cooling(m, now) ? m.cooldownUntil : now;
    }

    private boolean usable(Member m, long now) {
        State state = state(m, now);
        return state == State.UP || (state == State.HALF_OPEN && !(m.probing && now - m.probeSince < probeLeaseNanos));
    }

    private void decay(Member m, long now) {
        long elapsed = now - m.statsAt;
        if (elapsed > 0) {
            double factor = Math.pow(0.5, elapsed / HALF_LIFE_NANOS);
            m.samples *= factor;
            m.errors *= factor;
            m.latencyWeight *= factor;
            m.latencySumMs *= factor;
            m.statsAt = now;
        }
    }

    /** Recent failures over recent attempts plus one virtual success that never decays. */
    private double errorRate(Member m, long now) {
        decay(m, now);
        return m.errors / (m.samples + 1.0);
    }

    private Double latencyMs(Member m, long now) {
        decay(m, now);
        return m.latencyWeight < MIN_LATENCY_WEIGHT ? null : m.latencySumMs / m.latencyWeight;
    }

    private double bucketSize() {
        return Math.max(1.0, settings.requestsPerSecond());
    }

    private void refill(Member m, long now) {
        long elapsed = now - m.tokensAt;
        if (elapsed > 0) {
            m.tokens = Math.min(bucketSize(), m.tokens + elapsed / 1e9 * settings.requestsPerSecond());
            m.tokensAt = now;
        }
    }

    private boolean hasToken(Member m, long now) {
        if (!settings.rateLimited()) {
            return true;
        }
        refill(m, now);
        return m.tokens >= 1.0;
    }

    private long nanosToToken(Member m, long now) {
        if (!settings.rateLimited()) {
            return 0;
        }
        refill(m, now);
        return m.tokens >= 1.0 ? 0 : (long) Math.ceil((1.0 - m.tokens) / settings.requestsPerSecond() * 1e9);
    }

    private void takeToken(Member m) {
        if (settings.rateLimited()) {
            m.tokens -= 1.0;
        }
    }
}
