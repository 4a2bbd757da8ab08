package io.courier.chain.web3j;

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcFailure;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One endpoint of a pool, asked alone (for quorum reads: every endpoint must answer for itself, never fail over).
 * What it hears is passed on to the pool, so the pool's health and heads stay whole; it owns nothing and closes
 * nothing (the pool does).
 */
final class PinnedEndpoint implements EndpointSelector {

    private final RpcEndpoint endpoint;
    private final EndpointSelector pool;

    PinnedEndpoint(RpcEndpoint endpoint, EndpointSelector pool) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    @Override
    public RpcEndpoint select() {
        return endpoint;
    }

    @Override
    public void report(RpcEndpoint answered, Optional<ChainRpcException.Kind> failure, long durationNanos) {
        pool.report(answered, failure, durationNanos);
    }

    @Override
    public void reportAttempt(RpcEndpoint answered, Optional<RpcFailure> failure, long durationNanos) {
        pool.reportAttempt(answered, failure, durationNanos);
    }

    @Override
    public void reportHead(RpcEndpoint answered, long head) {
        pool.reportHead(answered, head);
    }

    @Override
    public List<RpcEndpoint> endpoints() {
        return List.of(endpoint);
    }

    @Override
    public void close() {
        // the pool owns the endpoint's connection
    }
}
