package io.courier.payment;

import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import java.math.BigInteger;
import java.util.Optional;

/**
 * Reads {@code GasPaid(bytes32 indexed id, uint256 amount)} logs of a gateway. Strict like the {@code MessageSent}
 * decoder: a log of another emitter, with the wrong topics, or whose data is not exactly one word is no payment (a
 * hostile endpoint cannot make a malformed log count), and the caller counts it as rejected.
 */
public final class GasPaidDecoder {

    private GasPaidDecoder() {}

    /** The payment {@code entry} announces, if it is a well-formed {@code GasPaid} of {@code gateway}. */
    public static Optional<GasPayment> decode(ChainLog entry, Address gateway, long srcChain) {
        if (!entry.address().equals(gateway) || entry.removed() || entry.topics().size() != 2
                || !entry.topics().get(0).equals(GatewayEvents.GAS_PAID_TOPIC) || entry.logIndex() < 0
                || entry.blockNumber() < 0) {
            return Optional.empty();
        }
        String id = entry.topics().get(1);
        String data = entry.data();
        if (id.length() != 66 || data.length() != 66) {
            return Optional.empty();
        }
        try {
            BigInteger amount = new BigInteger(data.substring(2), 16);
            return Optional.of(new GasPayment(MessageId.fromHex(id), srcChain, entry.txHash(), entry.logIndex(),
                    entry.blockNumber(), entry.blockHash(), amount));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
