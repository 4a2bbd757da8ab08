package io.courier.relayer.submit;

import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.finality.TransferEvent;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * What a receipt poll of one transaction means, for the transaction and for each message it carries. Pure: the
 * submitter's receipt round asks, this says what follows (send again, wait, or record outcomes).
 */
final class ReceiptMeaning {

    /** What the answer of a receipt poll means for the transaction. */
    sealed interface Reading {

        /** No receipt: sent again when {@code resend}; the bump clock of {@code nonce} (when ours) is fed. */
        record Unmined(boolean resend, OptionalLong nonce) implements Reading {}

        /** Mined but not final (below the destination's confirmations, or above the head read): asked again. */
        record NotFinal(Optional<TxLifecycle.State> reached) implements Reading {}

        /** Final at the destination's confirmations: its outcomes are recorded from {@code receipt}. */
        record Final(TxReceipt receipt, TxLifecycle.State.Final state) implements Reading {}
    }

    /** What a final receipt means for the messages of the transaction. */
    sealed interface Outcomes {

        /** A batch reverted as a whole: none of its messages was executed, each goes again on its own. */
        record BatchReverted(int batchOf) implements Outcomes {}

        /** Each message's transition, from the receipt's gateway events. */
        record Each(List<Recorded> recorded) implements Outcomes {}
    }

    /** The transition to record for {@code entry}'s transfer. */
    record Recorded(Inflight entry, TransferEvent event) {}

    private ReceiptMeaning() {}

    /**
     * {@code members}: the messages the transaction carries now (not empty); {@code head}: the head the round read; a
     * missing receipt asks for a resend when any member's is due.
     */
    static Reading read(List<Inflight> members, Optional<TxReceipt> receipt, long head, long confirmations, Instant now,
                        Duration rebroadcastAfter) {
        if (receipt.isEmpty()) {
            return new Reading.Unmined(members.stream().anyMatch(m -> m.resendDue(now, rebroadcastAfter)), members.get(0).heldNonce());
        }
        TxReceipt r = receipt.get();
        // the receipt proves the transaction was sent; final only at the destination's confirmations (a receipt above the head read is not taken)
        TxLifecycle.Step mined = TxLifecycle.next(new TxLifecycle.State.Broadcast(1),
                new TxLifecycle.Event.Receipt(r.blockNumber(), r.succeeded(), head, confirmations));
        if (mined instanceof TxLifecycle.Step.To to && to.state() instanceof TxLifecycle.State.Final f) {
            return new Reading.Final(r, f);
        }
        return new Reading.NotFinal(mined instanceof TxLifecycle.Step.To to ? Optional.of(to.state()) : Optional.empty());
    }

    /**
     * The outcome of each of {@code members} in {@code receipt} (the attempt mined: a bump's predecessor may win the race,
     * so its hash is what delivered). {@code batchOf}: the messages the transaction was built with when a batch, else 0.
     */
    static Outcomes outcomes(TxReceipt receipt, List<Inflight> members, int batchOf, Address gateway) {
        if (!receipt.succeeded() && batchOf > 1) {
            return new Outcomes.BatchReverted(batchOf); // never FAILED for another message's fault
        }
        return new Outcomes.Each(members.stream().map(m -> new Recorded(m, event(receipt, m, gateway))).toList());
    }

    private static TransferEvent event(TxReceipt receipt, Inflight member, Address gateway) {
        TxHash hash = receipt.txHash();
        ExecutionOutcome outcome = ExecutionOutcome.of(receipt, member.transfer().message(), gateway);
        if (outcome instanceof ExecutionOutcome.RecipientReverted r) {
            return new TransferEvent.ExecutionFailed("recipient reverted: " + r.revertData(), hash);
        }
        if (outcome instanceof ExecutionOutcome.TransactionReverted r) {
            return new TransferEvent.ExecutionFailed(r.reason(), hash);
        }
        return new TransferEvent.Delivered(hash, receipt.blockNumber());
    }
}
