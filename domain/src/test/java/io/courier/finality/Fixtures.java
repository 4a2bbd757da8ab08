package io.courier.finality;

import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Test data: messages, source refs and hashes that pass the records' validation. */
public final class Fixtures {

    public static final long SRC_CHAIN = 1001;
    public static final long DST_CHAIN = 1002;
    public static final String GATEWAY = "0x" + "11".repeat(20);
    public static final String SENDER = "0x" + "22".repeat(20);
    public static final String RECIPIENT = "0x" + "33".repeat(20);
    public static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");

    private Fixtures() {}

    public static CrossChainMessage message(long nonce) {
        return message(SRC_CHAIN, DST_CHAIN, nonce);
    }

    public static CrossChainMessage message(long srcChain, long dstChain, long nonce) {
        return new CrossChainMessage(srcChain, GATEWAY, nonce, dstChain, SENDER, RECIPIENT,
                ("payload " + nonce).getBytes(StandardCharsets.UTF_8));
    }

    /** A random 32-byte hash, {@code 0x} + 64 lowercase digits. */
    public static String hash() {
        byte[] bytes = new byte[32];
        ThreadLocalRandom.current().nextBytes(bytes);
        return "0x" + HexFormat.of().formatHex(bytes);
    }

    public static TxHash txHash() {
        return TxHash.fromHex(hash());
    }

    public static BlockHash blockHash() {
        return BlockHash.fromHex(hash());
    }

    public static SourceRef source(long blockNumber) {
        return new SourceRef(txHash(), blockNumber, blockHash(), 0);
    }

    public static Transfer observed(long nonce, long blockNumber, Instant at) {
        return Transfer.observed(message(nonce), source(blockNumber), 12, at);
    }

    /** One sample of every event type, in declaration order of {@link TransferEvent}'s records. */
    public static List<TransferEvent> oneOfEach() {
        return List.of(
                new TransferEvent.Finalized(12),
                new TransferEvent.Reorged("block 0xabc replaced at height 100"),
                new TransferEvent.Relocated(source(100), source(101)),
                new TransferEvent.Underpaid(BigInteger.ONE, BigInteger.TEN),
                new TransferEvent.TopUpSeen(BigInteger.TEN),
                new TransferEvent.Attested(3),
                new TransferEvent.Submitted(txHash(), 5),
                new TransferEvent.Replaced(txHash(), 5),
                new TransferEvent.Delivered(txHash(), 77),
                new TransferEvent.ExecutionFailed("Gateway: handler reverted", txHash()),
                new TransferEvent.RetryRequested("ops@courier"),
                new TransferEvent.Parked("ops@courier", "recipient contract is being upgraded"),
                new TransferEvent.Unparked("ops@courier", "upgrade done", TransferStatus.ATTESTED),
                new TransferEvent.Undeliverable(DeliveryObstacle.OVER_GAS_CAP, "execute needs 1200000 gas, max-gas-limit is 1000000"));
    }
}
