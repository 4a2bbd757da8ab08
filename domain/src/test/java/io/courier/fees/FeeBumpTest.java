package io.courier.fees;

import static io.courier.fees.FeeFixtures.gwei;
import static io.courier.fees.FeeFixtures.settings;
import static io.courier.fees.FeeFixtures.wei;
import static io.courier.fees.FeeFixtures.withBumps;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.fees.FeeBump.Exhausted;
import io.courier.fees.FeeBump.NotNeeded;
import io.courier.fees.FeeBump.Reason;
import io.courier.fees.FeeBump.Replace;
import io.courier.fees.FeeMarket.Eip1559;
import io.courier.fees.FeeMarket.Legacy;
import io.courier.fees.Fees.Eip1559Fees;
import io.courier.fees.Fees.LegacyFees;
import java.math.BigDecimal;
import java.util.List;
import org.junit.jupiter.api.Test;

class FeeBumpTest {

    /** Min tip 1 gwei, no projection (the bump's arithmetic is easier to read), caps 100 / 10 gwei, 5 bumps of 12.5%. */
    private static final FeeSettings S = settings(gwei(1), 0, gwei(100), gwei(10), FeeMode.AUTO);

    @Test
    void aReplacementIsDueBumpAfterBlocksAfterTheBroadcast() {
        assertThat(FeeBump.dueAt(100, S)).isEqualTo(103);
        assertThat(FeeBump.isDue(100, 102, S)).isFalse();
        assertThat(FeeBump.isDue(100, 103, S)).isTrue();
        assertThat(FeeBump.isDue(100, 250, S)).isTrue();
    }

