package io.courier.finality;

/**
 * Where a transfer is in its life (docs/ARCHITECTURE.md §1). A transfer is in exactly one status; which status may follow
 * which is decided only by {@link TransferStateMachine}.
 *
 * <p><b>Persisted by name</b> in Cassandra ({@code transfers.status}, history rows, stage-time map keys), so this
 * enum is append-only: never rename or remove a constant, and add new ones at the end. A renamed constant would
 * make every stored row with the old name unreadable.
 */
public enum TransferStatus {
    /** {@code MessageSent} seen in a canonical but not yet final source block. */
    SENT,
    /** The source block meets the chain's finality policy. */
    FINALIZED,
    /** The fee paid on the source is below the quote; waits for a top-up. */
    UNDERPAID,
    /** At least {@code threshold} valid validator signatures collected. */
    ATTESTED,
    /** Destination transaction broadcast (persisted before the broadcast); may be replaced by a fee bump. */
    SUBMITTED,
    /** Destination receipt succeeded and is final on the destination chain. */
    DELIVERED,
    /** Destination execution reverted for a reason retries cannot fix; an admin retry moves it back to ATTESTED. */
    FAILED,
    /** The source log left the canonical chain before finality and did not come back. */
    REORGED,
    /**
     * The message cannot be delivered within the destination's limits (too large, over the gas cap or the block gas
     * limit, rejected by the node for good, or its pre-flight keeps reverting): never given a nonce, or its rejected
     * broadcast's nonce filled. The reason ({@link DeliveryObstacle}: detail) is in the failure reason. Waits for an
     * operator like {@link #FAILED}: a retry (after raising a cap, say) moves it back to {@link #ATTESTED}.
     */
    UNDELIVERABLE,
    /**
     * An operator stopped work on this transfer (admin {@code park}, with who and why in its history). Entered only
     * from a status that waits for the node or an operator ({@link TransferStateMachine#PARKABLE}), never from
     * {@link #SUBMITTED}: a broadcast transaction cannot be recalled. Left only by an operator's {@code unpark},
     * back to the status it was parked from. Not terminal: it stays in the work indexes (so past its route's SLA the
     * stuck monitor counts it, which keeps a parked transfer from being forgotten), and no relaying component picks it
     * up because each selects the statuses it works on.
     */
    PARKED;

    /**
     * Whether no work follows this status: it leaves the work indexes and the stuck monitor. {@link #FAILED} is
     * deliberately not terminal: an authenticated admin retry moves it back to {@link #ATTESTED}, so a failed
     * transfer stays in the work index (and counts as stuck once older than its SLA); so is {@link #UNDELIVERABLE}. {@link #REORGED} is terminal, but if the very same log shows up on the
     * canonical chain again the watcher revives it to {@link #SENT} (see {@link TransferStateMachine}).
     */
    public boolean isTerminal() {
        return this == DELIVERED || this == REORGED;
    }
}
