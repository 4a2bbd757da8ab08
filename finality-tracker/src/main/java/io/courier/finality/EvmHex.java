package io.courier.finality;

import io.courier.chain.message.EvmAddress;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Checks and normalises the hex strings the domain records carry (hashes, addresses, signatures), so a value
 * stored in Cassandra and a value parsed from RPC compare equal: always {@code 0x} + lowercase hex.
 */
public final class EvmHex {

    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]*");

    private EvmHex() {}

    /** A 32-byte hash (transaction or block), normalised; {@code what} names the field in the error. */
    public static String hash(String what, String value) {
        return fixed(what, value, 32);
    }

    /** A 20-byte address in canonical lowercase form; mixed case must carry a valid EIP-55 checksum. */
    public static String address(String what, String value) {
        return EvmAddress.normalize(what, value);
    }

    /** Exactly {@code bytes} bytes of hex, normalised. */
    public static String fixed(String what, String value, int bytes) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        String v = value.startsWith("0X") ? "0x" + value.substring(2) : value;
        v = v.toLowerCase(Locale.ROOT);
        if (!v.startsWith("0x")) {
            v = "0x" + v;
        }
        if (!HEX.matcher(v).matches() || v.length() != 2 + 2 * bytes) {
            throw new IllegalArgumentException(what + " must be " + bytes + " bytes of hex (0x + " + 2 * bytes
                    + " digits), got '" + value + "'");
        }
        return v;
    }
}
