package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import io.courier.chain.ChainRpcException;
import io.courier.chain.EndpointHealth;

import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Chooses the endpoint for each attempt and hears how it went. This is the seam for several endpoints per chain:
 * {@link EndpointPool} (failover, health, per-endpoint rate limits) implements it, {@link SingleEndpoint} is the
 * trivial case. A retry asks again, so it can go elsewhere.
 *
 * <p>{@link #select()} and {@link #report(RpcEndpoint, Optional, long)} are the whole contract for a simple
 * selector; the default methods let a richer one make a call wait ({@link #choose(Set)}), send retries
 * elsewhere at once ({@link #canFailOver(Set)}), learn heads and Retry-After, and show its health.
 */
public interface EndpointSelector extends AutoCloseable {

    /** The endpoint for the next attempt. Never waits; never null. */
    RpcEndpoint select();

    /**
     * Outcome of one attempt on {@code endpoint}: empty for success, else the failure's kind.
     * Only transport-level kinds say anything about an endpoint's health; a revert does not.
     */
    default void report(RpcEndpoint endpoint, Optional<ChainRpcException.Kind> failure, long durationNanos) {}

    /** Releases the endpoints' clients. */
    @Override
    void close();

    /** What the next attempt of a call should do. */
    sealed interface Choice permits Send, Wait, Refuse {}

    /**
     * Send the attempt to {@code endpoint}.
     *
     * @param lastResort no endpoint is healthy and this is the least bad one: a failure here ends the call at once
     */
    record Send(RpcEndpoint endpoint, boolean lastResort) implements Choice {
        public Send {
            Objects.requireNonNull(endpoint, "endpoint");
        }
    }

    /**
     * Nothing may be sent now (every usable endpoint is out of request budget or asked to wait): ask again after
     * {@code delay}. A caller that cannot wait that long fails with {@code ifTooLong}.
     */
    record Wait(Duration delay, RpcFailure ifTooLong) implements Choice {
        public Wait {
            Objects.requireNonNull(delay, "delay");
            Objects.requireNonNull(ifTooLong, "ifTooLong");
        }
    }

    /** Nothing can be sent at all: the call fails with {@code failure} without a request. */
    record Refuse(RpcFailure failure) implements Choice {
        public Refuse {
            Objects.requireNonNull(failure, "failure");
        }
    }

    /**
     * The choice for the next attempt of a call that has already been sent to {@code tried} (empty for a first
     * attempt). Defaults to {@link #select()}.
     */
    default Choice choose(Set<RpcEndpoint> tried) {
        return new Send(select(), false);
    }

    /**
     * Whether a healthy endpoint outside {@code tried} could take a retry: the client then fails over at once
     * instead of waiting out a backoff delay.
     */
    default boolean canFailOver(Set<RpcEndpoint> tried) {
        return false;
    }

    /**
     * Outcome of one attempt with everything the classifier and the transport knew (HTTP status, Retry-After).
     * Defaults to {@link #report(RpcEndpoint, Optional, long)}.
     */
    default void reportAttempt(RpcEndpoint endpoint, Optional<RpcFailure> failure, long durationNanos) {
        report(endpoint, failure.map(RpcFailure::kind), durationNanos);
    }

    /** {@code endpoint} answered that its latest block is {@code head}. */
    default void reportHead(RpcEndpoint endpoint, long head) {}

    /** Every endpoint, in order of preference (for checks that must reach each one, as the chain id check). */
    default List<RpcEndpoint> endpoints() {
        return List.of(select());
    }

    /** One snapshot per endpoint, in order of preference; empty when this selector keeps no health. */
    default List<EndpointHealth> health() {
        return List.of();
    }

    /** Whether some endpoint is healthy; true when this selector keeps no health. */
    default boolean anyHealthy() {
        return true;
    }
}
