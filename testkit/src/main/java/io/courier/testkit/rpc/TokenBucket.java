package io.courier.testkit.rpc;

/**
 * The request budget of {@link RpcProxy#rateLimit}: a token bucket holding at most one second of requests, full at
 * the start and refilled continuously. Why a bucket rather than per-second windows: a burst right after the limit
 * is set always sees the first {@code perSecond} requests pass and the next ones refused, whatever the wall clock's
 * second boundary, so tests do not depend on when they start.
 */
final class TokenBucket {

    private final int perSecond;
    private double tokens;
    private long refilledAt;

    TokenBucket(int perSecond) {
        if (perSecond < 0) {
            throw new IllegalArgumentException("perSecond must be >= 0, was " + perSecond);
        }
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.refilledAt = System.nanoTime();
    }

    /** Takes a token if one is left; {@code false} means the request is over the rate. */
    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(perSecond, tokens + (now - refilledAt) * perSecond / 1e9);
        refilledAt = now;
        if (tokens >= 1.0) {
            tokens -= 1.0;
            return true;
        }
        return false;
    }
}
