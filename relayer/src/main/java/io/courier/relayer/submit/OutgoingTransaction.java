package io.courier.relayer.submit;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import java.time.Instant;
import java.util.List;

/**
 * A signed transaction of ours on its way to the chain, after its {@code submissions} record: each transfer's move
 * {@code from} by {@code event}, then one broadcast (ADR 004's order; a batch's transfers move together, docs/adr/009).
 * Made from a delivery signed now ({@link #sign}) or a recorded one recovery adopts ({@link #adopted}). Pure.
 *
 * @param raw     the signed bytes (as recorded)
 * @param batchOf the batch size it carries, 0 for a lone message
 */
record OutgoingTransaction(List<Transfer> transfers, long nonce, TxHash hash, String raw, int batchOf, TransferStatus from,
                           TransferEvent event) {

    OutgoingTransaction {
        transfers = List.copyOf(transfers);
    }

    List<MessageId> ids() {
        return transfers.stream().map(Transfer::id).toList();
    }

    /** A delivery signed at a nonce: the transaction, its record, and its attempts at that nonce (for receipts and bumps). */
    record Signed(OutgoingTransaction tx, Submission record, NonceAttempts attempts) {}

    /**
     * {@code d} signed by {@code account} at {@code nonce}: a first submission moves its transfers from ATTESTED, the
     * replacement of a dropped transaction (at a new nonce) moves its transfer from SUBMITTED.
     */
    static Signed sign(UnsignedDelivery d, long nonce, ChainSigner account, long chainId, Address gateway, Instant at) {
        ChainSigner.Signed signed = account.sign(nonce, d.gasLimit(), gateway, d.calldata(), d.fees());
        List<MessageId> ids = d.transfers().stream().map(Transfer::id).toList();
        Submission record = signed.record(chainId, account.address(), ids, d.fees(), d.gasLimit(), at);
        boolean first = d.replacing().isEmpty();
        OutgoingTransaction tx = new OutgoingTransaction(d.transfers(), nonce, signed.hash(), signed.raw(), d.batch() ? ids.size() : 0,
                first ? TransferStatus.ATTESTED : TransferStatus.SUBMITTED,
                first ? new TransferEvent.Submitted(signed.hash(), nonce) : new TransferEvent.Replaced(signed.hash(), nonce));
        return new Signed(tx, record, NonceAttempts.first(record, d.fees(), d.calldata(), d.gasLimit()));
    }

    /** A transaction recorded before a restart whose transfers were never marked SUBMITTED: moved to it, sent again. */
    static OutgoingTransaction adopted(NonceRecovery.Adopt adopt) {
        Submission s = adopt.submission();
        int size = s.messageIds().size();
        return new OutgoingTransaction(adopt.transfers(), adopt.nonce(), s.txHash(), s.rawTransaction(), size > 1 ? size : 0,
                TransferStatus.ATTESTED, new TransferEvent.Submitted(s.txHash(), adopt.nonce()));
    }
}
