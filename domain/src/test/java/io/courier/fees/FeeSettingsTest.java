package io.courier.fees;

import static io.courier.fees.FeeFixtures.gwei;
import static io.courier.fees.FeeFixtures.wei;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class FeeSettingsTest {

    private static FeeSettings with(int history, double percentile, BigInteger minTip, int blocks, BigInteger maxFee, BigInteger maxTip,
            int bumpAfter, String raise, int maxBumps) {
        return new FeeSettings(history, percentile, minTip, blocks, maxFee, maxTip, bumpAfter, new BigDecimal(raise), maxBumps, FeeMode.AUTO);
    }

    @Test
    void defaultsDetectTheModeAndRaiseByTwelveAndAHalfPercent() {
        FeeSettings s = FeeSettings.defaults(gwei(500), gwei(10));
        assertThat(s.mode()).isEqualTo(FeeMode.AUTO);
        assertThat(s.minRaisePercent()).isEqualByComparingTo("12.5");
        assertThat(s.minPriorityFeePerGas()).isEqualTo(wei(1_000_000));
        assertThat(s.maxFeePerGas()).isEqualTo(gwei(500));
        assertThat(s.percentiles()).containsExactly(50.0);
        assertThat(s.withMode(FeeMode.LEGACY)).isEqualTo(new FeeSettings(s.historyBlocks(), s.rewardPercentile(), s.minPriorityFeePerGas(),
                s.blocksToInclusion(), s.maxFeePerGas(), s.maxPriorityFeePerGas(), s.bumpAfterBlocks(), s.minRaisePercent(), s.maxBumps(),
                FeeMode.LEGACY));
        // a tip cap under the default minimum tip lowers the minimum rather than making the defaults invalid
        assertThat(FeeSettings.defaults(gwei(1), wei(5)).minPriorityFeePerGas()).isEqualTo(wei(5));
    }

    @Test
    void modesParseFromConfiguration() {
        assertThat(FeeMode.parse("auto")).isEqualTo(FeeMode.AUTO);
        assertThat(FeeMode.parse(" EIP1559 ")).isEqualTo(FeeMode.EIP1559);
        assertThat(FeeMode.parse("legacy")).isEqualTo(FeeMode.LEGACY);
        assertThat(FeeMode.LEGACY.configValue()).isEqualTo("legacy");
        assertThatThrownBy(() -> FeeMode.parse("london")).hasMessageContaining("auto, eip1559 or legacy, was london");
        assertThatThrownBy(() -> FeeMode.parse(null)).hasMessageContaining("was null");
    }

    @Test
    void eachInvalidSettingIsNamedWithItsValue() {
        BigInteger one = gwei(1);
        assertThatThrownBy(() -> with(0, 50, one, 3, gwei(9), one, 3, "12.5", 5)).hasMessage("fee settings: historyBlocks 0 must be in [1, 1024]");
        assertThatThrownBy(() -> with(1025, 50, one, 3, gwei(9), one, 3, "12.5", 5)).hasMessageContaining("historyBlocks 1025");
        assertThatThrownBy(() -> with(10, 100.5, one, 3, gwei(9), one, 3, "12.5", 5)).hasMessageContaining("rewardPercentile 100.5");
        assertThatThrownBy(() -> with(10, Double.NaN, one, 3, gwei(9), one, 3, "12.5", 5)).hasMessageContaining("rewardPercentile NaN");
        assertThatThrownBy(() -> with(10, 50, wei(-1), 3, gwei(9), one, 3, "12.5", 5)).hasMessageContaining("minPriorityFeePerGas -1 must not be negative");
        assertThatThrownBy(() -> with(10, 50, one, -1, gwei(9), one, 3, "12.5", 5)).hasMessageContaining("blocksToInclusion -1");
        assertThatThrownBy(() -> with(10, 50, one, 65, gwei(9), one, 3, "12.5", 5)).hasMessageContaining("blocksToInclusion 65");
        assertThatThrownBy(() -> with(10, 50, wei(0), 3, wei(0), wei(0), 3, "12.5", 5)).hasMessageContaining("maxFeePerGas 0 must be positive");
        assertThatThrownBy(() -> with(10, 50, one, 3, gwei(9), gwei(10), 3, "12.5", 5))
                .hasMessageContaining("maxPriorityFeePerGas 10000000000 must be in [0, maxFeePerGas 9000000000]");
        assertThatThrownBy(() -> with(10, 50, gwei(2), 3, gwei(9), one, 3, "12.5", 5))
                .hasMessageContaining("minPriorityFeePerGas 2000000000 must not exceed maxPriorityFeePerGas 1000000000");
        assertThatThrownBy(() -> with(10, 50, one, 3, gwei(9), one, 0, "12.5", 5)).hasMessageContaining("bumpAfterBlocks 0");
        assertThatThrownBy(() -> with(10, 50, one, 3, gwei(9), one, 3, "9.99", 5))
                .hasMessageContaining("minRaisePercent 9.99 must be in [10, 1000] (nodes refuse a replacement raised by less than 10%)");
        assertThatThrownBy(() -> with(10, 50, one, 3, gwei(9), one, 3, "1000.1", 5)).hasMessageContaining("minRaisePercent 1000.1");
        assertThatThrownBy(() -> with(10, 50, one, 3, gwei(9), one, 3, "12.5", -1)).hasMessageContaining("maxBumps -1");
    }

    @Test
    void theBoundsThemselvesAreValid() {
        // a 10% raise is what nodes accept; no bump at all, no projection, a tip pinned to its cap, a cap equal to the tip cap
        FeeSettings s = with(1, 0, gwei(1), 0, gwei(1), gwei(1), 1, "10", 0);
        assertThat(s.maxBumps()).isZero();
        assertThat(with(1024, 100, wei(0), 64, wei(1), wei(0), 1, "1000", 0).historyBlocks()).isEqualTo(1024);
    }
}
