package io.courier.relayer.submitfakes;

import io.courier.chain.message.BlockHash;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.Address;

import io.courier.chain.message.CrossChainMessage;
import io.courier.finality.Attestation;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.relayer.config.NodeConfig.Secret;
import io.courier.relayer.signing.ValidatorKeys;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.web3j.crypto.Credentials;

/** Transfers and validator keys for actor tests, built through the real state machine and real signatures. */
public final class Transfers {

    public static final long SRC = 1001;
    public static final long DST = 1002;
    public static final String SRC_GATEWAY = "0x" + "11".repeat(20);
    public static final Address DST_GATEWAY = Address.fromHex("0x" + "12".repeat(20));
    public static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final List<String> VALIDATOR_KEYS = List.of(
            "4c0883a69102937d6231471b5dbb6204fe5129617082792ae468d01a3f362318",
            "8da4ef21b864d2cc526dbdb2a120bd2874c36c9d0a1fb7f8c63d7f7a8b41de8f",
            "a2a7f0a5c4e0b54ea58e3a5e0b1f7ef1e1d59d3fcb2c4bb3b6d1f8a0c0e2d4f6");
    /** The submitter's signer. */
    public static final Credentials SIGNER = Credentials.create("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291");

    private Transfers() {}

    /** Every validator's address, threshold 2 of 3. */
    public static List<String> validatorSet() {
        return VALIDATOR_KEYS.stream().map(k -> Credentials.create(k).getAddress().toLowerCase()).toList();
    }

    /** Keys of validators {@code [0, count)} of the set, threshold 2. */
    public static ValidatorKeys keys(int count) {
        return new ValidatorKeys(VALIDATOR_KEYS.subList(0, count).stream().map(k -> new Secret("test", k)).toList(),
                validatorSet(), 2);
    }

    public static Transfer finalized(long nonce) {
        return finalizedFrom(SRC, nonce);
    }

    /** A FINALIZED transfer from source chain {@code src} to {@link #DST}. */
    public static Transfer finalizedFrom(long src, long nonce) {
        CrossChainMessage m = new CrossChainMessage(src, SRC_GATEWAY, nonce, DST, "0x" + "22".repeat(20), "0x" + "33".repeat(20),
                ("hello " + nonce).getBytes(StandardCharsets.UTF_8));
        return Transfer.observed(m, new SourceRef(TxHash.fromHex("0x" + "aa".repeat(32)), 120, BlockHash.fromHex("0x" + "bb".repeat(32)), (int) nonce), 12, T0)
                .next(new TransferEvent.Finalized(12), T0.plusSeconds(30));
    }

    public static Transfer attested(long nonce) {
        return finalized(nonce).next(new TransferEvent.Attested(2), T0.plusSeconds(31));
    }

    /** An ATTESTED transfer from {@link #SRC} to {@link #DST} carrying {@code payload}. */
    public static Transfer attested(long nonce, byte[] payload) {
        CrossChainMessage m = new CrossChainMessage(SRC, SRC_GATEWAY, nonce, DST, "0x" + "22".repeat(20), "0x" + "33".repeat(20), payload);
        return Transfer.observed(m, new SourceRef(TxHash.fromHex("0x" + "aa".repeat(32)), 120, BlockHash.fromHex("0x" + "bb".repeat(32)), (int) nonce), 12, T0)
                .next(new TransferEvent.Finalized(12), T0.plusSeconds(30)).next(new TransferEvent.Attested(2), T0.plusSeconds(31));
    }

    /** Valid signatures of every validator over the transfer's digest for {@link #DST_GATEWAY}. */
    public static List<Attestation> signatures(Transfer t) {
        ValidatorKeys all = keys(3);
        return all.sign(t.id(), all.digest(t.id(), t.message().dstChainId(), DST_GATEWAY.toHex()), T0);
    }
}
