package io.courier.chain.message;

/** The little of {@code abi.encode} the message and digest preimages need: static 32-byte words. */
final class Abi {

    static final int WORD = 32;

    private Abi() {}

    /** Writes a non-negative {@code long} as a right-aligned uint256 into word {@code index}. */
    static void putUint(byte[] target, int index, long value) {
        if (value < 0) {
            throw new IllegalArgumentException("uint value must be >= 0, was " + value);
        }
        int end = (index + 1) * WORD;
        for (int i = 1; i <= Long.BYTES; i++) {
            target[end - i] = (byte) (value >>> (8 * (i - 1)));
        }
    }

    /** Writes an address (any accepted form) right-aligned into word {@code index}. */
    static void putAddress(byte[] target, int index, String address) {
        byte[] bytes = EvmAddress.bytes("address", address);
        System.arraycopy(bytes, 0, target, (index + 1) * WORD - bytes.length, bytes.length);
    }

    static void putBytes32(byte[] target, int index, Bytes32 value) {
        value.writeTo(target, index * WORD);
    }
}
