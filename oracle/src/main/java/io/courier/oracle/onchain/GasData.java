package io.courier.oracle.onchain;

import io.courier.oracle.FeeMath;
import io.courier.oracle.QuoteResult.Quote;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.Objects;

/**
 * One destination's pricing inputs as {@code GasOracle.sol} stores them: destination gas price (wei), the
 * destination/source native-token price ratio and the margin, both fixed point with 18 decimals ({@link #WAD}), and the
 * overhead gas. {@code quoteFee} on chain is {@link #fee}: {@link FeeMath#fee} with the ratio as destination price and
 * {@code WAD} as source price.
 */
public record GasData(BigInteger gasPrice, BigInteger tokenRatio, long overheadGas, BigInteger margin) {

    /** The fixed-point scale of {@code tokenRatio} and {@code margin}: 18 decimals. */
    public static final BigInteger WAD = BigInteger.TEN.pow(18);
    /** {@code GasOracle.MAX_MARGIN}: 100 %. */
    public static final BigInteger MAX_MARGIN = WAD;
    // the contract's field widths (uint96, uint128, uint32): wider values cannot be encoded
    private static final int GAS_PRICE_BITS = 96;
    private static final int TOKEN_RATIO_BITS = 128;
    private static final long MAX_OVERHEAD_GAS = 0xFFFF_FFFFL;

    public GasData {
        Objects.requireNonNull(gasPrice, "gasPrice");
        Objects.requireNonNull(tokenRatio, "tokenRatio");
        Objects.requireNonNull(margin, "margin");
        if (gasPrice.signum() <= 0 || gasPrice.bitLength() > GAS_PRICE_BITS) {
            throw new IllegalArgumentException("gas price must be in [1, 2^96), was " + gasPrice);
        }
        if (tokenRatio.signum() <= 0 || tokenRatio.bitLength() > TOKEN_RATIO_BITS) {
            throw new IllegalArgumentException("token ratio must be in [1, 2^128) (× 1e18), was " + tokenRatio);
        }
        if (overheadGas <= 0 || overheadGas > MAX_OVERHEAD_GAS) {
            throw new IllegalArgumentException("overhead gas must be in [1, 2^32), was " + overheadGas);
        }
        if (margin.signum() < 0 || margin.compareTo(MAX_MARGIN) > 0) {
            throw new IllegalArgumentException("margin must be in [0, 1e18] (0 .. 100 %), was " + margin);
        }
    }

    /**
     * The target of a route from a quote's inputs: the quote's destination gas price, the token ratio rounded up (the
     * on-chain quote never undercharges the API's) and the route's overhead and margin.
     */
    public static GasData of(Quote quote) {
        return new GasData(quote.dstGasPrice().value(), ratio(quote.dstTokenPrice().value(), quote.srcTokenPrice().value()),
                quote.overheadGas(), wad(quote.margin()));
    }

    /** {@code ceil(dstTokenPrice × 1e18 / srcTokenPrice)}. */
    public static BigInteger ratio(BigInteger dstTokenPrice, BigInteger srcTokenPrice) {
        if (srcTokenPrice.signum() <= 0) {
            throw new IllegalArgumentException("source token price must be positive, was " + srcTokenPrice);
        }
        BigInteger[] qr = dstTokenPrice.multiply(WAD).divideAndRemainder(srcTokenPrice);
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }

    /** {@code margin × 1e18}, exactly: a margin finer than 18 decimals cannot be held on chain. */
    public static BigInteger wad(BigDecimal margin) {
        try {
            return margin.movePointRight(18).setScale(0, RoundingMode.UNNECESSARY).toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new IllegalArgumentException("margin " + margin.toPlainString() + " has more than 18 decimals", e);
        }
    }

    /** What {@code GasOracle.quoteFee(dst, gasLimit)} answers for these values. */
    public BigInteger fee(long gasLimit) {
        return FeeMath.fee(gasPrice, BigInteger.valueOf(overheadGas).add(BigInteger.valueOf(gasLimit)), tokenRatio, WAD,
                new BigDecimal(margin, 18));
    }

    public GasData withGasPrice(BigInteger value) {
        return new GasData(value, tokenRatio, overheadGas, margin);
    }

    public GasData withTokenRatio(BigInteger value) {
        return new GasData(gasPrice, value, overheadGas, margin);
    }

    public GasData withOverheadGas(long value) {
        return new GasData(gasPrice, tokenRatio, value, margin);
    }
}
