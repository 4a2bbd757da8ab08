package io.courier.chain;

import java.util.Optional;

/**
 * Chooses the endpoint for each attempt and hears how it went. This is the seam for several endpoints per chain:
 * an {@code EndpointPool} (failover, health, per-endpoint rate limits) implements it and
 * {@link Web3jChainClient} stays as it is; a retry asks {@link #select()} again, so it can go elsewhere.
 */
public interface EndpointSelector extends AutoCloseable {

    /** The endpoint for the next attempt. */
    RpcEndpoint select();

    /**
     * Outcome of one attempt on {@code endpoint}: empty for success, else the failure's kind.
     * Only transport-level kinds say anything about an endpoint's health; a revert does not.
     */
    default void report(RpcEndpoint endpoint, Optional<ChainRpcException.Kind> failure, long durationNanos) {}

    /** Releases the endpoints' clients. */
    @Override
    void close();
}
