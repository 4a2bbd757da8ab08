package io.courier.testkit.rpc;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;

/**
 * The faults an {@link RpcProxy} injects and the {@link Lies} it tells, as one immutable value. The proxy swaps whole plans atomically, so each
 * request reads one consistent set of settings even while a test changes them from another thread.
 *
 * <p>Rates are probabilities in [0, 1], drawn independently per request (per call for the JSON-RPC level faults
 * inside a batch); 0 never fires and 1 always fires, without drawing. Everything is bounded: a timeout hold is at
 * most {@link #MAX_HOLD}, so no connection is held forever.
 *
 * @param errorRate          probability of a {@code -32603 "internal error"} answer instead of forwarding a call
 * @param timeoutRate        probability of holding a request for {@code timeoutHold}, then closing it unanswered
 * @param timeoutHold        how long a timed-out request is held
 * @param dropRate           probability of closing the connection before any HTTP response
 * @param headerNotFoundRate probability of {@code -32000 "header not found"} for the methods of {@link #HEADER_METHODS}
 * @param rateLimitPerSecond requests per second allowed before HTTP 429; {@code -1} means no limit, {@code 0} refuses all
 * @param retryAfter         the {@code Retry-After} of a 429 (sent in whole seconds, rounded up)
 * @param staleHeadAt        the frozen head of a stale endpoint, or {@code -1} when the view is live
 * @param wrongMissingBlock  whether a block above the head is invented instead of answered {@code null}
 * @param down               whether every request is refused with HTTP 503
 * @param methods            the methods the faults apply to; empty means all (down ignores it: an outage is total)
 * @param lies               the false answers told on purpose ({@link Lies}); they ignore {@code methods}
 */
public record FaultPlan(
        double errorRate,
        double timeoutRate,
        Duration timeoutHold,
        double dropRate,
        double headerNotFoundRate,
        int rateLimitPerSecond,
        Duration retryAfter,
        long staleHeadAt,
        boolean wrongMissingBlock,
        boolean down,
        Set<String> methods,
        Lies lies) {

    /** The longest a timed-out request may be held: a test that forgets to clear a fault still ends. */
    public static final Duration MAX_HOLD = Duration.ofMinutes(5);

    /** The methods a real node answers "header not found" for when it lacks the state or block asked for. */
    public static final Set<String> HEADER_METHODS = Set.of("eth_getBlockByNumber", "eth_getLogs", "eth_call");

    /** No faults: the proxy forwards everything. */
    public static final FaultPlan NONE =
            new FaultPlan(0, 0, Duration.ofSeconds(1), 0, 0, -1, Duration.ofSeconds(1), -1, false, false, Set.of(), Lies.NONE);

    public FaultPlan {
        requireRate("errorRate", errorRate);
        requireRate("timeoutRate", timeoutRate);
        requireRate("dropRate", dropRate);
        requireRate("headerNotFoundRate", headerNotFoundRate);
        Objects.requireNonNull(timeoutHold, "timeoutHold");
        if (timeoutHold.isNegative() || timeoutHold.compareTo(MAX_HOLD) > 0) {
            throw new IllegalArgumentException("timeout hold must be within 0.." + MAX_HOLD + ", was " + timeoutHold);
        }
        if (rateLimitPerSecond < -1) {
            throw new IllegalArgumentException("rateLimitPerSecond must be >= 0 (or -1 for none), was " + rateLimitPerSecond);
        }
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, was " + retryAfter);
        }
        if (staleHeadAt < -1) {
            throw new IllegalArgumentException("staleHeadAt must be >= 0 (or -1 for live), was " + staleHeadAt);
        }
        methods = Set.copyOf(Objects.requireNonNull(methods, "methods"));
        Objects.requireNonNull(lies, "lies");
    }

    private static void requireRate(String name, double p) {
        if (!(p >= 0.0 && p <= 1.0)) { // also rejects NaN
            throw new IllegalArgumentException(name + " must be a probability in [0, 1], was " + p);
        }
    }

    /** Whether the method-level faults apply to {@code method} (the {@link #methods} filter). */
    public boolean appliesTo(String method) {
        return methods.isEmpty() || methods.contains(method);
    }

    public boolean staleHead() {
        return staleHeadAt >= 0;
    }

    public boolean rateLimited() {
        return rateLimitPerSecond >= 0;
    }

    public FaultPlan withErrorRate(double p) {
        return new FaultPlan(p, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, down, methods, lies);
    }

    public FaultPlan withTimeout(double p, Duration hold) {
        return new FaultPlan(errorRate, p, hold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, down, methods, lies);
    }

    public FaultPlan withDropRate(double p) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, p, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, down, methods, lies);
    }

    public FaultPlan withHeaderNotFoundRate(double p) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, p, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, down, methods, lies);
    }

    public FaultPlan withRateLimit(int perSecond, Duration newRetryAfter) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, perSecond, newRetryAfter,
                staleHeadAt, wrongMissingBlock, down, methods, lies);
    }

    public FaultPlan withStaleHeadAt(long head) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                head, wrongMissingBlock, down, methods, lies);
    }

    public FaultPlan withWrongMissingBlock(boolean on) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, on, down, methods, lies);
    }

    public FaultPlan withDown(boolean on) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, on, methods, lies);
    }

    public FaultPlan withMethods(Set<String> newMethods) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, down, newMethods, lies);
    }

    public FaultPlan withLies(Lies newLies) {
        return new FaultPlan(errorRate, timeoutRate, timeoutHold, dropRate, headerNotFoundRate, rateLimitPerSecond, retryAfter,
                staleHeadAt, wrongMissingBlock, down, methods, newLies);
    }
}
