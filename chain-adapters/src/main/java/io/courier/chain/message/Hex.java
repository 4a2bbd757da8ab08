package io.courier.chain.message;

import java.util.HexFormat;

/** Strict hex for fixed-size values: {@code 0x} prefix, exact length, hex digits only; output lowercase. */
final class Hex {

    private static final HexFormat LOWER = HexFormat.of();

    private Hex() {}

    /**
     * Parses {@code 0x} followed by exactly {@code 2 * size} hex digits (either case).
     *
     * @param what names the value in the error message ("message id", "signature", ...)
     */
    static byte[] parse(String what, String hex, int size) {
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
        for (int i = 2; i < hex.length(); i++) {
            if (Character.digit(hex.charAt(i), 16) < 0) {
                throw new IllegalArgumentException(what + " has a non-hex character '" + hex.charAt(i)
                        + "' at position " + i + ": " + abbreviate(hex));
            }
        }
        return LOWER.parseHex(hex, 2, hex.length());
    }

    static String format(byte[] bytes) {
        return "0x" + LOWER.formatHex(bytes);
    }

    /** Keeps error messages short when someone passes a whole calldata blob. */
    static String abbreviate(String text) {
        return text.length() <= 80 ? text : text.substring(0, 77) + "...";
    }
}
