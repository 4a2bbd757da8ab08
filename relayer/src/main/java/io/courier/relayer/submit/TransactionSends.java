package io.courier.relayer.submit;

import io.courier.chain.ChainRpcException;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Submission;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.TransitionRejectedException;
import io.courier.finality.store.StoreException;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.telemetry.TransferTracing;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.web3j.crypto.TransactionDecoder;

/**
 * The submitter's writes and sends for a signed transaction, in ADR 004's order: its {@code submissions} record, then each
 * transfer's move to it, then the broadcast ({@link TxLifecycle} says when it may go); sending it again; recording its
 * outcome. Reads and writes the stores and the chain, holds no state: the actor runs it off its thread and acts on the
 * typed results.
 */
final class TransactionSends {

    /** What became of persisting and broadcasting a signed transaction. */
    sealed interface SendResult {

        /**
         * Persisted as SUBMITTED and accepted by the node; {@code notCarried}: transfers of a batch that had moved
         * away (they are not followed with it; the others' SUBMITTED needed the transaction sent).
         */
        record Sent(Set<MessageId> notCarried) implements SendResult {}

        /** The submission's record was certainly not written and nothing was sent: its nonce is free again. */
        record NothingRecorded(Throwable cause) implements SendResult {}

        /**
         * Recorded, but the transfer moved away (or the move was rejected), so it was never sent. Its nonce is not
         * handed out again (a second transaction at it would compete with the record): recovery adopts or fills it.
         */
        record NotPersisted(String reason) implements SendResult {}

        /** Persisted, or its outcome unknown, but not (known to be) broadcast: the receipt poll sends it again. */
        record NotSent(Throwable cause) implements SendResult {}
    }

    /** What sending a transaction again found. */
    sealed interface Resent {

        /** The node has it (accepted now, or already pooled). */
        record Pending() implements Resent {}

        /** Its nonce was used by another transaction and it has no receipt: it can never be mined. */
        record NonceTaken() implements Resent {}

        /** The node refused it for a reason sending it again cannot fix: its {@code nonce}, the node's words. */
        record RejectedForGood(long nonce, String reason) implements Resent {}
    }

    private final Submitter.Wiring w;
    private final Address signer;

    TransactionSends(Submitter.Wiring wiring, Address signer) {
        this.w = wiring;
        this.signer = signer;
    }

    /**
     * After {@code recorded} (the submission's record, or a replacement's): each transfer's move {@code from} by
     * {@code event}, then one broadcast when a transfer carries it (a batch's transfers move together, docs/adr/009).
     */
    CompletionStage<SendResult> afterRecord(CompletionStage<Void> recorded, List<MessageId> ids, TransferStatus from,
                                            TransferEvent event, TxHash hash, String raw) {
        return recorded.handle((ok, e) -> e).thenCompose(recordFailed -> recordFailed != null
                ? CompletableFuture.completedFuture(notRecorded(unwrap(recordFailed)))
                : persistThenSend(ids, from, event, hash, raw));
    }

    /** A failed record write: certainly not written, or perhaps written (a timeout), so perhaps adopted later. */
    private static SendResult notRecorded(Throwable cause) {
        return cause instanceof StoreException store && !store.outcomeUnknown()
                ? new SendResult.NothingRecorded(cause) : new SendResult.NotSent(cause);
    }

