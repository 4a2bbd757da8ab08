package io.courier.chain.web3j;

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcObserver;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach one chain and how hard to push it.
 *
 * @param name chain name used in errors and metric labels
 * @param chainId the EVM chain id the endpoints must serve
 * @param rpcUrl HTTP(S) JSON-RPC endpoint; with several endpoints, the first (preferred) of {@code rpcUrls}
 * @param timeout per request (per attempt, not for all retries together)
 * @param maxInFlight calls sent and not yet answered, retries and their delays included, over all endpoints
 * @param maxQueued calls waiting for a slot; more are refused with {@link ChainRpcException.Kind#OVERLOADED}
 * @param rpcUrls every endpoint of the chain in order of preference, {@code rpcUrl} first; null or empty means
 *     {@code List.of(rpcUrl)}
 * @param endpointPool failover, cooldown, request budget and staleness rules; null means
 *     {@link EndpointPoolSettings#defaults()}
 */
public record ChainClientSettings(
        String name,
        long chainId,
        String rpcUrl,
        Duration timeout,
        int maxInFlight,
        int maxQueued,
        Backoff backoff,
        RpcObserver observer,
        List<String> rpcUrls,
        EndpointPoolSettings endpointPool) {

    public ChainClientSettings {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("chain name must not be blank");
        }
        if (chainId <= 0) {
            throw new IllegalArgumentException("chain " + name + ": chainId must be positive, was " + chainId);
        }
        Objects.requireNonNull(rpcUrl, "rpcUrl");
        requireHttp(name, rpcUrl);
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
        rpcUrls = rpcUrls == null || rpcUrls.isEmpty() ? List.of(rpcUrl) : List.copyOf(rpcUrls);
        if (!rpcUrls.get(0).equals(rpcUrl)) {
            throw new IllegalArgumentException("chain " + name + ": rpcUrl must be the first of rpcUrls, was "
                    + EndpointLabel.of(rpcUrl) + " and " + labels(rpcUrls));
        }
        Set<String> seen = new HashSet<>();
        for (String url : rpcUrls) {
            requireHttp(name, url);
            if (!seen.add(url)) {
                throw new IllegalArgumentException("chain " + name + ": rpcUrls lists an endpoint twice: " + EndpointLabel.of(url));
            }
        }
        endpointPool = endpointPool == null ? EndpointPoolSettings.defaults() : endpointPool;
    }

    /** One endpoint and the default pool rules: the constructor the relayer has always used. */
    public ChainClientSettings(String name, long chainId, String rpcUrl, Duration timeout, int maxInFlight, int maxQueued,
                               Backoff backoff, RpcObserver observer) {
        this(name, chainId, rpcUrl, timeout, maxInFlight, maxQueued, backoff, observer, null, null);
    }

    private static void requireHttp(String name, String url) {
        if (url == null || (!url.startsWith("http://") && !url.startsWith("https://"))) {
            throw new IllegalArgumentException("chain " + name + ": RPC URLs must be http(s), was "
                    + (url == null ? "null" : EndpointLabel.of(url)));
        }
    }

    /** 10 s timeout, 8 in flight, 1,000 queued, {@link Backoff#defaults()}, no observer. */
    public static ChainClientSettings of(String name, long chainId, String rpcUrl) {
        return new ChainClientSettings(name, chainId, rpcUrl, Duration.ofSeconds(10), 8, 1_000, Backoff.defaults(), null);
    }

    /** As {@link #of(String, long, String)} with several endpoints, the first preferred. */
    public static ChainClientSettings of(String name, long chainId, List<String> rpcUrls) {
        if (rpcUrls == null || rpcUrls.isEmpty()) {
            throw new IllegalArgumentException("chain " + name + ": need at least one RPC URL");
        }
        return of(name, chainId, rpcUrls.get(0)).withEndpoints(rpcUrls);
    }

    public ChainClientSettings withTimeout(Duration newTimeout) {
        return new ChainClientSettings(name, chainId, rpcUrl, newTimeout, maxInFlight, maxQueued, backoff, observer, rpcUrls, endpointPool);
    }

    public ChainClientSettings withLimits(int newMaxInFlight, int newMaxQueued) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, newMaxInFlight, newMaxQueued, backoff, observer, rpcUrls, endpointPool);
    }

    public ChainClientSettings withBackoff(Backoff newBackoff) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, maxInFlight, maxQueued, newBackoff, observer, rpcUrls, endpointPool);
    }

    public ChainClientSettings withObserver(RpcObserver newObserver) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, maxInFlight, maxQueued, backoff, newObserver, rpcUrls, endpointPool);
    }

    /** Every endpoint of the chain, in order of preference; {@code rpcUrl} becomes the first. */
    public ChainClientSettings withEndpoints(List<String> urls) {
        if (urls == null || urls.isEmpty()) {
            throw new IllegalArgumentException("chain " + name + ": need at least one RPC URL");
        }
        return new ChainClientSettings(name, chainId, urls.get(0), timeout, maxInFlight, maxQueued, backoff, observer, urls, endpointPool);
    }

    public ChainClientSettings withEndpointPool(EndpointPoolSettings newEndpointPool) {
        return new ChainClientSettings(name, chainId, rpcUrl, timeout, maxInFlight, maxQueued, backoff, observer, rpcUrls,
                Objects.requireNonNull(newEndpointPool, "endpointPool"));
    }

    /** The URL without path, query or credentials: safe for logs and labels. */
    public String endpointLabel() {
        return EndpointLabel.of(rpcUrl);
    }

    /**
     * The labels of all endpoints, in order, as the pool names them: scheme, host and port, with {@code #2},
     * {@code #3} added when several URLs share them (the same provider with different keys).
     */
    public List<String> endpointLabels() {
        return labels(rpcUrls);
    }

    static List<String> labels(List<String> urls) {
        List<String> labels = new ArrayList<>(urls.size());
        for (String url : urls) {
            String base = EndpointLabel.of(url);
            String label = base;
            for (int n = 2; labels.contains(label); n++) {
                label = base + "#" + n;
            }
            labels.add(label);
        }
        return List.copyOf(labels);
    }

    @Override
    public String toString() {
        // the full URLs may carry API keys
        return "ChainClientSettings[" + name + ", chainId=" + chainId + ", " + String.join(" ", endpointLabels())
                + ", timeout=" + timeout + ", maxInFlight=" + maxInFlight + ", maxQueued=" + maxQueued + ", " + backoff
                + (rpcUrls.size() > 1 || !endpointPool.equals(EndpointPoolSettings.defaults()) ? ", " + endpointPool : "") + "]";
    }
}
