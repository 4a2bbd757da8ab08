package io.courier.testkit.rpc;

import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * The request budget of {@link RpcProxy#rateLimit}: a token bucket holding at most one second of requests, full at
 * the start and refilled continuously. Why a bucket rather than per-second windows: a burst right after the limit
 * is set always sees the first {@code perSecond} requests pass and the next ones refused, whatever the wall clock's
 * second boundary, so tests do not depend on when they start. The clock is injected ({@link System#nanoTime} in
 * the proxy) so that the refill can be tested without sleeping.
 */
final class TokenBucket {

    private final int perSecond;
    private final LongSupplier nanoTime;
    private double tokens;
    private long refilledAt;

    TokenBucket(int perSecond) {
        this(perSecond, System::nanoTime);
    }

    TokenBucket(int perSecond, LongSupplier nanoTime) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond must be >= 0, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.tokens = perSecond;
        this.refilledAt = nanoTime.getAsLong();
    }

    /** Takes a token if one is left; {@code false} means the request is over the rate. */
    synchronized boolean tryAcquire() {
        long now = nanoTime.getAsLong();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
