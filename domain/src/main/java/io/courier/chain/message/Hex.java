package io.courier.chain.message;

import java.util.HexFormat;
import java.util.Locale;

/**
 * Courier's one hex codec (JDK {@link HexFormat} underneath). Every hex string Courier keeps is {@code 0x} +
 * lower-case digits, so a value stored in Cassandra and the same value parsed from RPC compare equal.
 */
public final class Hex {

    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {}

    /**
     * Parses {@code 0x} followed by exactly {@code 2 * size} hex digits (either case).
     *
     * @param what names the value in the error message ("message id", "signature", ...)
     */
    public static byte[] parse(String what, String hex, int size) {
        if (hex == null) {
            throw new IllegalArgumentException(what + " is null");
        }
        if (!hex.startsWith("0x")) {
            throw new IllegalArgumentException(what + " must start with 0x: " + abbreviate(hex));
        }
        int digits = hex.length() - 2;
        if (digits != 2 * size) {
            throw new IllegalArgumentException(what + " must be 0x followed by " + 2 * size + " hex digits ("
                    + size + " bytes), got " + digits + " digits: " + abbreviate(hex));
        }
        requireDigits(what, hex);
        return LOWER.parseHex(hex, 2, hex.length());
    }

    /** {@code 0x} + lower-case hex of {@code bytes}. */
    public static String format(byte[] bytes) {
        return "0x" + LOWER.formatHex(bytes);
    }

    /**
     * Exactly {@code bytes} bytes of hex, normalised to {@code 0x} + lower case; a missing or upper-case prefix is
     * accepted (configuration and hand-typed values), anything else fails naming {@code what}.
     */
    public static String fixed(String what, String value, int bytes) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String v = value.startsWith("0x") || value.startsWith("0X") ? "0x" + value.substring(2) : "0x" + value;
        v = v.toLowerCase(Locale.ROOT);
        if (v.length() != 2 + 2 * bytes || !isHex(v)) {
            throw new IllegalArgumentException(what + " must be " + bytes + " bytes of hex (0x + " + 2 * bytes
                    + " digits), got '" + abbreviate(value) + "'");
        }
        return v;
    }

    /** A 32-byte hash (transaction or block), normalised; {@code what} names the field in the error. */
    public static String hash(String what, String value) {
        return fixed(what, value, 32);
    }

    /**
     * Lower case with a {@code 0x} prefix, without checking length or digits: for values a node returned that are
     * decoded (and checked) later, such as log data.
     */
    public static String normalize(String hex) {
        String lower = hex.toLowerCase(Locale.ROOT);
        return lower.startsWith("0x") ? lower : "0x" + lower;
    }

    /** Whether {@code value} is {@code 0x} followed by hex digits only (any count, either case). */
    public static boolean isHex(String value) {
        if (value == null || !value.startsWith("0x")) {
            return false;
        }
        for (int i = 2; i < value.length(); i++) {
            if (Character.digit(value.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    /** Keeps error messages short when someone passes a whole calldata blob. */
    public static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }

    private static void requireDigits(String what, String hex) {
        for (int i = 2; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(what + " has a non-hex character '" + hex.charAt(i)
                        + "' at position " + i + ": " + abbreviate(hex));
            }
        }
    }
}
