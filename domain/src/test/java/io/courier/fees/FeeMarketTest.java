package io.courier.fees;

import static io.courier.fees.FeeFixtures.gwei;
import static io.courier.fees.FeeFixtures.wei;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.FeeHistory;
import io.courier.fees.FeeMarket.Eip1559;
import io.courier.fees.FeeMarket.Legacy;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class FeeMarketTest {

    private static FeeHistory history(List<BigInteger> baseFees, List<List<BigInteger>> rewards) {
        return new FeeHistory(100, baseFees, baseFees.subList(1, baseFees.size()).stream().map(b -> 0.5).toList(), rewards);
    }

    private static final FeeHistory LONDON = history(List.of(gwei(10), gwei(11), gwei(12)),
            List.of(List.of(gwei(1), gwei(5)), List.of(), List.of(gwei(3), gwei(9))));
    private static final FeeHistory PRE_LONDON = history(List.of(wei(0), wei(0), wei(0)), List.of(List.of(wei(0)), List.of(wei(0))));

    @Test
    void aChainWithABaseFeeIsEip1559FromTheNextBaseFeeAndTheFirstPercentile() {
        FeeMarket market = FeeMarket.of(FeeMode.AUTO, Optional.of(LONDON), Optional.empty());
        // the block the node gave no reward for is left out rather than counted as a zero tip
        assertThat(market).isEqualTo(new Eip1559(gwei(12), List.of(gwei(1), gwei(3))));
        assertThat(FeeMarket.needsGasPrice(FeeMode.AUTO, Optional.of(LONDON))).isFalse();
    }

    @Test
    void blocksWithoutABaseFeeAreDetectedAsLegacy() {
        assertThat(FeeMarket.needsGasPrice(FeeMode.AUTO, Optional.of(PRE_LONDON))).isTrue();
        assertThat(FeeMarket.of(FeeMode.AUTO, Optional.of(PRE_LONDON), Optional.of(gwei(7)))).isEqualTo(new Legacy(gwei(7)));
        // a node with no fee history at all (it refused eth_feeHistory): legacy too
        assertThat(FeeMarket.needsGasPrice(FeeMode.AUTO, Optional.empty())).isTrue();
        assertThat(FeeMarket.of(FeeMode.AUTO, Optional.empty(), Optional.of(gwei(7)))).isEqualTo(new Legacy(gwei(7)));
    }

    @Test
    void oneBlockWithABaseFeeIsEnoughForEip1559() {
        // London activating inside the window: the older blocks have none, the next one has
        FeeHistory activating = history(List.of(wei(0), wei(0), gwei(1)), List.of(List.of(wei(0)), List.of(wei(0))));
        assertThat(FeeMarket.of(FeeMode.AUTO, Optional.of(activating), Optional.empty())).isEqualTo(new Eip1559(gwei(1), List.of(wei(0), wei(0))));
    }

    @Test
    void anExplicitModeIsObeyed() {
        assertThat(FeeMarket.needsGasPrice(FeeMode.LEGACY, Optional.of(LONDON))).isTrue();
        assertThat(FeeMarket.of(FeeMode.LEGACY, Optional.of(LONDON), Optional.of(gwei(20)))).isEqualTo(new Legacy(gwei(20)));
        assertThat(FeeMarket.of(FeeMode.LEGACY, Optional.empty(), Optional.of(gwei(20)))).isEqualTo(new Legacy(gwei(20)));
        // a zero base fee in eip1559 mode is a free EIP-1559 market, not a legacy chain
        assertThat(FeeMarket.needsGasPrice(FeeMode.EIP1559, Optional.of(PRE_LONDON))).isFalse();
        assertThat(FeeMarket.of(FeeMode.EIP1559, Optional.of(PRE_LONDON), Optional.empty())).isEqualTo(new Eip1559(wei(0), List.of(wei(0), wei(0))));
    }

    @Test
    void whatTheModeNeedsMustBeGiven() {
        assertThatThrownBy(() -> FeeMarket.of(FeeMode.EIP1559, Optional.empty(), Optional.of(gwei(1))))
                .hasMessage("fee mode eip1559 needs a fee history, the node gave none");
        assertThatThrownBy(() -> FeeMarket.of(FeeMode.AUTO, Optional.of(PRE_LONDON), Optional.empty()))
                .hasMessage("fee mode auto needs eth_gasPrice: the chain's blocks carry no base fee");
        assertThatThrownBy(() -> FeeMarket.of(FeeMode.LEGACY, Optional.of(LONDON), Optional.empty()))
                .hasMessage("fee mode legacy needs eth_gasPrice: legacy mode");
    }

    @Test
    void theMedianRewardIsTheUpperMedianAndZeroWithoutRewards() {
        assertThat(new Eip1559(gwei(1), List.of()).medianReward()).isZero();
        assertThat(new Eip1559(gwei(1), List.of(wei(9), wei(1), wei(5))).medianReward()).isEqualTo(wei(5));
        assertThat(new Eip1559(gwei(1), List.of(wei(9), wei(1), wei(5), wei(7))).medianReward()).isEqualTo(wei(7));
    }

    @Test
    void negativeAmountsAreRefused() {
        assertThatThrownBy(() -> new Eip1559(wei(-1), List.of())).hasMessageContaining("nextBaseFee must not be negative, was -1");
        assertThatThrownBy(() -> new Eip1559(wei(1), List.of(wei(-2)))).hasMessageContaining("reward must not be negative, was -2");
        assertThatThrownBy(() -> new Legacy(wei(-3))).hasMessageContaining("gasPrice must not be negative, was -3");
    }
}
