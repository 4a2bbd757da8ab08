/**
 * What the on-chain {@code GasOracle} holds and when the updater role pushes new values to it (issue 11 part 3): the
 * values in the contract's units ({@link io.courier.oracle.onchain.GasData}), the target built from a quote's inputs,
 * and the push decision ({@link io.courier.oracle.onchain.UpdateDecision#decide}), clamped to the contract's per-update
 * bound. Pure: the relayer's updater actor ({@code GasOracleUpdater}) reads and writes the chain.
 */
package io.courier.oracle.onchain;
