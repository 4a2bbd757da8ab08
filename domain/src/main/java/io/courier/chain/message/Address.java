package io.courier.chain.message;

import java.util.Objects;
import org.web3j.crypto.ECKeyPair;
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

    public static Address fromHex(String hex) {
        return new Address(hex);
    }

    /** The account a private key controls (the last 20 bytes of the keccak of its public key). */
    public static Address of(ECKeyPair key) {
        return new Address("0x" + Keys.getAddress(key));
    }

    /** {@code 0x} + 40 lowercase hex digits. */
    public String toHex() {
        return hex;
    }

    @Override
    public String toString() {
        return hex;
    }
}
