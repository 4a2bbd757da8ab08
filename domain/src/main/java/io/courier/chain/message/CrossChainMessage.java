package io.courier.chain.message;

import java.util.Arrays;
import org.web3j.crypto.Hash;

/**
 * One Courier message as the source gateway emitted it ({@code MessageSent}) and the destination gateway
 * executes it. Addresses are held in canonical form ({@code 0x} + 40 lowercase hex digits).
 *
 * <p>Chain ids are {@code uint256} on chain and {@code long} here (every real chain id fits); the nonce is
 * {@code uint64} on chain and must be non-negative here (2^63 messages from one gateway are far away).
 *
 * @param srcChainId chain the message was sent on
 * @param srcGateway the gateway that emitted it
 * @param nonce the source gateway's outbound nonce for it (the first message has nonce 0)
 * @param dstChainId chain the message is for
 * @param sender account that called {@code Gateway.send}
 * @param recipient account that receives it on the destination ({@code IMessageRecipient.handle})
 * @param payload application bytes; copied in and out, so the record stays immutable
 */
public record CrossChainMessage(
        long srcChainId, String srcGateway, long nonce, long dstChainId, String sender, String recipient, byte[] payload) {

    private static final int ID_PREIMAGE_WORDS = 7;

    public CrossChainMessage {
        if (srcChainId <= 0) {
            throw new IllegalArgumentException("srcChainId must be positive, was " + srcChainId);
        }
        if (dstChainId <= 0) {
            throw new IllegalArgumentException("dstChainId must be positive, was " + dstChainId);
        }
        if (nonce < 0) {
            throw new IllegalArgumentException("nonce must be >= 0, was " + nonce + " (message from chain " + srcChainId + ")");
        }
        srcGateway = EvmAddress.normalize("srcGateway of chain " + srcChainId, srcGateway);
        sender = EvmAddress.normalize("sender", sender);
        recipient = EvmAddress.normalize("recipient", recipient);
        if (payload == null) {
            throw new IllegalArgumentException("payload is null (use an empty array)");
        }
        payload = payload.clone();
    }

    /** A copy of the payload. */
    @Override
    public byte[] payload() {
        return payload.clone();
    }

    public int payloadLength() {
        return payload.length;
    }

    /** {@code keccak256(payload)}, the last word of the id preimage. */
    public Bytes32 payloadHash() {
        return Bytes32.of(Hash.sha3(payload));
    }

    /**
     * The message id exactly as {@code Gateway.sol} computes it:
     * {@code keccak256(abi.encode(srcChainId, srcGateway, nonce, dstChainId, sender, recipient, keccak256(payload)))},
     * seven 32-byte words, each value right-aligned (abi.encode of static types).
     */
    public MessageId id() {
        byte[] preimage = new byte[ID_PREIMAGE_WORDS * Abi.WORD];
        Abi.putUint(preimage, 0, srcChainId);
        Abi.putAddress(preimage, 1, srcGateway);
        Abi.putUint(preimage, 2, nonce);
        Abi.putUint(preimage, 3, dstChainId);
        Abi.putAddress(preimage, 4, sender);
        Abi.putAddress(preimage, 5, recipient);
        Abi.putBytes32(preimage, 6, payloadHash());
        return MessageId.of(Hash.sha3(preimage));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CrossChainMessage that
                && srcChainId == that.srcChainId
                && nonce == that.nonce
                && dstChainId == that.dstChainId
                && srcGateway.equals(that.srcGateway)
                && sender.equals(that.sender)
                && recipient.equals(that.recipient)
                && Arrays.equals(payload, that.payload);
    }

    @Override
    public int hashCode() {
        int result = Long.hashCode(srcChainId);
        result = 31 * result + srcGateway.hashCode();
        result = 31 * result + Long.hashCode(nonce);
        result = 31 * result + Long.hashCode(dstChainId);
        result = 31 * result + sender.hashCode();
        result = 31 * result + recipient.hashCode();
        return 31 * result + Arrays.hashCode(payload);
    }

    /** Fields and the payload size, not the payload itself (it may be large). */
    @Override
    public String toString() {
        return "CrossChainMessage[" + srcChainId + "->" + dstChainId + ", srcGateway=" + srcGateway + ", nonce=" + nonce
                + ", sender=" + sender + ", recipient=" + recipient + ", payload=" + payload.length + " bytes]";
    }
}
