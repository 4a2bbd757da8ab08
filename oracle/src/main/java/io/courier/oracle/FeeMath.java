package io.courier.oracle;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * The price of delivering one message, in wei of the source chain's native token:
 * <pre>
 * fee = dstGasPrice × gas × dstTokenPrice ÷ srcTokenPrice × (1 + margin), rounded up
 * </pre>
 * Both token prices are in the same unit (USD × 10^8), and both native tokens have 18 decimals (every EVM chain's
 * does), so the ratio converts destination wei into source wei directly. Computed exactly (one division, at the
 * end), so rounding happens once and only upwards: a quote never undercharges by a wei.
 */
public final class FeeMath {

    private FeeMath() {}

    public static BigInteger fee(BigInteger dstGasPrice, BigInteger gas, BigInteger dstTokenPrice, BigInteger srcTokenPrice,
                                 BigDecimal margin) {
        Objects.requireNonNull(dstGasPrice, "dstGasPrice");
        Objects.requireNonNull(gas, "gas");
        Objects.requireNonNull(dstTokenPrice, "dstTokenPrice");
        Objects.requireNonNull(srcTokenPrice, "srcTokenPrice");
        Objects.requireNonNull(margin, "margin");
        if (dstGasPrice.signum() < 0 || gas.signum() < 0 || dstTokenPrice.signum() < 0) {
            throw new IllegalArgumentException("fee inputs must not be negative: gas price " + dstGasPrice + ", gas " + gas
                    + ", destination token price " + dstTokenPrice);
        }
        if (srcTokenPrice.signum() <= 0) {
            throw new IllegalArgumentException("source token price must be positive, was " + srcTokenPrice);
        }
        if (margin.signum() < 0) {
            throw new IllegalArgumentException("margin must not be negative, was " + margin);
        }
        BigDecimal numerator = new BigDecimal(dstGasPrice.multiply(gas).multiply(dstTokenPrice))
                .multiply(BigDecimal.ONE.add(margin));
        return numerator.divide(new BigDecimal(srcTokenPrice), 0, RoundingMode.CEILING).toBigIntegerExact();
    }
}
