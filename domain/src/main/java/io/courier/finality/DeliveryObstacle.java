package io.courier.finality;

/**
 * Why a message cannot be delivered to its destination ({@link TransferStatus#UNDELIVERABLE}). Persisted by name (the
 * transfer's failure reason starts with it) and exported as a metric label, so append-only: never rename or remove.
 */
public enum DeliveryObstacle {
    /** The execute transaction's calldata is larger than the destination accepts. */
    TOO_LARGE,
    /** The execute needs more gas than the submitter's {@code max-gas-limit}. */
    OVER_GAS_CAP,
    /** The execute needs more gas than a destination block holds. */
    OVER_BLOCK_GAS_LIMIT,
    /** The node rejected the broadcast for a reason retries cannot fix (intrinsic gas too low, oversized, invalid). */
    REJECTED_BY_NODE,
    /** The pre-flight {@code eth_call} reverted on every attempt of its bounded backoff. */
    PREFLIGHT_KEEPS_REVERTING,
    /**
     * The destination's replay bitmap has this message's route and nonce executed, but no execution of this id was
     * found: another message took the nonce (a source reorganisation past finality, docs/adr/008-checkpointed-batches.md)
     * or the execution is older than the submitter's lookback. Never sent again; an operator decides.
     */
    NONCE_ALREADY_USED;

    /** The metric label: {@code over_gas_cap}. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
