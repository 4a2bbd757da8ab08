package io.courier.fees;

import static io.courier.fees.FeeFixtures.gwei;
import static io.courier.fees.FeeFixtures.settings;
import static io.courier.fees.FeeFixtures.wei;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.fees.FeeMarket.Eip1559;
import io.courier.fees.FeeMarket.Legacy;
import io.courier.fees.FeePricer.OverCap;
import io.courier.fees.FeePricer.Priced;
import io.courier.fees.Fees.Eip1559Fees;
import io.courier.fees.Fees.LegacyFees;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeePricerTest {

    private static final FeeSettings THREE_BLOCKS = settings(gwei(1), 3, gwei(500), gwei(10), FeeMode.AUTO);

    @Test
    void theMaxFeeProjectsTheNextBaseFeeOverTheBlocksToInclusionAndTheTipIsTheMedianReward() {
        FeeMarket market = new Eip1559(gwei(10), List.of(gwei(2), gwei(4), gwei(3)));
        // 10 gwei × 1.125³ = 14.23828125 gwei, + the median tip 3 gwei
        assertThat(FeePricer.price(market, THREE_BLOCKS)).isEqualTo(new Priced(new Eip1559Fees(wei(17_238_281_250L), gwei(3))));
    }

    @Test
    void theProjectionRoundsUp() {
        assertThat(FeePricer.projected(wei(1), 1)).isEqualTo(wei(2));
        assertThat(FeePricer.projected(wei(8), 1)).isEqualTo(wei(9));
        assertThat(FeePricer.projected(wei(64), 2)).isEqualTo(wei(81));
        assertThat(FeePricer.projected(wei(65), 2)).isEqualTo(wei(83)); // 82.265625
        assertThat(FeePricer.projected(gwei(7), 0)).isEqualTo(gwei(7));
        assertThat(FeePricer.projected(wei(0), 64)).isZero();
    }

    @Test
    void theTipIsNeverBelowTheMinimumEvenWithoutRewards() {
        assertThat(FeePricer.price(new Eip1559(gwei(10), List.of()), THREE_BLOCKS))
                .isEqualTo(new Priced(new Eip1559Fees(wei(15_238_281_250L), gwei(1))));
        assertThat(FeePricer.price(new Eip1559(gwei(10), List.of(wei(0), wei(5), wei(1))), THREE_BLOCKS))
                .isEqualTo(new Priced(new Eip1559Fees(wei(15_238_281_250L), gwei(1))));
    }

    @Test
    void theTipCapCutsTheTipButNeverUnderTheMinimum() {
        FeeSettings capped = settings(gwei(1), 0, gwei(500), gwei(2), FeeMode.AUTO);
        assertThat(FeePricer.price(new Eip1559(gwei(10), List.of(gwei(50))), capped)).isEqualTo(new Priced(new Eip1559Fees(gwei(12), gwei(2))));
    }

    @Test
    void aZeroBaseFeeChainPaysTheTipAlone() {
        assertThat(FeePricer.price(new Eip1559(wei(0), List.of(gwei(2))), THREE_BLOCKS)).isEqualTo(new Priced(new Eip1559Fees(gwei(2), gwei(2))));
        FeeSettings free = settings(wei(0), 3, gwei(1), wei(0), FeeMode.EIP1559);
        assertThat(FeePricer.price(new Eip1559(wei(0), List.of()), free)).isEqualTo(new Priced(new Eip1559Fees(wei(0), wei(0))));
    }

    @Test
    void theHeadroomIsTrimmedToTheCapButNeverBelowWhatTheMarketNeeds() {
        FeeMarket market = new Eip1559(gwei(10), List.of(gwei(3)));
        // the projection wants 17.24 gwei; a 12 gwei cap still covers base fee + minimum tip (11 gwei)
        assertThat(FeePricer.price(market, settings(gwei(1), 3, gwei(12), gwei(10), FeeMode.AUTO)))
                .isEqualTo(new Priced(new Eip1559Fees(gwei(12), gwei(3))));
        // a cap equal to what the market needs is enough
        assertThat(FeePricer.price(market, settings(gwei(1), 3, gwei(11), gwei(10), FeeMode.AUTO)))
                .isEqualTo(new Priced(new Eip1559Fees(gwei(11), gwei(3))));
        // one wei under it is not: no silent clamp to a price that cannot be included
        BigInteger under = gwei(11).subtract(BigInteger.ONE);
        assertThat(FeePricer.price(market, settings(gwei(1), 3, under, gwei(10), FeeMode.AUTO))).isEqualTo(new OverCap(gwei(11), under));
    }

    @Test
    void aLegacyChainPaysTheGasPriceNeverBelowTheMinimumTip() {
        assertThat(FeePricer.price(new Legacy(gwei(20)), THREE_BLOCKS)).isEqualTo(new Priced(new LegacyFees(gwei(20))));
        assertThat(FeePricer.price(new Legacy(wei(0)), THREE_BLOCKS)).isEqualTo(new Priced(new LegacyFees(gwei(1))));
        // the legacy price is capped by the max fee, not the tip cap: on a legacy chain the whole price goes to the miner
        assertThat(FeePricer.price(new Legacy(gwei(500)), THREE_BLOCKS)).isEqualTo(new Priced(new LegacyFees(gwei(500))));
        assertThat(FeePricer.price(new Legacy(gwei(501)), THREE_BLOCKS)).isEqualTo(new OverCap(gwei(501), gwei(500)));
    }
}
