package io.courier.chain.message;

import java.util.Arrays;

/** An immutable 32-byte value (a keccak-256 hash, an EIP-712 digest); hex form {@code 0x} + 64 lowercase digits. */
public final class Bytes32 {

    public static final int SIZE = 32;

    private final byte[] bytes;

    private Bytes32(byte[] bytes) {
        this.bytes = bytes;
    }

    /** Copies exactly 32 bytes. */
    public static Bytes32 of(byte[] bytes) {
        if (bytes == null || bytes.length != SIZE) {
            throw new IllegalArgumentException("a bytes32 needs exactly 32 bytes, got "
                    + (bytes == null ? "null" : bytes.length));
        }
        return new Bytes32(bytes.clone());
    }

    /** Parses {@code 0x} followed by exactly 64 hex digits (either case). */
    public static Bytes32 fromHex(String hex) {
        return new Bytes32(Hex.parse("bytes32", hex, SIZE));
    }

    static Bytes32 fromHex(String what, String hex) {
        return new Bytes32(Hex.parse(what, hex, SIZE));
    }

    /** A copy of the 32 bytes. */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** {@code 0x} + 64 lowercase hex digits. */
    public String toHex() {
        return Hex.format(bytes);
    }

    /** Appends the bytes to an ABI encoding buffer without copying them first. */
    void writeTo(byte[] target, int offset) {
        System.arraycopy(bytes, 0, target, offset, SIZE);
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Bytes32 that && Arrays.equals(bytes, that.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toHex();
    }
}
