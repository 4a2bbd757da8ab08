package io.courier.relayer.submit;

import io.courier.chain.TxReceipt;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeeBump;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransitionOutcome;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;

/**
 * What a submitter tells itself: its asynchronous steps' results (each comes back as a message, {@code pipeToSelf}, so
 * that its state changes only on the actor's thread) and its internal timers. Package-private: only the submitter's
 * behaviours send or receive them.
 */
sealed interface SubmitterReplies extends Submitter.Command {

    enum LoadNonce implements SubmitterReplies { INSTANCE }

    record NonceLoaded(LoadingPhase.Loaded loaded) implements SubmitterReplies {}

    /** Whether and how to replace the newest transaction at {@code nonce}, unmined at {@code head} (a fee bump). */
    record BumpDecided(long nonce, long head, FeeBump.Outcome outcome, Throwable error) implements SubmitterReplies {}

    /**
     * A fee-bump replacement recorded and sent (or not: {@code result}); {@code before}: the attempts and entries as they
     * were, put back when nothing of the replacement was recorded.
     */
    record BumpSent(NonceAttempts before, List<Inflight> entriesBefore, TxHash replacement, TransactionSends.SendResult result) implements SubmitterReplies {}

    /** Timer: plan what is queued (batching waits up to {@code batch.max-wait} for messages to share a transaction). */
    enum DrainTick implements SubmitterReplies { INSTANCE }

    /** A planning round's queued messages, loaded ({@link BatchPreparation#load}). */
    record Loaded(BatchPreparation.Loaded loaded) implements SubmitterReplies {}

    /** A multi-message delivery prepared ({@link BatchPreparation#prepare}). */
    record BatchPrepared(BatchPreparation.Outcome outcome) implements SubmitterReplies {}


    record NoncesChecked(NonceRecovery.Plan plan) implements SubmitterReplies {}

    record FillSent(long nonce, TxHash txHash, Throwable error) implements SubmitterReplies {}

    record SweepLoaded(List<Transfer> open) implements SubmitterReplies {}

    /** The signer's balance, read on each sweep for {@code courier_signer_balance_wei}. */
    record BalanceRead(BigInteger wei, Throwable error) implements SubmitterReplies {}

    /** A lone message prepared ({@link LonePreparation#prepare}). */
    record LonePrepared(LonePreparation.Outcome outcome) implements SubmitterReplies {}

    record ObservedRecorded(Inflight tx, TransitionOutcome outcome, Throwable error) implements SubmitterReplies {}

    record UndeliverableRecorded(Transfer transfer, TransferEvent.Undeliverable event, TransitionOutcome outcome, Throwable error)
            implements SubmitterReplies {}

    /** {@code txs}: the transaction's entry for each transfer it carries (one, or a batch's). */
    record Broadcast(List<Inflight> txs, TransactionSends.SendResult result) implements SubmitterReplies {}

    /** The head a round of receipt polls counts confirmations from. */
    record HeadRead(long round, List<PendingTransactions.Pending> snapshot, long head) implements SubmitterReplies {}

    /** The head of a round of receipt polls could not be read: the round ends, the next timer starts another. */
    record HeadFailed(long round, Throwable error) implements SubmitterReplies {}

    /** One receipt poll of a transaction, for every transfer it carries ({@code txs}, the round's snapshot). */
    record ReceiptChecked(long round, List<Inflight> txs, Optional<TxReceipt> receipt, long head, Throwable error) implements SubmitterReplies {}

    /** A rebroadcast's verdict ({@code error}: it could not be sent or asked). */
    record Rebroadcast(List<Inflight> txs, TransactionSends.Resent result, Throwable error) implements SubmitterReplies {}

    /** An outcome's record: {@code status} the transfer moved to, empty when the write applied nothing (moved on, a replay). */
    record Finished(Inflight tx, Optional<TransferStatus> status, Throwable error) implements SubmitterReplies {}

    /** A step that runs one at a time failed; the flag that keeps it one at a time is cleared. */
    record StepFailed(Step step, Throwable error) implements SubmitterReplies {}

    enum Step {
        LOAD_NONCE("load nonce"), SWEEP("sweep"), NONCE_CHECK("nonce check");

        final String text;

        Step(String text) {
            this.text = text;
        }
    }
}
