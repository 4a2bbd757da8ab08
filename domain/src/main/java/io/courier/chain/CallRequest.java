package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.Hex;
import java.math.BigInteger;
import java.util.Objects;
import java.util.Optional;

/**
 * A call to run without a transaction ({@code eth_call}) or to price ({@code eth_estimateGas}): the contract,
 * its calldata, the account it runs as (some contracts check {@code msg.sender}), the value sent, and the gas it may
 * use (empty: the node's default).
 */
public record CallRequest(Address to, String data, Optional<Address> from, BigInteger value, Optional<BigInteger> gas) {

    public CallRequest(Address to, String data, Optional<Address> from, BigInteger value) {
        this(to, data, from, value, Optional.empty());
    }

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
        Objects.requireNonNull(gas, "gas");
        if (gas.isPresent() && gas.get().signum() <= 0) {
            throw new IllegalArgumentException("call to " + to + ": gas must be > 0, was " + gas.get());
        }
    }

    /** A call to {@code to} with {@code data}, from no particular account, sending nothing. */
    public static CallRequest to(Address to, String data) {
        return new CallRequest(to, data, Optional.empty(), BigInteger.ZERO);
    }

    /** The same call run as {@code sender}. */
    public CallRequest from(Address sender) {
        return new CallRequest(to, data, Optional.of(sender), value, gas);
    }

    /** The same call run with at most {@code limit} gas, as a transaction with that gas limit would: a pre-flight of the limit. */
    public CallRequest withGas(BigInteger limit) {
        return new CallRequest(to, data, from, value, Optional.of(limit));
    }
}
