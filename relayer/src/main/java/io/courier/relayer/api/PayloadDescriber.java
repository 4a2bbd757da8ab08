package io.courier.relayer.api;

import io.courier.chain.message.CrossChainMessage;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Reads what a user wants to know out of an application payload. The gateway carries opaque bytes; an
 * application (such as the token bridge) knows its own encoding. The {@link #NONE} describer knows none and
 * reports no amount. Implementations must be pure and fast, and must not throw on foreign payloads: they answer
 * empty for any payload they do not recognise.
 */
@FunctionalInterface
public interface PayloadDescriber {

    /** Describes no payload. */
    PayloadDescriber NONE = message -> Optional.empty();

    /** The amount moved, in the token's base units, when {@code message} is a token transfer this describer knows. */
    Optional<BigInteger> amount(CrossChainMessage message);
}
