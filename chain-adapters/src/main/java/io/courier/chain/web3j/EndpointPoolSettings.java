package io.courier.chain.web3j;

import io.courier.chain.ChainRpcException;

import java.time.Duration;
import java.util.Objects;

/**
 * How an {@link EndpointPool} treats its endpoints. The same values apply to every endpoint of a chain.
 *
 * @param cooldownInitial how long an endpoint is left alone after {@code failuresToCooldown} failures in a row
 * @param cooldownMax the bound for the cooldown, which doubles each time the trial call after a cooldown fails
 * @param failuresToCooldown transport failures in a row (transient errors, timeouts, rate limits without
 *     Retry-After) that put an endpoint into cooldown
 * @param requestsPerSecond the request budget of each endpoint (a token bucket holding one second's worth,
 *     at least one token); 0 for no limit
 * @param maxHeadLag how many blocks an endpoint's head may trail the best head seen before it is demoted as stale
 * @param maxWait the longest one call waits, in all, for a request token or for a Retry-After to pass; beyond it
 *     the call fails with {@link ChainRpcException.Kind#RATE_LIMITED} without being sent
 */
public record EndpointPoolSettings(
        Duration cooldownInitial,
        Duration cooldownMax,
        int failuresToCooldown,
        double requestsPerSecond,
        long maxHeadLag,
        Duration maxWait) {

    public EndpointPoolSettings {
        Objects.requireNonNull(cooldownInitial, "cooldownInitial");
        Objects.requireNonNull(cooldownMax, "cooldownMax");
        Objects.requireNonNull(maxWait, "maxWait");
        if (cooldownInitial.isNegative() || cooldownInitial.isZero() || cooldownMax.compareTo(cooldownInitial) < 0) {
            throw new IllegalArgumentException("endpoint pool needs 0 < cooldownInitial <= cooldownMax, was "
                    + cooldownInitial + " and " + cooldownMax);
        }
        if (failuresToCooldown < 1) {
            throw new IllegalArgumentException("endpoint pool failuresToCooldown must be >= 1, was " + failuresToCooldown);
        }
        if (!(requestsPerSecond >= 0.0) || Double.isInfinite(requestsPerSecond)) {
            throw new IllegalArgumentException("endpoint pool requestsPerSecond must be >= 0 (0 = no limit), was "
                    + requestsPerSecond);
        }
        if (maxHeadLag < 0) {
            throw new IllegalArgumentException("endpoint pool maxHeadLag must be >= 0, was " + maxHeadLag);
        }
        if (maxWait.isNegative()) {
            throw new IllegalArgumentException("endpoint pool maxWait must be >= 0, was " + maxWait);
        }
    }

    /**
     * Cooldown 2 s doubling up to 60 s after 3 failures in a row, no request limit, stale beyond 10 blocks,
     * at most 2 s of waiting for a token or a Retry-After.
     */
    public static EndpointPoolSettings defaults() {
        return new EndpointPoolSettings(Duration.ofSeconds(2), Duration.ofSeconds(60), 3, 0.0, 10, Duration.ofSeconds(2));
    }

    public EndpointPoolSettings withCooldown(Duration initial, Duration max, int failures) {
        return new EndpointPoolSettings(initial, max, failures, requestsPerSecond, maxHeadLag, maxWait);
    }

    public EndpointPoolSettings withRequestsPerSecond(double perSecond) {
        return new EndpointPoolSettings(cooldownInitial, cooldownMax, failuresToCooldown, perSecond, maxHeadLag, maxWait);
    }

    public EndpointPoolSettings withMaxHeadLag(long blocks) {
        return new EndpointPoolSettings(cooldownInitial, cooldownMax, failuresToCooldown, requestsPerSecond, blocks, maxWait);
    }

    public EndpointPoolSettings withMaxWait(Duration wait) {
        return new EndpointPoolSettings(cooldownInitial, cooldownMax, failuresToCooldown, requestsPerSecond, maxHeadLag, wait);
    }

    /** Whether endpoints have a request budget at all. */
    public boolean rateLimited() {
        return requestsPerSecond > 0.0;
    }
}
