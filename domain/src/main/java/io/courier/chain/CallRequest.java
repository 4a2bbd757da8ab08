package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.Hex;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A call to run without a transaction ({@code eth_call}) or to price ({@code eth_estimateGas}): the contract,
 * its calldata, the account it runs as (some contracts check {@code msg.sender}) and the value sent.
 */
public record CallRequest(Address to, String data, Optional<Address> from, BigInteger value) {

    public CallRequest {
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(data, "data");
        if (!Hex.isHex(data)) {
            throw new IllegalArgumentException("calldata to " + to + " is not 0x-prefixed hex: " + Hex.abbreviate(data));
        }
        data = Hex.normalize(data);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(value, "value");
        if (value.signum() < 0) {
            throw new IllegalArgumentException("call to " + to + ": value must be >= 0, was " + value);
        }
    }

    /** A call to {@code to} with {@code data}, from no particular account, sending nothing. */
    public static CallRequest to(Address to, String data) {
        return new CallRequest(to, data, Optional.empty(), BigInteger.ZERO);
    }

    /** The same call run as {@code sender}. */
    public CallRequest from(Address sender) {
        return new CallRequest(to, data, Optional.of(sender), value);
    }
}
