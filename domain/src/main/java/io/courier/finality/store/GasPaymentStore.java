package io.courier.finality.store;

import io.courier.chain.message.MessageId;
import io.courier.payment.Charge;
import io.courier.payment.GasPayment;
import io.courier.payment.PaymentAccount;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * What messages paid for their destination gas ({@code GasPaid} logs of the source gateways) and what they were asked
 * to pay. Asynchronous like {@link TransferStore}; failures are {@link StoreException}s naming the message or chain.
 *
 * <p><b>Reorg-safe by construction.</b> A payment seen in a block that is not final yet is only <em>pending</em>
 * ({@link #observe}), indexed by source chain and block like transfers waiting for finality. Once its block is final
 * the watcher checks the block is still canonical and either {@link #confirm}s it — from then on it counts, in an
 * append-only record idempotent per (transaction, log index) — or {@link #discard}s the orphaned sighting (a
 * re-included transaction was scanned again in its new block and has a pending row of its own).
 */
public interface GasPaymentStore {

    /** Records a payment seen in a block that is not final yet. Idempotent (an upsert of the same sighting). */
    CompletionStage<Void> observe(GasPayment payment);

    /** The pending payments of {@code srcChain} in blocks {@code >= fromBlock}, by block. */
    CompletionStage<List<GasPayment>> pending(long srcChain, long fromBlock);

    /**
     * The payment's block is final and canonical: the payment counts for its message from now on (a plain insert keyed
     * by message, transaction and log index: writing it twice changes nothing). Its pending row stays until
     * {@link #discard}: the caller removes it only once everything the payment moves (a top-up's transition) is written,
     * so a crash in between finds the payment pending again and redoes that.
     */
    CompletionStage<Void> confirm(GasPayment payment);

    /**
     * Removes the pending row of this sighting: after {@link #confirm} and what follows it, or when the payment's block
     * left the chain before it was final (then it never counted).
     */
    CompletionStage<Void> discard(GasPayment payment);

    /** Records the charge of message {@code id} fixed at finality (overwrites a previous one: the latest judge wins). */
    CompletionStage<Void> charge(MessageId id, Charge charge);

    /** The final payments of message {@code id} and its charge, if judged (empty account for an unknown id). */
    CompletionStage<PaymentAccount> account(MessageId id);
}
