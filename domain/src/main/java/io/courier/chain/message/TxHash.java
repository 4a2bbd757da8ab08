package io.courier.chain.message;

import java.util.Objects;

/**
 * The hash of a transaction (keccak-256 of its signed encoding). A type of its own so that a block hash, a transaction hash and a message id
 * cannot be passed for one another; hex form {@code 0x} + 64 lowercase digits.
 */
public record TxHash(Bytes32 value) {

    public TxHash {
        Objects.requireNonNull(value, "transaction hash");
    }

    /** Parses {@code 0x} + 64 hex digits (either case); errors name the transaction hash. */
    public static TxHash fromHex(String hex) {
        return new TxHash(Bytes32.fromHex("transaction hash", hex));
    }

    public static TxHash of(byte[] bytes) {
        return new TxHash(Bytes32.of(bytes));
    }

    public String toHex() {
        return value.toHex();
    }

    @Override
    public String toString() {
        return value.toHex();
    }
}
