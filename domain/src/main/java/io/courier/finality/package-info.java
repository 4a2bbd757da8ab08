/**
 * The transfer domain, without I/O: {@link io.courier.finality.Transfer} and its
 * {@link io.courier.finality.TransferStatus}, the events that move it ({@link io.courier.finality.TransferEvent}),
 * the one place that decides which moves are allowed ({@link io.courier.finality.TransferStateMachine}), finality
 * policies, the canonical-chain window that detects reorgs ({@link io.courier.finality.CanonicalWindow}) and the rule
 * that decides whether a reorg halts a chain ({@link io.courier.finality.ReorgPolicy}), chain cursors, attestations and
 * submissions as values.
 *
 * <p>Nothing in this package imports the Cassandra driver, Pekko or Web3j I/O classes: it is tested with plain
 * unit and property tests and used by every actor. Persistence lives in {@code io.courier.finality.store}.
 */
package io.courier.finality;
