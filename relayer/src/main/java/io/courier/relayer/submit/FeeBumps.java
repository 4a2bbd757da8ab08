package io.courier.relayer.submit;

import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.fees.Fees;
import io.courier.finality.Submission;
import io.courier.finality.TransferEvent;
import java.time.Instant;

/**
 * The fee-bump stage after pricing (docs/adr/004, "Fees and bumps"): the replacement a {@link NonceManager.Bump.Replace}
 * asks for, signed at the same nonce with the same call and gas and its {@code submissions} record made, before anything
 * is written or sent (ADR 004: the record, the transfers' move, then the broadcast); and what a replacement's send result
 * means. Whether a bump is due and what its price means is {@link NonceManager}'s; the fees themselves are
 * {@link io.courier.fees.FeeBump}'s (raised on both fields, capped, bounded: tested there). Pure.
 */
final class FeeBumps {

    private FeeBumps() {}

    /**
     * A signed replacement and its record. {@code before}: the attempts as they were (put back if the replacement is lost);
     * {@code after}: the attempts with the replacement as the newest, tracked from its signing on.
     */
    record Replacement(NonceAttempts before, NonceAttempts after, ChainSigner.Signed signed, Submission record, Fees fees) {

        TxHash hash() {
            return signed.hash();
        }

        /** The transfers' move to it (SUBMITTED to SUBMITTED with the new hash). */
        TransferEvent.Replaced event() {
            return new TransferEvent.Replaced(signed.hash(), signed.nonce());
        }
    }

    /** The replacement of {@code bump}'s newest attempt, signed by {@code account} at {@code at}. */
    static Replacement sign(NonceManager.Bump.Replace bump, ChainSigner account, long chainId, Address gateway, Instant at) {
        NonceAttempts a = bump.attempts();
        ChainSigner.Signed signed = account.sign(a.nonce(), a.gasLimit(), gateway, a.calldata(), bump.fees());
        Submission record = signed.record(chainId, account.address(), a.current().messageIds(), bump.fees(), a.gasLimit(), at);
        return new Replacement(a.bumping(false), a.replacedBy(record, bump.fees()), signed, record, bump.fees());
    }

    /** What a replacement's send result means. */
    enum AfterSend {
        /** Recorded, carried and sent: counted as a bump. */
        SENT,
        /** Nothing of it became anyone's transaction (not recorded, or no transfer moved to it): the previous one is followed again. */
        LOST,
        /** Recorded (perhaps) and carried, not sent: the receipt poll sends it again. */
        NOT_SENT
    }

    static AfterSend afterSend(TransactionSends.SendResult result) {
        if (result instanceof TransactionSends.SendResult.Sent) {
            return AfterSend.SENT;
        }
        return result instanceof TransactionSends.SendResult.NotSent ? AfterSend.NOT_SENT : AfterSend.LOST;
    }
}
