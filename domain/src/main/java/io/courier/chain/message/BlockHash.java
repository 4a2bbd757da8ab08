package io.courier.chain.message;

import java.util.Objects;

/**
 * The hash of a block header. A type of its own so that a block hash, a transaction hash and a message id
 * cannot be passed for one another; hex form {@code 0x} + 64 lowercase digits.
 */
public record BlockHash(Bytes32 value) {

    public BlockHash {
        Objects.requireNonNull(value, "block hash");
    }

    /** Parses {@code 0x} + 64 hex digits (either case); errors name the block hash. */
    public static BlockHash fromHex(String hex) {
        return new BlockHash(Bytes32.fromHex("block hash", hex));
    }

    public static BlockHash of(byte[] bytes) {
        return new BlockHash(Bytes32.of(bytes));
    }

    public String toHex() {
        return value.toHex();
    }

    @Override
    public String toString() {
        return value.toHex();
    }
}
