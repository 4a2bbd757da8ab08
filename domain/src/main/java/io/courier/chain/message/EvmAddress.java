package io.courier.chain.message;

import java.util.Locale;
import org.web3j.crypto.Keys;

/**
 * Validation and the canonical form of 20-byte EVM addresses as plain strings: {@code 0x} + 40 lowercase hex
 * digits. Input may be all lowercase, all uppercase or EIP-55 mixed case; mixed case with a wrong checksum is
 * rejected, because it usually means a mistyped address.
 */
public final class EvmAddress {

    public static final int SIZE = 20;

    private EvmAddress() {}

    /**
     * Returns the lowercase form of {@code address}.
     *
     * @param what names the field in the error ("sender", "gateway of chain 1001", ...)
     */
    public static String normalize(String what, String address) {
        byte[] bytes = Hex.parse(what, address, SIZE);
        String lower = Hex.format(bytes);
        String digits = address.substring(2);
        boolean mixedCase = !digits.equals(digits.toLowerCase(Locale.ROOT)) && !digits.equals(digits.toUpperCase(Locale.ROOT));
        if (mixedCase && !Keys.toChecksumAddress(lower).equals(address)) {
            throw new IllegalArgumentException(what + " " + address + " has mixed case but a wrong EIP-55 checksum (expected "
                    + Keys.toChecksumAddress(lower) + ")");
        }
        return lower;
    }

    /** The 20 bytes of an address already in canonical form or any accepted form. */
    public static byte[] bytes(String what, String address) {
        return Hex.parse(what, normalize(what, address), SIZE);
    }
}
