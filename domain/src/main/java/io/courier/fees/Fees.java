package io.courier.fees;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.Objects;

/** The fees one transaction is signed with, in wei per gas. Pure. */
public sealed interface Fees permits Fees.Eip1559Fees, Fees.LegacyFees {

    record Eip1559Fees(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) implements Fees {
        public Eip1559Fees {
            Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
            Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
            if (maxPriorityFeePerGas.signum() < 0 || maxFeePerGas.compareTo(maxPriorityFeePerGas) < 0) {
                throw new IllegalArgumentException(
                        "max fee per gas " + maxFeePerGas + " below max priority fee per gas " + maxPriorityFeePerGas + " (or negative)");
            }
        }

        @Override
        public BigInteger maxFee() {
            return maxFeePerGas;
        }

        @Override
        public BigInteger maxTip() {
            return maxPriorityFeePerGas;
        }
    }

    record LegacyFees(BigInteger gasPrice) implements Fees {
        public LegacyFees {
            Objects.requireNonNull(gasPrice, "gasPrice");
            if (gasPrice.signum() < 0) {
                throw new IllegalArgumentException("gas price must not be negative, was " + gasPrice);
            }
        }

        @Override
        public BigInteger maxFee() {
            return gasPrice;
        }

        @Override
        public BigInteger maxTip() {
            return gasPrice;
        }
    }

    /** The most a gas unit may cost, as nodes compare replacements (a legacy gas price is both this and {@link #maxTip}). */
    BigInteger maxFee();

    /** The most a validator may get per gas above the base fee. */
    BigInteger maxTip();

    /** Whether a block with this base fee can include the transaction. */
    default boolean includableAt(BigInteger baseFee) {
        return maxFee().compareTo(baseFee) >= 0;
    }

    /** What the validator gets per gas in a block with this base fee: negative when the block cannot include it. */
    default BigInteger tipAt(BigInteger baseFee) {
        return maxTip().min(maxFee().subtract(baseFee));
    }

    /**
     * What the transaction pays per gas in a block with this base fee: the base fee plus its tip (a legacy transaction
     * pays its whole gas price).
     *
     * @throws IllegalArgumentException when such a block cannot include it
     */
    default BigInteger paidPerGas(BigInteger baseFee) {
        if (!includableAt(baseFee)) {
            throw new IllegalArgumentException("fees " + this + " cannot be included at base fee " + baseFee);
        }
        return baseFee.add(tipAt(baseFee));
    }

    /**
     * How much more than the least honest price the transaction pays: paid per gas / (base fee + minimum tip), the
     * bench's "overpay".
     */
    default BigDecimal overpay(BigInteger baseFee, BigInteger minTip) {
        BigInteger least = baseFee.add(minTip);
        if (least.signum() <= 0) {
            throw new IllegalArgumentException("overpay needs a positive base fee + minimum tip, was " + least);
        }
        return new BigDecimal(paidPerGas(baseFee)).divide(new BigDecimal(least), MathContext.DECIMAL64);
    }
}