    @Test
    void bothFieldsRiseByAtLeastTheMinimumRaiseEvenWhenTheMarketHasNotMoved() {
        // in flight at 20 / 1 gwei; the market now asks a 1.5 gwei tip at base 10: a bigger tip is needed
        Fees inFlight = new Eip1559Fees(gwei(20), gwei(1));
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(10), List.of(wei(1_500_000_000L))), 0, S))
                .isEqualTo(new Replace(new Eip1559Fees(wei(22_500_000_000L), wei(1_500_000_000L))));
        // the market asks a tip only a little above: the 12.5% raise wins on the tip too
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(10), List.of(wei(1_100_000_000L))), 0, S))
                .isEqualTo(new Replace(new Eip1559Fees(wei(22_500_000_000L), wei(1_125_000_000L))));
    }

    @Test
    void aRisingMarketIsFollowedInOneReplacement() {
        Fees inFlight = new Eip1559Fees(gwei(20), gwei(1));
        // the base fee doubled to 40: the replacement asks base + tip at once, not 12.5% steps behind the market
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(40), List.of(gwei(2))), 0, S))
                .isEqualTo(new Replace(new Eip1559Fees(gwei(42), gwei(2))));
    }

    @Test
    void theRaiseRoundsUpAndAZeroFieldStillRises() {
        FeeSettings small = settings(wei(0), 0, gwei(1), gwei(1), FeeMode.AUTO);
        // 9 × 1.125 = 10.125 → 11; 0 × 1.125 = 0 → 1: nodes want both fields strictly higher
        assertThat(FeeBump.next(new Eip1559Fees(wei(9), wei(0)), new Eip1559(wei(9), List.of(wei(1))), 0, small))
                .isEqualTo(new Replace(new Eip1559Fees(wei(11), wei(1))));
        assertThat(FeeBump.raised(wei(8), new BigDecimal("12.5"))).isEqualTo(wei(9));
        assertThat(FeeBump.raised(wei(0), new BigDecimal("12.5"))).isEqualTo(wei(1));
        assertThat(FeeBump.raised(wei(1), new BigDecimal("12.5"))).isEqualTo(wei(2));
        assertThat(FeeBump.raised(gwei(2), BigDecimal.TEN)).isEqualTo(wei(2_200_000_000L));
    }

    @Test
    void aTransactionThatPaysWhatTheMarketAsksIsLeftAsItIs() {
        Fees inFlight = new Eip1559Fees(gwei(20), gwei(2));
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(10), List.of(gwei(2))), 0, S)).isEqualTo(new NotNeeded());
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(18), List.of(gwei(1))), 0, S)).isEqualTo(new NotNeeded());
        // at base 19 its tip shrinks to 1 gwei, under the 2 asked
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(19), List.of(gwei(2))), 0, S)).isInstanceOf(Replace.class);
        // even with every bump made: nothing to alert about
        assertThat(FeeBump.next(inFlight, new Eip1559(gwei(10), List.of(gwei(2))), 5, S)).isEqualTo(new NotNeeded());
    }

    @Test
    void afterMaxBumpsTheTransactionIsLeftAlone() {
        Fees inFlight = new Eip1559Fees(gwei(20), gwei(1));
        FeeMarket rising = new Eip1559(gwei(30), List.of(gwei(2)));
        assertThat(FeeBump.next(inFlight, rising, 4, S)).isInstanceOf(Replace.class);
        Exhausted exhausted = (Exhausted) FeeBump.next(inFlight, rising, 5, S);
        assertThat(exhausted.reason()).isEqualTo(Reason.MAX_BUMPS);
        assertThat(exhausted.detail()).contains("5 replacements of 5 made");
        assertThat(FeeBump.next(inFlight, rising, 0, withBumps(S, 0))).isInstanceOf(Exhausted.class);
        assertThatThrownBy(() -> FeeBump.next(inFlight, rising, -1, S)).hasMessageContaining("was -1");
    }

    @Test
    void aRaiseAboveTheCapIsRefusedNotClamped() {
        // 90 gwei × 1.125 = 101.25 > 100: a replacement at the cap (+11%) would be under the raise we promise
        Exhausted fee = (Exhausted) FeeBump.next(new Eip1559Fees(gwei(90), gwei(1)), new Eip1559(gwei(95), List.of(gwei(1))), 0, S);
        assertThat(fee.reason()).isEqualTo(Reason.CAP_REACHED);
        assertThat(fee.detail()).isEqualTo("max fee per gas in flight 90000000000 would have to rise to 101250000000, above the chain's cap 100000000000");
        Exhausted tip = (Exhausted) FeeBump.next(new Eip1559Fees(gwei(50), gwei(9)), new Eip1559(gwei(10), List.of(gwei(10))), 0, S);
        assertThat(tip.reason()).isEqualTo(Reason.CAP_REACHED);
        assertThat(tip.detail()).startsWith("max priority fee per gas in flight 9000000000 would have to rise to 10125000000");
    }

    @Test
    void aMarketAboveTheCapTakesTheMaxFeeToTheCapOnce() {
        // base 120 gwei is over the 100 gwei cap: the best this chain allows is the cap; a max fee costs nothing unused
        FeeMarket over = new Eip1559(gwei(120), List.of(gwei(2)));
        assertThat(FeeBump.next(new Eip1559Fees(gwei(20), gwei(1)), over, 0, S)).isEqualTo(new Replace(new Eip1559Fees(gwei(100), gwei(2))));
        assertThat(FeeBump.next(new Eip1559Fees(gwei(100), gwei(2)), over, 1, S))
                .isEqualTo(new Exhausted(Reason.CAP_REACHED,
                        "max fee per gas in flight 100000000000 would have to rise to 112500000000, above the chain's cap 100000000000"));
    }

    @Test
    void capsEqualToTheRaiseAreEnough() {
        FeeSettings exact = settings(wei(0), 0, wei(1125), wei(1125), FeeMode.AUTO);
        assertThat(FeeBump.next(new Eip1559Fees(wei(1000), wei(1000)), new Eip1559(wei(1000), List.of(wei(1))), 0, exact))
                .isEqualTo(new Replace(new Eip1559Fees(wei(1125), wei(1125))));
    }

    @Test
    void aLegacyTransactionIsRaisedAsAWhole() {
        Fees inFlight = new LegacyFees(gwei(10));
        assertThat(FeeBump.next(inFlight, new Legacy(gwei(10)), 0, S)).isEqualTo(new NotNeeded());
        assertThat(FeeBump.next(inFlight, new Legacy(wei(10_500_000_000L)), 0, S)).isEqualTo(new Replace(new LegacyFees(wei(11_250_000_000L))));
        assertThat(FeeBump.next(inFlight, new Legacy(gwei(30)), 0, S)).isEqualTo(new Replace(new LegacyFees(gwei(30))));
        // a market above the cap: the cap, which is more than the minimum raise
        assertThat(FeeBump.next(inFlight, new Legacy(gwei(300)), 0, S)).isEqualTo(new Replace(new LegacyFees(gwei(100))));
        assertThat(FeeBump.next(new LegacyFees(gwei(95)), new Legacy(gwei(300)), 0, S))
                .isEqualTo(new Exhausted(Reason.CAP_REACHED, "gas price in flight 95000000000 would have to rise to 106875000000, above the chain's cap 100000000000"));
    }

    @Test
    void theReplacementKeepsTheTypeOfTheTransactionInFlight() {
        // a legacy transaction on an EIP-1559 market: its gas price must cover base fee + tip
        assertThat(FeeBump.next(new LegacyFees(gwei(10)), new Eip1559(gwei(20), List.of(gwei(2))), 0, S))
                .isEqualTo(new Replace(new LegacyFees(gwei(22))));
        // an EIP-1559 transaction on a legacy market: the gas price is the tip asked
        assertThat(FeeBump.next(new Eip1559Fees(gwei(3), gwei(3)), new Legacy(gwei(5)), 0, S))
                .isEqualTo(new Replace(new Eip1559Fees(gwei(5), gwei(5))));
    }
}
