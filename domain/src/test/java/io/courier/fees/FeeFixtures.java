package io.courier.fees;

import java.math.BigDecimal;
import java.math.BigInteger;

/** Small helpers: wei amounts and settings written out in full. */
final class FeeFixtures {

    static final BigInteger GWEI = BigInteger.TEN.pow(9);

    private FeeFixtures() {}

    static BigInteger wei(long wei) {
        return BigInteger.valueOf(wei);
    }

    static BigInteger gwei(long gwei) {
        return BigInteger.valueOf(gwei).multiply(GWEI);
    }

    /** Percentile 50, min tip {@code minTip}, caps as given, projected over {@code blocks}, bump after 3 blocks by 12.5%, 5 bumps. */
    static FeeSettings settings(BigInteger minTip, int blocks, BigInteger maxFee, BigInteger maxTip, FeeMode mode) {
        return new FeeSettings(10, 50, minTip, blocks, maxFee, maxTip, 3, new BigDecimal("12.5"), 5, mode);
    }

    static FeeSettings withBumps(FeeSettings s, int maxBumps) {
        return new FeeSettings(s.historyBlocks(), s.rewardPercentile(), s.minPriorityFeePerGas(), s.blocksToInclusion(), s.maxFeePerGas(),
                s.maxPriorityFeePerGas(), s.bumpAfterBlocks(), s.minRaisePercent(), maxBumps, s.mode());
    }
}
