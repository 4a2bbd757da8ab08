package io.courier.chain;

import java.util.Locale;

/** Hex strings as this module stores them: lower case with a {@code 0x} prefix, so equal values compare equal. */
final class Hex {

    private Hex() {}

    static String normalize(String hex) {
        String lower = hex.toLowerCase(Locale.ROOT);
        return lower.startsWith("0x") ? lower : "0x" + lower;
    }

    static boolean isHex(String value) {
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
}
