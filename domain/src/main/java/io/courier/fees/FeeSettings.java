package io.courier.fees;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;

/**
 * How one chain's transactions are priced and re-priced, in wei per gas. Pure; validated here so that a setting that
 * can never work (a replacement raise nodes refuse, a minimum tip above the tip cap) fails at start, naming itself.
 *
 * @param historyBlocks         blocks of {@code eth_feeHistory} the market is read from
 * @param rewardPercentile      the percentile of each block's priority fees asked for; the tip is their median
 * @param minPriorityFeePerGas  the tip is never below this
 * @param blocksToInclusion     blocks the next base fee is projected over (×1.125 each, the EIP-1559 maximum rise) to
 *                              give the max fee its headroom; the headroom is a bound, not a payment
 * @param maxFeePerGas          this chain's cap on the max fee (legacy: on the gas price)
 * @param maxPriorityFeePerGas  this chain's cap on the tip
 * @param bumpAfterBlocks       blocks a transaction may wait unmined before it is replaced
 * @param minRaisePercent       each replacement raises both fee fields by at least this (nodes refuse under 10)
 * @param maxBumps              replacements of one transaction at the most; then it is left alone
 * @param mode                  detect legacy chains, or force a pricing
 */
public record FeeSettings(
        int historyBlocks,
        double rewardPercentile,
        BigInteger minPriorityFeePerGas,
        int blocksToInclusion,
        BigInteger maxFeePerGas,
        BigInteger maxPriorityFeePerGas,
        int bumpAfterBlocks,
        BigDecimal minRaisePercent,
        int maxBumps,
        FeeMode mode) {

    public static final int DEFAULT_HISTORY_BLOCKS = 10;
    public static final double DEFAULT_REWARD_PERCENTILE = 50;
    /** 0.001 gwei: the floor the submitter used before per-chain settings. */
    public static final BigInteger DEFAULT_MIN_PRIORITY_FEE = BigInteger.valueOf(1_000_000L);
    public static final int DEFAULT_BLOCKS_TO_INCLUSION = 3;
    public static final int DEFAULT_BUMP_AFTER_BLOCKS = 3;
    /** 12.5%: geth and most nodes refuse a replacement that raises either field by less than 10%; the margin absorbs rounding. */
    public static final BigDecimal DEFAULT_MIN_RAISE_PERCENT = new BigDecimal("12.5");
    /** Five raises of 12.5% are 1.8× the first price: enough to follow a rising market, too few to drain a wallet. */
    public static final int DEFAULT_MAX_BUMPS = 5;

    /** Below this a replacement is refused by geth's default pool ({@code --txpool.pricebump 10}). */
    static final BigDecimal NODE_MIN_RAISE_PERCENT = BigDecimal.TEN;
    /** {@code eth_feeHistory} answers at most 1024 blocks. */
    static final int MAX_HISTORY_BLOCKS = 1024;
    /** 1.125^64 ≈ 1,900×: beyond that the projection is no bound at all. */
    static final int MAX_BLOCKS_TO_INCLUSION = 64;

    public FeeSettings {
        Objects.requireNonNull(minPriorityFeePerGas, "minPriorityFeePerGas");
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        Objects.requireNonNull(minRaisePercent, "minRaisePercent");
        Objects.requireNonNull(mode, "mode");
        if (historyBlocks < 1 || historyBlocks > MAX_HISTORY_BLOCKS) {
            throw invalid("historyBlocks", historyBlocks, "must be in [1, " + MAX_HISTORY_BLOCKS + "]");
        }
        if (!(rewardPercentile >= 0 && rewardPercentile <= 100)) { // NaN too
            throw invalid("rewardPercentile", rewardPercentile, "must be in [0, 100]");
        }
        if (minPriorityFeePerGas.signum() < 0) {
            throw invalid("minPriorityFeePerGas", minPriorityFeePerGas, "must not be negative");
        }
        if (blocksToInclusion < 0 || blocksToInclusion > MAX_BLOCKS_TO_INCLUSION) {
            throw invalid("blocksToInclusion", blocksToInclusion, "must be in [0, " + MAX_BLOCKS_TO_INCLUSION + "]");
        }
        if (maxFeePerGas.signum() <= 0) {
            throw invalid("maxFeePerGas", maxFeePerGas, "must be positive");
        }
        if (maxPriorityFeePerGas.signum() < 0 || maxPriorityFeePerGas.compareTo(maxFeePerGas) > 0) {
            throw invalid("maxPriorityFeePerGas", maxPriorityFeePerGas, "must be in [0, maxFeePerGas " + maxFeePerGas + "]");
        }
        // a tip that must be at least X and at most Y < X can never be chosen
        if (minPriorityFeePerGas.compareTo(maxPriorityFeePerGas) > 0) {
            throw invalid("minPriorityFeePerGas", minPriorityFeePerGas, "must not exceed maxPriorityFeePerGas " + maxPriorityFeePerGas);
        }
        if (bumpAfterBlocks < 1) {
            throw invalid("bumpAfterBlocks", bumpAfterBlocks, "must be at least 1");
        }
        if (minRaisePercent.compareTo(NODE_MIN_RAISE_PERCENT) < 0 || minRaisePercent.compareTo(BigDecimal.valueOf(1000)) > 0) {
            throw invalid("minRaisePercent", minRaisePercent.toPlainString(),
                    "must be in [10, 1000] (nodes refuse a replacement raised by less than 10%)");
        }
        if (maxBumps < 0) {
            throw invalid("maxBumps", maxBumps, "must not be negative");
        }
    }

    /** The defaults above with this chain's caps, detecting the fee mode. */
    public static FeeSettings defaults(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
        return new FeeSettings(DEFAULT_HISTORY_BLOCKS, DEFAULT_REWARD_PERCENTILE, DEFAULT_MIN_PRIORITY_FEE.min(maxPriorityFeePerGas),
                DEFAULT_BLOCKS_TO_INCLUSION, maxFeePerGas, maxPriorityFeePerGas, DEFAULT_BUMP_AFTER_BLOCKS,
                DEFAULT_MIN_RAISE_PERCENT, DEFAULT_MAX_BUMPS, FeeMode.AUTO);
    }

    public FeeSettings withMode(FeeMode newMode) {
        return new FeeSettings(historyBlocks, rewardPercentile, minPriorityFeePerGas, blocksToInclusion, maxFeePerGas,
                maxPriorityFeePerGas, bumpAfterBlocks, minRaisePercent, maxBumps, newMode);
    }

    /** The percentiles to ask {@code eth_feeHistory} for: {@link FeeMarket#of} reads the first. */
    public List<Double> percentiles() {
        return List.of(rewardPercentile);
    }

    private static IllegalArgumentException invalid(String field, Object value, String rule) {
        return new IllegalArgumentException("fee settings: " + field + " " + value + " " + rule);
    }
}
