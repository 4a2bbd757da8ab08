package io.courier.finality;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import java.time.Instant;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One cross-chain transfer as Courier knows it: the message, where it was seen, its status and when it reached
 * each status. Immutable; a status change produces a new value through {@link #next(TransferEvent, Instant)},
 * which asks {@link TransferStateMachine} first.
 *
 * <p>{@code dstTxHash} (the destination transaction last sent or seen for it) and {@code failureReason} (the
 * revert reason while {@link TransferStatus#FAILED}) are {@code null} when absent; {@link #destinationTx()} and
 * {@link #failure()} wrap them in {@link Optional}. {@code confirmationsSeen} is the count last recorded, not a
 * live value. {@code stageTimes} holds, per status, the time the transfer last entered it (a fee-bump
 * replacement keeps the first {@code SUBMITTED} time; the history has every step).
 */
public record Transfer(MessageId id, CrossChainMessage message, TransferStatus status, SourceRef source,
                       int confirmationsRequired, long confirmationsSeen, Map<TransferStatus, Instant> stageTimes,
                       TxHash dstTxHash, String failureReason, Instant createdAt, Instant updatedAt) {

    public Transfer {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(message, "transfer " + id + ": message");
        Objects.requireNonNull(status, "transfer " + id + ": status");
        Objects.requireNonNull(source, "transfer " + id + ": source");
        Objects.requireNonNull(createdAt, "transfer " + id + ": createdAt");
        Objects.requireNonNull(updatedAt, "transfer " + id + ": updatedAt");
        if (!id.equals(message.id())) {
            throw new IllegalArgumentException("transfer " + id + ": the message hashes to " + message.id());
        }
        if (confirmationsRequired < 1 || confirmationsSeen < 0) {
            throw new IllegalArgumentException("transfer " + id + ": confirmations required " + confirmationsRequired
                    + " (>= 1), seen " + confirmationsSeen + " (>= 0)");
        }
        EnumMap<TransferStatus, Instant> times = new EnumMap<>(TransferStatus.class);
        times.putAll(Objects.requireNonNull(stageTimes, "stageTimes"));
        stageTimes = Collections.unmodifiableMap(times);
    }

    /** A transfer just seen on the source chain: {@link TransferStatus#SENT} since {@code at}. */
    public static Transfer observed(CrossChainMessage message, SourceRef source, int confirmationsRequired, Instant at) {
        return new Transfer(message.id(), message, TransferStatus.SENT, source, confirmationsRequired, 0,
                Map.of(TransferStatus.SENT, at), null, null, at, at);
    }

    /** {@code "srcChainId->dstChainId"}, the {@code route} label of metrics and SLAs. */
    public String route() {
        return route(message.srcChainId(), message.dstChainId());
    }

    /** The {@code route} label of a transfer from chain {@code src} to chain {@code dst}. */
    public static String route(long src, long dst) {
        return src + "->" + dst;
    }

    public Optional<TxHash> destinationTx() {
        return Optional.ofNullable(dstTxHash);
    }

    public Optional<String> failure() {
        return Optional.ofNullable(failureReason);
    }

    public Optional<Instant> stageTime(TransferStatus stage) {
        return Optional.ofNullable(stageTimes.get(stage));
    }

    /** The cause text of the history row written when this transfer was first observed. */
    public String observationCause() {
        return "observed in block " + source.blockNumber() + " tx " + source.txHash() + " log " + source.logIndex();
    }

    /**
     * This transfer after {@code event} at {@code at}: the new status, its stage time and the fields the event
     * carries (the destination tx hash on {@code Submitted}/{@code Replaced}/{@code Delivered}/{@code
     * ExecutionFailed}, the failure reason on {@code ExecutionFailed}, cleared again on {@code RetryRequested},
     * the confirmation count on {@code Finalized}, the new source on {@code Relocated}, which also resets the
     * confirmation count and, like a fee-bump replacement, keeps the stage time).
     *
     * @throws TransitionRejectedException if the state machine does not allow {@code event} in {@link #status()}
     */
    public Transfer next(TransferEvent event, Instant at) {
        Transition transition = TransferStateMachine.INSTANCE.apply(status, event);
        if (transition instanceof Transition.Rejected rejected) {
            throw new TransitionRejectedException(id, status, event, rejected.reason());
        }
        TransferStatus to = ((Transition.Moved) transition).to();
        EnumMap<TransferStatus, Instant> times = new EnumMap<>(TransferStatus.class);
        times.putAll(stageTimes);
        if (!(event instanceof TransferEvent.Replaced) && !(event instanceof TransferEvent.Relocated)) {
            times.put(to, at);
        }
        SourceRef src = source;
        TxHash dst = dstTxHash;
        String failure = failureReason;
        long seen = confirmationsSeen;
        if (event instanceof TransferEvent.Finalized f) {
            seen = Math.max(seen, f.confirmations());
        } else if (event instanceof TransferEvent.Submitted s) {
            dst = s.txHash();
        } else if (event instanceof TransferEvent.Replaced r) {
            dst = r.newTxHash();
        } else if (event instanceof TransferEvent.Delivered d) {
            dst = d.txHash();
        } else if (event instanceof TransferEvent.ExecutionFailed e) {
            dst = e.txHash();
            failure = e.reason();
        } else if (event instanceof TransferEvent.Undeliverable u) {
            failure = u.reason();
        } else if (event instanceof TransferEvent.RetryRequested) {
            failure = null;
        } else if (event instanceof TransferEvent.Relocated r) {
            if (!r.from().equals(source)) {
                throw new IllegalArgumentException("transfer " + id + " is in " + source + ", not in " + r.from()
                        + " which the relocation moves it from");
            }
            src = r.to();
            seen = 0; // counted again in the new block
        }
        return new Transfer(id, message, to, src, confirmationsRequired, seen, times, dst, failure, createdAt, at);
    }

    /** This transfer with {@code seen} confirmations recorded (no status change, no history). */
    public Transfer withConfirmationsSeen(long seen) {
        return new Transfer(id, message, status, source, confirmationsRequired, seen, stageTimes, dstTxHash,
                failureReason, createdAt, updatedAt);
    }
}
