package io.courier.finality.store;

import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;

/**
 * A row of the {@code unfinalized_transfers} index: a transfer observed in {@code blockNumber} (with
 * {@code blockHash}) of {@code srcChain} that was {@code SENT} when the row was written. Enough for the finality
 * tracker to compare the block with the canonical chain and count confirmations without loading the transfer.
 *
 * <p>An index row is a hint: if a node stopped between a status change and the index clean-up, the transfer may
 * already have left {@code SENT}. Acting on such a row is safe: the transition comes back as
 * {@link TransitionOutcome.AlreadyApplied} or {@link TransitionOutcome.Conflict}, and the store removes the row.
 *
 * <p>After a {@link TransferStore#relocate relocation} a row may also name a block the transfer is no longer in
 * (its {@code blockHash} differs from the transfer's {@code source().blockHash()}). Finalizing from such a row is
 * harmless (the relayer checks the row's block against the canonical chain, and the old block is orphaned), but
 * marking it {@code REORGED} must go through {@link TransferStore#markReorged}, which checks the block.
 */
public record UnfinalizedTransfer(long srcChain, long blockNumber, MessageId id, BlockHash blockHash,
                                  int confirmationsRequired) {}
