package io.courier.relayer.submit;

import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * A destination transaction the submitter follows to its outcome for one transfer: whose it is (which says
 * whether it holds one of the signer's nonces and whether it may be sent again) and when to send it again.
 * Pure values; the submitter actor holds them.
 */
record Inflight(Transfer transfer, TxHash txHash, Sender sender, Resend resend) {

    /** Whose transaction it is. */
    sealed interface Sender {

        /** Signed by this signer at {@code nonce}; {@code raw}: its bytes, empty when they must be read from its record. */
        record Signed(long nonce, Optional<String> raw) implements Sender {}

        /** The signer's, found SUBMITTED after a restart: nonce and bytes are in its record, read when needed. */
        record Recovered() implements Sender {}

        /** Someone else's execution of the message: followed to its receipt, never sent by this node. */
        record Observed(long nonce) implements Sender {}
    }

    /** When the transaction is sent again if it has no receipt. */
    sealed interface Resend {

        /** After {@code rebroadcast-after} without a receipt since {@code lastSent}. */
        record After(Instant lastSent) implements Resend {}

        enum Fixed implements Resend {
            /** At the next receipt poll: its broadcast failed, or a crash may have come before it. */
            NEXT_POLL,
            /** Never: not ours to send, or confirmed and its outcome is being recorded. */
            NEVER
        }
    }

    static Inflight signed(Transfer t, long nonce, TxHash txHash, Optional<String> raw, Resend resend) {
        return new Inflight(t, txHash, new Sender.Signed(nonce, raw), resend);
    }

    /** The signer's nonce this transaction holds; empty when it is not known to be ours at a known nonce. */
    OptionalLong heldNonce() {
        return sender instanceof Sender.Signed s ? OptionalLong.of(s.nonce()) : OptionalLong.empty();
    }

    /** For logs and spans: the nonce if known, else "?". */
    String nonceText() {
        if (sender instanceof Sender.Signed s) {
            return Long.toString(s.nonce());
        }
        return sender instanceof Sender.Observed o ? Long.toString(o.nonce()) : "?";
    }

    boolean sameTx(Inflight other) {
        return other != null && txHash.equals(other.txHash());
    }

    boolean resendDue(Instant now, Duration rebroadcastAfter) {
        if (resend instanceof Resend.After after) {
            return Duration.between(after.lastSent(), now).compareTo(rebroadcastAfter) >= 0;
        }
        return resend == Resend.Fixed.NEXT_POLL;
    }

    Inflight with(Resend next) {
        return new Inflight(transfer, txHash, sender, next);
    }

    Inflight sentAgain(Instant at) {
        return with(new Resend.After(at));
    }
}
