/**
 * No single RPC endpoint decides what is signed: what a source chain says about a message (its receipt, its log,
 * its block) and how high the chain is are asked of every endpoint and believed only when {@code quorum} of them
 * agree. See docs/adr/007-quorum-reads.md.
 */
package io.courier.chain.quorum;
