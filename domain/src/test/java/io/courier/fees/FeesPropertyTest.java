package io.courier.fees;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.chain.FeeHistory;
import io.courier.fees.FeeBump.Exhausted;
import io.courier.fees.FeeBump.NotNeeded;
import io.courier.fees.FeeBump.Reason;
import io.courier.fees.FeeBump.Replace;
import io.courier.fees.FeeMarket.Eip1559;
import io.courier.fees.FeeMarket.Legacy;
import io.courier.fees.FeePricer.OverCap;
import io.courier.fees.FeePricer.Priced;
import io.courier.fees.Fees.Eip1559Fees;
import io.courier.fees.Fees.LegacyFees;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The fee rules against random settings and random markets, small wei amounts (rounding) mixed with gwei-sized ones:
 * first prices, every replacement across a sequence of markets, and legacy detection. The checks are the promises of
 * issue 10 written out again, not the code's arithmetic.
 */
class FeesPropertyTest {

    /** Pure arithmetic on a few BigIntegers: 2000 examples take well under a second. */
    private static final int EXAMPLES = 2000;

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    /** Wei per gas: tiny (rounding, zero fields) or up to 2,000 gwei. */
    private static Gen<BigInteger> wei() {
        return longs().between(0, 40).mix(longs().between(0, 2_000_000_000_000L)).map(BigInteger::valueOf);
    }

    private static Gen<FeeSettings> settings() {
        Gen<BigInteger[]> amounts = wei().zip(wei(), wei(), (minTip, moreTip, moreFee) -> new BigInteger[] {
                minTip, minTip.add(moreTip), minTip.add(moreTip).add(moreFee).add(BigInteger.ONE)});
        Gen<BigDecimal> raise = Generate.pick(List.of(new BigDecimal("10"), new BigDecimal("12.5"), new BigDecimal("20"),
                new BigDecimal("33.3"), new BigDecimal("100")));
        return amounts.zip(integers().between(0, 8), raise, integers().between(0, 8), Generate.enumValues(FeeMode.class),
                (a, blocks, pct, maxBumps, mode) -> new FeeSettings(10, 50, a[0], blocks, a[2], a[1], 3, pct, maxBumps, mode));
    }

    private static Gen<FeeMarket> markets() {
        Gen<FeeMarket> eip1559 = wei().zip(lists().of(wei()).ofSizeBetween(0, 6), Eip1559::new);
        Gen<FeeMarket> legacy = wei().map(Legacy::new);
        return eip1559.mix(legacy, 25);
    }

    /** Fees a transaction might be in flight with (within the caps or not: settings may have changed since). */
    private static Gen<Fees> fees() {
        Gen<Fees> eip1559 = wei().zip(wei(), (tip, more) -> new Eip1559Fees(tip.add(more), tip));
        Gen<Fees> legacy = wei().map(LegacyFees::new);
        return eip1559.mix(legacy, 25);
    }

    /** How many examples saw each outcome: the generators must reach every branch, not only the easy ones. */
    private static final class Coverage {
        private final Map<String, Integer> counts = new HashMap<>();
        private int examples;

        void add(Set<String> seen) {
            examples++;
            seen.forEach(s -> counts.merge(s, 1, Integer::sum));
        }

        double percent(String what) {
            return 100.0 * counts.getOrDefault(what, 0) / examples;
        }
    }

    private static boolean raisedEnough(BigInteger next, BigInteger previous, BigDecimal percent) {
        // next ≥ previous × (1 + percent/100), exactly, and strictly higher (a zero field too)
        return new BigDecimal(next).multiply(HUNDRED).compareTo(new BigDecimal(previous).multiply(HUNDRED.add(percent))) >= 0
                && next.compareTo(previous) > 0;
    }

    private static BigInteger baseFee(FeeMarket market) {
        return market instanceof Eip1559 m ? m.nextBaseFee() : BigInteger.ZERO;
    }

    /** The least the market accepts: next base fee + minimum tip, or the gas price (never below the minimum tip). */
    private static BigInteger needed(FeeMarket market, FeeSettings s) {
        return market instanceof Eip1559 m ? m.nextBaseFee().add(s.minPriorityFeePerGas()) : ((Legacy) market).gasPrice().max(s.minPriorityFeePerGas());
    }

    @Test
    void aFirstPriceNeverExceedsTheCapsAndNeverTipsUnderTheMinimum() {
        Coverage coverage = new Coverage();
        qt().withExamples(EXAMPLES).forAll(settings(), markets()).checkAssert((s, market) -> {
            FeePricer.Outcome outcome = FeePricer.price(market, s);
            BigInteger needed = needed(market, s);
            if (outcome instanceof OverCap over) {
                coverage.add(Set.of("OverCap"));
                // waiting only when the cap truly cannot pay what the market needs
                assertThat(over.needed()).isEqualTo(needed);
                assertThat(over.cap()).isEqualTo(s.maxFeePerGas()).isLessThan(needed);
                return;
            }
            coverage.add(Set.of("Priced"));
            assertThat(needed).isLessThanOrEqualTo(s.maxFeePerGas());
            Fees fees = ((Priced) outcome).fees();
            assertThat(fees.maxFee()).isLessThanOrEqualTo(s.maxFeePerGas());
            if (market instanceof Eip1559 m) {
                assertThat(fees).isInstanceOf(Eip1559Fees.class);
                assertThat(fees.maxTip()).isBetween(s.minPriorityFeePerGas(), s.maxPriorityFeePerGas());
                // includable in the next block, tipping at least the minimum there
                assertThat(fees.tipAt(m.nextBaseFee())).isGreaterThanOrEqualTo(s.minPriorityFeePerGas());
                assertThat(fees.tipAt(m.nextBaseFee())).isLessThanOrEqualTo(m.medianReward().max(s.minPriorityFeePerGas()));
            } else {
                assertThat(fees).isEqualTo(new LegacyFees(needed));
            }
        });
        assertThat(coverage.percent("OverCap")).as("examples over the cap").isGreaterThan(5);
        assertThat(coverage.percent("Priced")).as("examples priced").isGreaterThan(30);
    }

