package io.courier.relayer.api;

import io.courier.chain.message.BlockHash;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.CrossChainMessage;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Transfers in every shape the API shows, built through the real state machine ({@link Transfer#next}). */
final class Fixtures {

    static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    static final String GATEWAY = "0x" + "11".repeat(20);
    static final String SENDER = "0x" + "22".repeat(20);
    static final String RECIPIENT = "0x" + "33".repeat(20);
    static final String SOURCE_TX = "0x" + "aa".repeat(32);
    static final String BLOCK_HASH = "0x" + "bb".repeat(32);
    static final String DEST_TX = "0x" + "cc".repeat(32);
    static final String BUMPED_TX = "0x" + "dd".repeat(32);
    static final byte[] PAYLOAD = "hello courier".getBytes(StandardCharsets.UTF_8);

    private Fixtures() {}

    /** A transfer with its history, as the store would hold them. */
    record Stored(Transfer transfer, List<TransferHistoryEntry> history) {
        String id() {
            return transfer.id().toHex();
        }

        Stored then(TransferEvent event, Instant at) {
            Transfer next = transfer.next(event, at);
            List<TransferHistoryEntry> more = new ArrayList<>(history);
            more.add(new TransferHistoryEntry(at, transfer.status(), next.status(), event.cause()));
            return new Stored(next, more);
        }
    }

    static CrossChainMessage message(long nonce) {
        return new CrossChainMessage(1001, GATEWAY, nonce, 1002, SENDER, RECIPIENT, PAYLOAD);
    }

    static Stored sent(long nonce, int logIndex) {
        Transfer t = Transfer.observed(message(nonce), new SourceRef(TxHash.fromHex(SOURCE_TX), 120, BlockHash.fromHex(BLOCK_HASH), logIndex), 12, T0);
        return new Stored(t, List.of(new TransferHistoryEntry(T0, null, TransferStatus.SENT, t.observationCause())));
    }

    /** SENT → FINALIZED → UNDERPAID → FINALIZED → ATTESTED → SUBMITTED → (bump) SUBMITTED → DELIVERED. */
    static Stored delivered(long nonce) {
        return sent(nonce, 0)
                .then(new TransferEvent.Finalized(12), T0.plusSeconds(30))
                .then(new TransferEvent.Underpaid(java.math.BigInteger.ONE, java.math.BigInteger.TEN), T0.plusSeconds(31))
                .then(new TransferEvent.TopUpSeen(java.math.BigInteger.TEN), T0.plusSeconds(40))
                .then(new TransferEvent.Attested(3), T0.plusSeconds(41))
                .then(new TransferEvent.Submitted(TxHash.fromHex(DEST_TX), 5), T0.plusSeconds(42))
                .then(new TransferEvent.Replaced(TxHash.fromHex(BUMPED_TX), 5), T0.plusSeconds(60))
                .then(new TransferEvent.Delivered(TxHash.fromHex(BUMPED_TX), 900), T0.plusMillis(75_123));
    }

    static Stored failed(long nonce) {
        return sent(nonce, 0)
                .then(new TransferEvent.Finalized(12), T0.plusSeconds(30))
                .then(new TransferEvent.Attested(3), T0.plusSeconds(31))
                .then(new TransferEvent.Submitted(TxHash.fromHex(DEST_TX), 6), T0.plusSeconds(32))
                .then(new TransferEvent.ExecutionFailed("recipient reverted: paused", TxHash.fromHex(DEST_TX)), T0.plusSeconds(50));
    }

    static Stored reorged(long nonce) {
        return sent(nonce, 1).then(new TransferEvent.Reorged("block 120 replaced"), T0.plusSeconds(5));
    }
}
