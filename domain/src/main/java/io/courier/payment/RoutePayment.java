package io.courier.payment;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One route's payment rule: its {@code mode} and, for {@link PaymentMode#REQUIRED}, the {@code tolerance} (a ratio in
 * [0, 1)) by which a payment may fall short of the quote and still be delivered: quotes move between the dApp's quote and
 * finality, and a dApp paying exactly what it was quoted should not be held for a few wei of gas-price drift.
 */
public record RoutePayment(PaymentMode mode, BigDecimal tolerance) {

    public RoutePayment {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(tolerance, "tolerance");
        if (tolerance.signum() < 0 || tolerance.compareTo(BigDecimal.ONE) >= 0) {
            throw new IllegalArgumentException("tolerance must be in [0, 1), got " + tolerance.toPlainString());
        }
    }

    public static RoutePayment required(BigDecimal tolerance) {
        return new RoutePayment(PaymentMode.REQUIRED, tolerance);
    }

    public static RoutePayment sponsored() {
        return new RoutePayment(PaymentMode.SPONSORED, BigDecimal.ZERO);
    }

    /**
     * The least payment that delivers a message quoted {@code quote} wei: quote × (1 − tolerance), rounded up, so the
     * tolerance never lets through a wei more than it says.
     */
    public BigInteger threshold(BigInteger quote) {
        if (quote.signum() < 0) {
            throw new IllegalArgumentException("a quote is never negative, got " + quote);
        }
        return new BigDecimal(quote).multiply(BigDecimal.ONE.subtract(tolerance)).setScale(0, RoundingMode.CEILING)
                .toBigIntegerExact();
    }
}
