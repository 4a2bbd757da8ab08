/**
 * The cross-chain message as the Courier {@code Gateway} contract defines it, recomputed off-chain: the message
 * id, the EIP-712 attestation digest validators sign, and the signatures themselves (65-byte r‖s‖v, low s,
 * ordered by signer as {@code Gateway.execute} requires).
 *
 * <p>Pure values and functions: no I/O, only Web3j's hashing, signing and hex utilities. Every encoding here is
 * pinned by vectors computed from the contract (unit tests) and cross-checked against a running gateway
 * (integration tests of the {@code contracts} module).
 */
package io.courier.chain.message;
