package io.courier.chain;

import java.math.BigInteger;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * Strict reader of ABI-encoded event data and topics: every word must be exactly what Solidity's encoder
 * writes (zero high bytes for narrow types, zero padding, the canonical offset), because a log that only
 * decodes leniently is not one our gateway emitted. Failures throw {@link IllegalArgumentException} with a
 * description of the offending part.
 */
final class LogData {

    static final int WORD = 32;
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private LogData(byte[] bytes) {
        this.bytes = bytes;
    }

    static LogData of(String hex) {
        return new LogData(parse("data", hex));
    }

    static byte[] parse(String what, String hex) {
        if (hex == null || !hex.startsWith("0x") || hex.length() % 2 != 0) {
            throw new IllegalArgumentException(what + " is not 0x-prefixed hex of whole bytes");
        }
        try {
            return HEX.parseHex(hex, 2, hex.length());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + " has a non-hex character");
        }
    }

    /** A 32-byte topic as a word. */
    static byte[] topicWord(String what, String topic) {
        byte[] word = parse(what, topic);
        if (word.length != WORD) {
            throw new IllegalArgumentException(what + " is " + word.length + " bytes, not 32");
        }
        return word;
    }

    int length() {
        return bytes.length;
    }

    byte[] word(int index) {
        int from = index * WORD;
        if (from + WORD > bytes.length) {
            throw new IllegalArgumentException("data has " + bytes.length + " bytes, word " + index + " is missing");
        }
        return Arrays.copyOfRange(bytes, from, from + WORD);
    }

    /** A uint of at most {@code bits} bits that also fits a non-negative {@code long}. */
    static long uint(String what, byte[] word, int bits) {
        requireZeroHighBytes(what, word, WORD - bits / 8);
        BigInteger value = new BigInteger(1, word);
        if (value.bitLength() > 63) {
            throw new IllegalArgumentException(what + " " + value + " exceeds the supported range (2^63 - 1)");
        }
        return value.longValueExact();
    }

    /** An address word: 12 zero bytes, then 20 address bytes; lower-case hex. */
    static String address(String what, byte[] word) {
        requireZeroHighBytes(what, word, WORD - 20);
        return "0x" + HEX.formatHex(word, WORD - 20, WORD);
    }

    /** {@code bytes} whose head word is {@code headIndex}; the encoding must end exactly after its padding. */
    byte[] dynamicBytesAt(String what, int headIndex, int headWords) {
        long offset = uint(what + " offset", word(headIndex), 64);
        if (offset != (long) headWords * WORD) {
            throw new IllegalArgumentException(what + " offset " + offset + " is not the canonical " + headWords * WORD);
        }
        long length = uint(what + " length", word(headWords), 64);
        long padded = (length + WORD - 1) / WORD * WORD;
        long expected = offset + WORD + padded;
        if (expected != bytes.length) {
            throw new IllegalArgumentException(what + " of " + length + " bytes needs data of " + expected
                    + " bytes, got " + bytes.length);
        }
        int start = (int) offset + WORD;
        for (int i = start + (int) length; i < bytes.length; i++) {
            if (bytes[i] != 0) {
                throw new IllegalArgumentException(what + " padding is not zero");
            }
        }
        return Arrays.copyOfRange(bytes, start, start + (int) length);
    }

    private static void requireZeroHighBytes(String what, byte[] word, int count) {
        for (int i = 0; i < count; i++) {
            if (word[i] != 0) {
                throw new IllegalArgumentException(what + " has non-zero high bytes: 0x" + HEX.formatHex(word));
            }
        }
    }
}