    private CompletionStage<SendResult> persistThenSend(List<MessageId> ids, TransferStatus from, TransferEvent event, TxHash hash,
                                                        String raw) {
        Instant now = w.clock().instant();
        List<CompletableFuture<Object>> moves = ids.stream().map(id -> w.transfers().transition(id, from, event, now)
                .<Object>handle((outcome, e) -> e != null ? unwrap(e) : outcome).toCompletableFuture()).toList();
        return CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            Set<MessageId> notCarried = new HashSet<>();
            Throwable unknown = null;
            String rejected = null;
            for (int i = 0; i < ids.size(); i++) {
                Object r = moves.get(i).join();
                if (r instanceof TransitionOutcome outcome && carries(outcome, hash)) {
                    continue;
                }
                notCarried.add(ids.get(i));
                if (r instanceof Throwable cause && !(cause instanceof TransitionRejectedException)) {
                    unknown = cause; // a failed write may have landed: the receipt poll finds out
                } else {
                    rejected = r instanceof Throwable cause ? cause.getMessage()
                            : "transfer " + ids.get(i) + " moved away from " + from + ": " + r;
                }
            }
            TxLifecycle.State state = moved(notCarried.size() < ids.size());
            if (!TxLifecycle.maySend(state)) {
                // nothing carries it: never sent (a rejected move never happens; a failed write may have landed)
                return CompletableFuture.<SendResult>completedFuture(unknown != null ? new SendResult.NotSent(unknown)
                        : new SendResult.NotPersisted(rejected));
            }
            // some transfer is SUBMITTED with it: the transaction must exist (those that moved away are let go)
            // a span of the first transfer's trace (a batch's transaction belongs to all of them; its size is on the submit span)
            return TransferTracing.inTransfer(ids.get(0).toHex(), () -> w.client().sendRawTransaction(raw)).<SendResult>handle((h, sendError) ->
                    sendError == null ? new SendResult.Sent(Set.copyOf(notCarried)) : new SendResult.NotSent(unwrap(sendError)));
        });
    }

    /** The lifecycle of a recorded transaction after its transfers' moves: carried by one at least, or by none. */
    private static TxLifecycle.State moved(boolean carried) {
        TxLifecycle.Step recorded = TxLifecycle.next(TxLifecycle.built(), new TxLifecycle.Event.Recorded());
        TxLifecycle.Step step = TxLifecycle.next(((TxLifecycle.Step.To) recorded).state(),
                carried ? new TxLifecycle.Event.Carried() : new TxLifecycle.Event.NothingCarried());
        return ((TxLifecycle.Step.To) step).state();
    }

    /**
     * Sends {@code tx} again, from {@code raw}, or from its record when the bytes are not at hand (a recovered transaction's
     * record is listed from the mined nonce on). No record, or "nonce too low", and no receipt: {@link Resent.NonceTaken}.
     */
    CompletionStage<Resent> resend(TxHash tx, Optional<String> raw) {
        CompletionStage<Optional<String>> bytes = raw.isPresent()
                ? CompletableFuture.completedFuture(raw)
                : w.client().nonce(signer, false).thenCompose(mined -> w.submissions().list(w.chainId(), signer, mined, 1_000))
                        .thenApply(subs -> subs.stream().filter(sub -> sub.txHash().equals(tx)).findFirst().flatMap(Submission::raw));
        CompletionStage<Resent> sent = bytes.thenCompose(r -> r.isEmpty()
                ? CompletableFuture.completedFuture(new Resent.NonceTaken())
                : w.client().sendRawTransaction(r.get()).handle((h, e) -> {
                    if (e == null) {
                        return new Resent.Pending();
                    }
                    if (unwrap(e) instanceof ChainRpcException rpc) {
                        if (rpc.kind() == ChainRpcException.Kind.NONCE_TOO_LOW) {
                            return new Resent.NonceTaken();
                        }
                        if (rpc.kind() == ChainRpcException.Kind.ALREADY_KNOWN || rpc.kind() == ChainRpcException.Kind.UNDERPRICED) {
                            return new Resent.Pending(); // the node holds it (some nodes call a duplicate "underpriced")
                        }
                        if (rpc.kind() == ChainRpcException.Kind.TX_REJECTED) {
                            // never sent again; the nonce is read from the transaction itself (a recovered one has it only there)
                            return new Resent.RejectedForGood(TransactionDecoder.decode(r.get()).getNonce().longValueExact(),
                                    rpc.getMessage() == null ? rpc.toString() : rpc.getMessage());
                        }
                    }
                    throw new CompletionException(unwrap(e));
                }));
        // a nonce used by another is a drop only while the transaction itself has no receipt
        return sent.thenCompose(r -> r instanceof Resent.NonceTaken
                ? w.client().receipt(tx).thenApply(receipt -> receipt.isEmpty() ? r : new Resent.Pending())
                : CompletableFuture.completedFuture(r));
    }

    /** The first receipt among {@code hashes} (every attempt at one nonce, newest first), asked in order. */
    CompletionStage<Optional<TxReceipt>> receiptOfAny(List<TxHash> hashes) {
        CompletionStage<Optional<TxReceipt>> found = w.client().receipt(hashes.get(0));
        for (TxHash next : hashes.subList(1, hashes.size())) {
            found = found.thenCompose(r -> r.isPresent() ? CompletableFuture.completedFuture(r) : w.client().receipt(next));
        }
        return found;
    }

    /**
     * SUBMITTED → the outcome. A transfer still ATTESTED here had its SUBMITTED write fail with an unknown outcome
     * (a timeout) after the transaction was recorded: the mined transaction is ours, so SUBMITTED is written first.
     */
    CompletionStage<TransitionOutcome> recordOutcome(Inflight tx, TransferEvent event) {
        MessageId id = tx.transfer().id();
        Instant now = w.clock().instant();
        return w.transfers().transition(id, TransferStatus.SUBMITTED, event, now).thenCompose(outcome ->
                outcome instanceof TransitionOutcome.Conflict c && c.actual() == TransferStatus.ATTESTED && tx.heldNonce().isPresent()
                        ? w.transfers().transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(tx.txHash(), tx.heldNonce().getAsLong()), now)
                                .thenCompose(x -> w.transfers().transition(id, TransferStatus.SUBMITTED, event, now))
                        : CompletableFuture.completedFuture(outcome));
    }

    /**
     * Someone else's execution of a message, recorded as the state machine asks (no ATTESTED → DELIVERED shortcut):
     * ATTESTED: SUBMITTED with it; SUBMITTED with a dropped transaction of ours: that one replaced by it.
     */
    CompletionStage<TransitionOutcome> recordObserved(LonePreparation.Outcome.ExecutedElsewhere seen) {
        MessageId id = seen.transfer().id();
        return seen.replacing().isEmpty()
                ? w.transfers().transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(seen.txHash(), seen.nonce()), w.clock().instant())
                : w.transfers().transition(id, TransferStatus.SUBMITTED, new TransferEvent.Replaced(seen.txHash(), seen.nonce()), w.clock().instant());
    }

    /** The write moved the transfer to carry {@code txHash}, now or in an earlier attempt (a replay). */
    static boolean carries(TransitionOutcome outcome, TxHash txHash) {
        return outcome instanceof TransitionOutcome.Applied
                || outcome instanceof TransitionOutcome.AlreadyApplied done
                && done.current().destinationTx().map(txHash::equals).orElse(false);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
