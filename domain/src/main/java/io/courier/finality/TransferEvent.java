package io.courier.finality;

import io.courier.chain.message.TxHash;

import java.math.BigInteger;
import java.util.Objects;

/**
 * The causes of status changes. Each event is what some component observed or decided; whether it may move a
 * transfer from a given status is decided by {@link TransferStateMachine}, never here. The {@link #cause()}
 * text is what the transfer's history records, so it should read well to an operator.
 */
public sealed interface TransferEvent {

    /** A short human-readable reason, stored in the history row. */
    String cause();

    /** The source block now meets the finality policy ({@code confirmations} counted at that moment). */
    record Finalized(long confirmations) implements TransferEvent {
        public Finalized {
            if (confirmations < 0) {
                throw new IllegalArgumentException("confirmations must be >= 0, got " + confirmations);
            }
        }

        @Override
        public String cause() {
            return "finalized after " + confirmations + " confirmations";
        }
    }

    /** The source log left the canonical chain before finality and did not come back. */
    record Reorged(String reason) implements TransferEvent {
        public Reorged {
            requireText("reason", reason);
        }

        @Override
        public String cause() {
            return "reorged: " + reason;
        }
    }

    /**
     * A reorg took the source block away but the same log was included again in another canonical block: the
     * transfer keeps its id and status ({@code SENT}) and moves from {@code from} to {@code to}. Applied by
     * {@code TransferStore.relocate}, which writes the new source and this history row together, on the condition
     * that the transfer is still {@code SENT} in {@code from}.
     */
    record Relocated(SourceRef from, SourceRef to) implements TransferEvent {
        public Relocated {
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
            if (from.equals(to)) {
                throw new IllegalArgumentException("a relocation moves to another source, got " + to + " twice");
            }
        }

        @Override
        public String cause() {
            StringBuilder cause = new StringBuilder("reorg: moved from block ").append(from.blockNumber()).append(" (")
                    .append(from.blockHash()).append(") to block ").append(to.blockNumber()).append(" (")
                    .append(to.blockHash()).append(')');
            if (!from.txHash().equals(to.txHash())) {
                cause.append(", tx ").append(from.txHash()).append(" -> ").append(to.txHash());
            }
            if (from.logIndex() != to.logIndex()) {
                cause.append(", log ").append(from.logIndex()).append(" -> ").append(to.logIndex());
            }
            return cause.toString();
        }
    }

    /** The fee paid on the source ({@code paidWei}) is below the quote ({@code quotedWei}). */
    record Underpaid(BigInteger paidWei, BigInteger quotedWei) implements TransferEvent {
        public Underpaid {
            Objects.requireNonNull(paidWei, "paidWei");
            Objects.requireNonNull(quotedWei, "quotedWei");
        }

        @Override
        public String cause() {
            return "underpaid: paid " + paidWei + " wei, quote " + quotedWei + " wei";
        }
    }

    /** A top-up brought the paid fee to {@code totalPaidWei}, enough for the quote. */
    record TopUpSeen(BigInteger totalPaidWei) implements TransferEvent {
        public TopUpSeen {
            Objects.requireNonNull(totalPaidWei, "totalPaidWei");
        }

        @Override
        public String cause() {
            return "top-up seen: paid " + totalPaidWei + " wei in total";
        }
    }

    /** {@code signatures} valid validator signatures (at least the threshold) are collected. */
    record Attested(int signatures) implements TransferEvent {
        public Attested {
            if (signatures <= 0) {
                throw new IllegalArgumentException("signatures must be > 0, got " + signatures);
            }
        }

        @Override
        public String cause() {
            return "attested with " + signatures + " signatures";
        }
    }

    /**
     * The destination transaction {@code txHash} with the signer's {@code nonce} is about to be broadcast. The
     * hash of a signed transaction is known before it is sent, so this is persisted <em>before</em> the
     * broadcast (see {@link TransferStateMachine}).
     */
    record Submitted(TxHash txHash, long nonce) implements TransferEvent {
        public Submitted {
            Objects.requireNonNull(txHash, "Submitted txHash");
            requireNonNegative("nonce", nonce);
        }

