package io.courier.chain.message;

import java.util.Objects;
import org.web3j.crypto.Keys;

/**
 * A 20-byte EVM address, kept in canonical form ({@code 0x} + 40 lowercase digits) so equal addresses compare
 * equal whatever case they were written in. Parsing accepts lower, upper or EIP-55 mixed case, and refuses mixed
 * case with a wrong checksum (usually a mistyped address); see {@link EvmAddress}.
 */
public record Address(String hex) {

    public Address {
        Objects.requireNonNull(hex, "address");
        hex = EvmAddress.normalize("address", hex);
    }

    /** Parses an address; {@code what} names it in the error ("gateway of chain 1001", "sender", ...). */
    public static Address of(String what, String hex) {
        return new Address(EvmAddress.normalize(what, hex));
    }

    public static Address fromHex(String hex) {
        return new Address(hex);
    }

    public byte[] bytes() {
        return Hex.parse("address", hex, EvmAddress.SIZE);
    }

    /** {@code 0x} + 40 lowercase hex digits. */
    public String toHex() {
        return hex;
    }

    /** The EIP-55 mixed-case form, for people. */
    public String toChecksum() {
        return Keys.toChecksumAddress(hex);
    }

    @Override
    public String toString() {
        return hex;
    }
}
