package io.courier.chain.message;

import java.util.Objects;

/**
 * The id of a cross-chain message: {@code keccak256(abi.encode(srcChainId, srcGateway, nonce, dstChainId, sender,
 * recipient, keccak256(payload)))}, as {@code Gateway.sol} computes it (see {@link CrossChainMessage#id()}).
 * A separate type from other 32-byte values so a digest cannot be passed where an id is expected.
 */
public record MessageId(Bytes32 value) {

    public MessageId {
        Objects.requireNonNull(value, "message id value");
    }

    /** Parses {@code 0x} + 64 hex digits; errors name the message id. */
    public static MessageId fromHex(String hex) {
        return new MessageId(Bytes32.fromHex("message id", hex));
    }

    public static MessageId of(byte[] bytes) {
        return new MessageId(Bytes32.of(bytes));
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