        @Override
        public String cause() {
            return "submitted tx " + txHash + " nonce " + nonce;
        }
    }

    /** A fee bump replaced the pending transaction (same {@code nonce}) by {@code newTxHash}. */
    record Replaced(TxHash newTxHash, long nonce) implements TransferEvent {
        public Replaced {
            Objects.requireNonNull(newTxHash, "Replaced newTxHash");
            requireNonNegative("nonce", nonce);
        }

        @Override
        public String cause() {
            return "replaced by tx " + newTxHash + " nonce " + nonce;
        }
    }

    /** The destination transaction {@code txHash} succeeded in {@code blockNumber}, now final there. */
    record Delivered(TxHash txHash, long blockNumber) implements TransferEvent {
        public Delivered {
            Objects.requireNonNull(txHash, "Delivered txHash");
            requireNonNegative("blockNumber", blockNumber);
        }

        @Override
        public String cause() {
            return "delivered by tx " + txHash + " in block " + blockNumber;
        }
    }

    /** Destination execution in {@code txHash} reverted with {@code reason}, which retries cannot fix. */
    record ExecutionFailed(String reason, TxHash txHash) implements TransferEvent {
        public ExecutionFailed {
            requireText("reason", reason);
            Objects.requireNonNull(txHash, "ExecutionFailed txHash");
        }

        @Override
        public String cause() {
            return "execution failed in tx " + txHash + ": " + reason;
        }
    }

    /**
     * An authenticated operator ({@code by}) asked to try a failed (or undeliverable) transfer again, because
     * {@code reason} ({@code null} when none was given, as in the node's own tests).
     */
    record RetryRequested(String by, String reason) implements TransferEvent {
        public RetryRequested {
            requireText("by", by);
            if (reason != null && reason.isBlank()) {
                throw new IllegalArgumentException("reason must be null or text, got a blank one");
            }
        }

        /** A retry with no reason given. */
        public RetryRequested(String by) {
            this(by, null);
        }

        @Override
        public String cause() {
            return "retry requested by " + by + (reason == null ? "" : ": " + reason);
        }
    }

    /** An authenticated operator ({@code by}) stopped work on the transfer, because {@code reason}. */
    record Parked(String by, String reason) implements TransferEvent {
        public Parked {
            requireText("by", by);
            requireText("reason", reason);
        }

        @Override
        public String cause() {
            return "parked by " + by + ": " + reason;
        }
    }

    /**
     * An authenticated operator ({@code by}) resumed work on a parked transfer, because {@code reason}: it goes back
     * to {@code resumeIn}, the status it was parked from (read from its history by whoever asks).
     */
    record Unparked(String by, String reason, TransferStatus resumeIn) implements TransferEvent {
        public Unparked {
            requireText("by", by);
            requireText("reason", reason);
            Objects.requireNonNull(resumeIn, "resumeIn");
        }

        @Override
        public String cause() {
            return "unparked by " + by + " back to " + resumeIn + ": " + reason;
        }
    }

    /**
     * The message cannot be delivered within the destination's limits: {@code obstacle} says which, {@code detail}
     * names the numbers (sizes, gas, the node's words). Decided before a nonce is taken, or after the node rejected
     * the broadcast for good.
     */
    record Undeliverable(DeliveryObstacle obstacle, String detail) implements TransferEvent {
        public Undeliverable {
            Objects.requireNonNull(obstacle, "obstacle");
            requireText("detail", detail);
        }

        /** What the transfer's failure reason holds: {@code "<OBSTACLE>: <detail>"}. */
        public String reason() {
            return obstacle.name() + ": " + detail;
        }

        @Override
        public String cause() {
            return "undeliverable: " + reason();
        }
    }

    private static void requireText(String name, String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }

    private static void requireNonNegative(String name, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must be >= 0, got " + value);
        }
    }
}