    @Test
    void bumpsRaiseByTheMinimumStayUnderTheCapAndStopAfterMaxBumps() {
        Coverage coverage = new Coverage();
        qt().withExamples(EXAMPLES)
                .forAll(settings(), fees(), lists().of(markets()).ofSizeBetween(1, 16))
                .checkAssert((s, start, markets) -> coverage.add(bumpAcross(s, start, markets)));
        assertThat(coverage.percent("Replace")).as("examples with a replacement").isGreaterThan(30);
        assertThat(coverage.percent("NotNeeded")).as("examples where no replacement was needed").isGreaterThan(10);
        assertThat(coverage.percent("MAX_BUMPS")).as("examples that made every bump").isGreaterThan(5);
        assertThat(coverage.percent("CAP_REACHED")).as("examples that reached the cap").isGreaterThan(5);
    }

    /** Bumps one transaction through the markets, as the submitter would at each due block; returns what it saw. */
    private static Set<String> bumpAcross(FeeSettings s, Fees start, List<FeeMarket> markets) {
        Set<String> seen = new TreeSet<>();
        // a transaction priced by the pricer when the first market allows, else fees from before (caps may have changed)
        Fees inFlight = FeePricer.price(markets.get(0), s) instanceof Priced p ? p.fees() : start;
        int bumps = 0;
        for (FeeMarket market : markets) {
            FeeBump.Outcome outcome = FeeBump.next(inFlight, market, bumps, s);
            if (outcome instanceof Replace replace) {
                seen.add("Replace");
                Fees next = replace.fees();
                assertThat(bumps).isLessThan(s.maxBumps());
                assertThat(next.getClass()).isEqualTo(inFlight.getClass());
                assertThat(raisedEnough(next.maxFee(), inFlight.maxFee(), s.minRaisePercent())).as("max fee %s after %s", next, inFlight).isTrue();
                assertThat(raisedEnough(next.maxTip(), inFlight.maxTip(), s.minRaisePercent())).as("tip %s after %s", next, inFlight).isTrue();
                assertThat(next.maxFee()).isLessThanOrEqualTo(s.maxFeePerGas());
                if (next instanceof Eip1559Fees) {
                    assertThat(next.maxTip()).isLessThanOrEqualTo(s.maxPriorityFeePerGas()).isGreaterThanOrEqualTo(s.minPriorityFeePerGas());
                }
                // a replacement never offers less than a fresh transaction of its type would
                if (FeePricer.price(market, s) instanceof Priced fresh && fresh.fees().getClass() == next.getClass()) {
                    assertThat(next.maxFee()).isGreaterThanOrEqualTo(fresh.fees().maxFee());
                    assertThat(next.maxTip()).isGreaterThanOrEqualTo(fresh.fees().maxTip());
                }
                inFlight = next;
                bumps++;
            } else if (outcome instanceof Exhausted exhausted) {
                seen.add(exhausted.reason().name());
                if (exhausted.reason() == Reason.MAX_BUMPS) {
                    assertThat(bumps).isEqualTo(s.maxBumps());
                } else {
                    // given up only when the least raise allowed truly goes above a cap
                    BigInteger fee = FeeBump.raised(inFlight.maxFee(), s.minRaisePercent());
                    BigInteger tip = FeeBump.raised(inFlight.maxTip(), s.minRaisePercent());
                    boolean tipOver = inFlight instanceof Eip1559Fees && tip.compareTo(s.maxPriorityFeePerGas()) > 0;
                    assertThat(fee.compareTo(s.maxFeePerGas()) > 0 || tipOver).as("cap reached with %s under %s", inFlight, s).isTrue();
                }
            } else {
                assertThat(outcome).isInstanceOf(NotNeeded.class);
                seen.add("NotNeeded");
                // left alone only when it can be included now, tipping at least the minimum (the gas price on a legacy chain)
                assertThat(inFlight.tipAt(baseFee(market))).isGreaterThanOrEqualTo(needed(market, s).subtract(baseFee(market)));
            }
            assertThat(bumps).isLessThanOrEqualTo(s.maxBumps());
        }
        return seen;
    }

    @Test
    void blocksWithoutABaseFeeAreLegacyUnlessTheModeSaysOtherwise() {
        Gen<List<BigInteger>> baseFees = lists().of(wei().mix(Generate.constant(BigInteger.ZERO), 60)).ofSizeBetween(1, 8);
        qt().withExamples(EXAMPLES).forAll(Generate.enumValues(FeeMode.class), baseFees, wei()).checkAssert((mode, fees, gasPrice) -> {
            FeeHistory history = new FeeHistory(1, fees, fees.subList(1, fees.size()).stream().map(f -> 0.5).toList(), List.of());
            boolean noBaseFee = fees.stream().allMatch(f -> f.signum() == 0);
            FeeMarket market = FeeMarket.of(mode, Optional.of(history), Optional.of(gasPrice));
            if (mode == FeeMode.LEGACY || (mode == FeeMode.AUTO && noBaseFee)) {
                assertThat(market).isEqualTo(new Legacy(gasPrice));
            } else {
                assertThat(market).isEqualTo(new Eip1559(fees.get(fees.size() - 1), List.of()));
            }
            assertThat(FeeMarket.needsGasPrice(mode, Optional.of(history))).isEqualTo(market instanceof Legacy);
        });
    }
}
