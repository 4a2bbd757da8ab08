package io.courier.bench;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.MathContext;
import java.util.List;
import java.util.Objects;

/**
 * The bench's overpay (issue 10, part 4): what a transaction paid per gas (its receipt's {@code effectiveGasPrice})
 * over the least an honest price needs at inclusion (the inclusion block's base fee + the configured minimum tip).
 * 1.0 is the floor a transaction that tips exactly the minimum pays; a static gas price pays its whole excess. Pure.
 */
final class Overpay {

    private Overpay() {}

    /**
     * @throws IllegalArgumentException when the least honest price is not positive, or the paid price is negative
     */
    static BigDecimal of(BigInteger paidPerGas, BigInteger baseFee, BigInteger minTip) {
        Objects.requireNonNull(paidPerGas, "paidPerGas");
        BigInteger least = baseFee.add(minTip);
        if (least.signum() <= 0) {
            throw new IllegalArgumentException("overpay needs a positive base fee + minimum tip, was " + least);
        }
        if (paidPerGas.signum() < 0) {
            throw new IllegalArgumentException("paid per gas must not be negative, was " + paidPerGas);
        }
        return new BigDecimal(paidPerGas).divide(new BigDecimal(least), MathContext.DECIMAL64);
    }

    /** The arithmetic mean of the overpays of several transactions (each counts once, whatever its gas). */
    static BigDecimal mean(List<BigDecimal> overpays) {
        if (overpays.isEmpty()) {
            throw new IllegalArgumentException("no transactions to average");
        }
        return overpays.stream().reduce(BigDecimal.ZERO, BigDecimal::add)
                .divide(BigDecimal.valueOf(overpays.size()), MathContext.DECIMAL64);
    }
}
