package io.courier.relayer.submit;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Prices a destination transaction from {@code eth_feeHistory}: the priority fee is the median of the recent
 * blocks' rewards at the configured percentile (never below the floor), and the max fee leaves room for the
 * base fee to rise: {@code multiplier x next base fee + priority fee}, capped. Pure: no I/O.
 */
public final class Eip1559FeePolicy {

    private static final BigDecimal GWEI = BigDecimal.TEN.pow(9);

    private final BigInteger minPriorityFee;
    private final BigDecimal baseFeeMultiplier;
    private final BigInteger maxFeeCap;

    public Eip1559FeePolicy(BigDecimal minPriorityFeeGwei, BigDecimal baseFeeMultiplier, BigDecimal maxFeePerGasGwei) {
        this.minPriorityFee = gwei(minPriorityFeeGwei);
        this.baseFeeMultiplier = baseFeeMultiplier;
        this.maxFeeCap = gwei(maxFeePerGasGwei);
        if (baseFeeMultiplier.compareTo(BigDecimal.ONE) < 0) {
            throw new IllegalArgumentException("base fee multiplier must be >= 1, was " + baseFeeMultiplier);
        }
    }

    static BigInteger gwei(BigDecimal gwei) {
        return gwei.multiply(GWEI).setScale(0, RoundingMode.CEILING).toBigIntegerExact();
    }

    /**
     * @param baseFees base fee per gas of the recent blocks, the last entry being the next block's (as
     *                 {@code eth_feeHistory} returns it); must not be empty
     * @param rewards  the reward at the chosen percentile of each recent block (may be empty)
     * @return the quote, or empty when even the cap cannot cover the next base fee (wait, do not send)
     */
    public Optional<FeeQuote> quote(List<BigInteger> baseFees, List<BigInteger> rewards) {
        if (baseFees.isEmpty()) {
            throw new IllegalArgumentException("fee history has no base fee");
        }
        BigInteger nextBase = baseFees.get(baseFees.size() - 1);
        BigInteger priority = median(rewards).max(minPriorityFee);
        BigInteger maxFee = new BigDecimal(nextBase).multiply(baseFeeMultiplier)
                .setScale(0, RoundingMode.CEILING).toBigIntegerExact().add(priority);
        if (maxFee.compareTo(maxFeeCap) > 0) {
            if (nextBase.add(priority).compareTo(maxFeeCap) > 0) {
                return Optional.empty();
            }
            maxFee = maxFeeCap;
        }
        return Optional.of(new FeeQuote(maxFee, priority));
    }

    private static BigInteger median(List<BigInteger> values) {
        if (values.isEmpty()) {
            return BigInteger.ZERO;
        }
        List<BigInteger> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }
}
