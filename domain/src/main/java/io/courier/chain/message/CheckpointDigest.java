package io.courier.chain.message;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * The EIP-712 digest validators sign for a checkpoint, exactly as {@code Gateway.checkpointDigest(...)} computes it on
 * the destination:
 * <pre>
 * structHash = keccak256(abi.encode(keccak256("Checkpoint(uint256 srcChainId,address srcGateway,uint64 firstNonce,uint64 lastNonce,bytes32 root)"),
 *                                   srcChainId, srcGateway, firstNonce, lastNonce, root))
 * digest     = keccak256(0x19 ‖ 0x01 ‖ domain(dstChainId, dstGateway) ‖ structHash)
 * </pre>
 * The domain is {@link AttestationDigest}'s: destination chain and gateway, so a checkpoint signed for another
 * destination or gateway recovers to unrelated addresses there. The struct binds the source route and the range.
 */
public record CheckpointDigest(Bytes32 value) {

    public static final Bytes32 CHECKPOINT_TYPEHASH = Bytes32.of(Hash.sha3(
            "Checkpoint(uint256 srcChainId,address srcGateway,uint64 firstNonce,uint64 lastNonce,bytes32 root)"
                    .getBytes(StandardCharsets.UTF_8)));

    public CheckpointDigest {
        Objects.requireNonNull(value, "checkpoint digest value");
    }

    /** The digest of the checkpoint {@code firstNonce..lastNonce} of route {@code srcChainId/srcGateway} → {@code dstGateway} on {@code dstChainId}. */
    public static CheckpointDigest of(long srcChainId, String srcGateway, long firstNonce, long lastNonce, CheckpointRoot root,
                                      long dstChainId, String dstGateway) {
        Objects.requireNonNull(root, "root");
        if (srcChainId <= 0) {
            throw new IllegalArgumentException("srcChainId must be positive, was " + srcChainId);
        }
        if (firstNonce < 0 || lastNonce < firstNonce) {
            throw new IllegalArgumentException("checkpoint of chain " + srcChainId + " needs 0 <= firstNonce <= lastNonce, was "
                    + firstNonce + ".." + lastNonce);
        }
        byte[] struct = new byte[6 * Abi.WORD];
        Abi.putBytes32(struct, 0, CHECKPOINT_TYPEHASH);
        Abi.putUint(struct, 1, srcChainId);
        Abi.putAddress(struct, 2, EvmAddress.normalize("srcGateway of chain " + srcChainId, srcGateway));
        Abi.putUint(struct, 3, firstNonce);
        Abi.putUint(struct, 4, lastNonce);
        Abi.putBytes32(struct, 5, root.value());
        byte[] preimage = new byte[2 + 2 * Abi.WORD];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        AttestationDigest.domainSeparator(dstChainId, dstGateway).writeTo(preimage, 2);
        System.arraycopy(Hash.sha3(struct), 0, preimage, 2 + Abi.WORD, Abi.WORD);
        return new CheckpointDigest(Bytes32.of(Hash.sha3(preimage)));
    }

    /** The digest of {@code range} (one route, contiguous nonces) on its destination chain, for the gateway {@code dstGateway}. */
    public static CheckpointDigest of(List<CrossChainMessage> range, String dstGateway) {
        CheckpointRoot root = CheckpointRoot.ofMessages(range);
        CrossChainMessage first = range.get(0);
        return of(first.srcChainId(), first.srcGateway(), first.nonce(), range.get(range.size() - 1).nonce(), root,
                first.dstChainId(), dstGateway);
    }

    public byte[] bytes() {
        return value.bytes();
    }

    public String toHex() {
        return value.toHex();
    }

    @Override
    public String toString() {
        return value.toHex();
    }
}
