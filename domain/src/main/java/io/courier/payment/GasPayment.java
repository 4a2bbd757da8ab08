package io.courier.payment;

import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One {@code GasPaid(id, amount)} log of a source gateway: {@code amount} wei paid for message {@code id}'s destination
 * gas, in {@code send} or a later {@code payForGas}. A payment is the log at ({@code txHash}, {@code logIndex}); the
 * block it was seen in may change with a reorg (the same transaction mined again), the payment does not.
 */
public record GasPayment(MessageId id, long srcChain, TxHash txHash, long logIndex, long blockNumber, BlockHash blockHash,
                         BigInteger amount) {

    public GasPayment {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(amount, "amount");
        if (logIndex < 0 || blockNumber < 0) {
            throw new IllegalArgumentException("payment of " + id + " in tx " + txHash + ": log index and block are never "
                    + "negative, got " + logIndex + " and " + blockNumber);
        }
        if (amount.signum() < 0) {
            throw new IllegalArgumentException("payment of " + id + " in tx " + txHash + ": negative amount " + amount);
        }
    }

    /** Where the payment is: one per (transaction, log index), whatever block it was seen in. */
    public String key() {
        return txHash.toHex() + "#" + logIndex;
    }

    /** The sum of {@code payments}, each (transaction, log index) counted once however often it was recorded. */
    public static BigInteger total(Collection<GasPayment> payments) {
        Map<String, BigInteger> once = new HashMap<>();
        for (GasPayment p : payments) {
            once.putIfAbsent(p.key(), p.amount());
        }
        return once.values().stream().reduce(BigInteger.ZERO, BigInteger::add);
    }
}
