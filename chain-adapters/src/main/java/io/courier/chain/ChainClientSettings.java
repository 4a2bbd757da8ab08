package io.courier.chain;

import java.time.Duration;
import java.util.Objects;

/**
 * How to reach one chain and how hard to push it.
 *
 * @param name chain name used in errors and metric labels
 * @param chainId the EVM chain id the endpoint must serve
 * @param rpcUrl HTTP(S) JSON-RPC endpoint
 * @param timeout per request (per attempt, not for all retries together)
 * @param maxInFlight calls sent and not yet answered, retries and their delays included
 * @param maxQueued calls waiting for a slot; more are refused with {@link ChainRpcException.Kind#OVERLOADED}
 */
public record ChainClientSettings(
        String name,
        long chainId,
        String rpcUrl,
        Duration timeout,
        int maxInFlight,
        int maxQueued,
        Backoff backoff,
        RpcObserver observer) {

    public ChainClientSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("chain name must not be blank");
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("chain " + name + ": chainId must be positive, was " + chainId);
        }
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        if (!rpcUrl.startsWith("http://") && !rpcUrl.startsWith("https://")) {
            throw new IllegalArgumentException("chain " + name + ": rpcUrl must be http(s), was " + EndpointLabel.of(rpcUrl));
        }
        Objects.requireNonNull(timeout, "timeout");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("chain " + name + ": timeout must be positive, was " + timeout);
        }
        if (maxInFlight < 1 || maxQueued < 0) {
            throw new IllegalArgumentException("chain " + name + ": need maxInFlight >= 1 and maxQueued >= 0, was "
                    + maxInFlight + " and " + maxQueued);
        }
        Objects.requireNonNull(backoff, "backoff");
        observer = observer == null ? RpcObserver.noop() : observer;
    }

    /** 10 s timeout, 8 in flight, 1,000 queued, {@link Backoff#defaults()}, no observer. */
    public static ChainClientSettings of(String name, long chainId, String rpcUrl) {
        return new ChainClientSettings(name, chainId, rpcUrl, Duration.ofSeconds(10), 8, 1_000, Backoff.defaults(), null);
    }

    public ChainClientSettings withTimeout(Duration newTimeout) {
        return new ChainClientSettings(name, chainId, rpcUrl, newTimeout, maxInFlight, maxQueued, backoff, observer);
    }

    public ChainClientSettings withLimits(int newMaxInFlight, int newMaxQueued) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, newMaxInFlight, newMaxQueued, backoff, observer);
    }

    public ChainClientSettings withBackoff(Backoff newBackoff) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, maxInFlight, maxQueued, newBackoff, observer);
    }

    public ChainClientSettings withObserver(RpcObserver newObserver) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, maxInFlight, maxQueued, backoff, newObserver);
    }

    /** The URL without path, query or credentials: safe for logs and labels. */
    public String endpointLabel() {
        return EndpointLabel.of(rpcUrl);
    }

    @Override
    public String toString() {
        // the full URL may carry an API key
        return "ChainClientSettings[" + name + ", chainId=" + chainId + ", " + endpointLabel() + ", timeout=" + timeout
                + ", maxInFlight=" + maxInFlight + ", maxQueued=" + maxQueued + ", " + backoff + "]";
    }
}
