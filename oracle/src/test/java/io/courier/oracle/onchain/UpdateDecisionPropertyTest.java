package io.courier.oracle.onchain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.oracle.onchain.UpdateDecision.Hold;
import io.courier.oracle.onchain.UpdateDecision.OnChain;
import io.courier.oracle.onchain.UpdateDecision.Push;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class UpdateDecisionPropertyTest {

    private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration HEARTBEAT = Duration.ofHours(1);

    /** Values over many orders of magnitude: 1 wei .. 10,000 gwei, ratios 1e-6 .. 1e6 (× 1e18). */
    private static Gen<GasData> values() {
        return longs().between(1, 10_000_000_000_000L)
                .zip(longs().between(1_000_000_000_000L, 1_000_000_000_000_000L), integers().between(0, 6),
                        longs().between(21_000, 2_000_000), (gas, ratio, exp, overhead) -> new GasData(BigInteger.valueOf(gas),
                                BigInteger.valueOf(ratio).multiply(BigInteger.TEN.pow(exp)), overhead,
                                BigInteger.valueOf(100_000_000_000_000_000L)));
    }

    /** Ages around the heartbeat: a second either side and the edge itself come up, not only far-off ages. */
    private static Gen<Long> ages() {
        return longs().between(-3, 3).zip(integers().between(0, 1), (offset, far) -> HEARTBEAT.toSeconds() + offset * (far == 0 ? 1 : 1_000));
    }

    private static Gen<MoveBound> bounds() {
        return longs().between(10_001, 100_000).map(MoveBound::new);
    }

    private static Gen<UpdatePolicy> policies() {
        return integers().between(1, 5_000).map(bps -> new UpdatePolicy(BigDecimal.valueOf(bps, 4), HEARTBEAT));
    }

    @Test
    void everyPushIsWithinTheContractsBoundOfWhatItHolds() {
        qt().forAll(values(), values(), bounds(), longs().between(0, 2 * 3600)).checkAssert((held, target, bound, ageSeconds) -> {
            UpdateDecision d = UpdateDecision.decide(Optional.of(new OnChain(held, T0)), target,
                    new UpdatePolicy(new BigDecimal("0.01"), HEARTBEAT), bound, T0.plusSeconds(ageSeconds));
            if (d instanceof Push p) {
                assertThat(contractAccepts(held, p.values(), bound)).as("%s -> %s under %s", held, p.values(), bound).isTrue();
                assertThat(p.partial()).isEqualTo(!p.values().equals(target));
            }
        });
    }

    @Test
    void repeatedPushesReachTheTargetWithinTheDeviationInLogarithmicallyManySteps() {
        qt().forAll(values(), values(), bounds(), policies()).checkAssert((start, target, bound, policy) -> {
            GasData held = start;
            Instant now = T0;
            double factor = bound.maxFactorBps() / 10_000.0;
            // the furthest any field must travel, in multiples of the factor (+1 for integer rounding at the last step)
            double span = Math.max(Math.abs(Math.log(target.gasPrice().doubleValue() / held.gasPrice().doubleValue())),
                    Math.max(Math.abs(Math.log(target.tokenRatio().doubleValue() / held.tokenRatio().doubleValue())),
                            Math.abs(Math.log((double) target.overheadGas() / held.overheadGas()))));
            int maxSteps = (int) Math.ceil(span / Math.log(factor)) + 2;
            int steps = 0;
            UpdateDecision d;
            while ((d = UpdateDecision.decide(Optional.of(new OnChain(held, now)), target, policy, bound, now)) instanceof Push p) {
                assertThat(p.reason()).isEqualTo(UpdateReason.DEVIATION);
                assertThat(contractAccepts(held, p.values(), bound)).isTrue();
                held = p.values();
                now = now.plusSeconds(1); // well inside the heartbeat: only deviation pushes here
                assertThat(++steps).as("steps from %s to %s under %s", start, target, bound).isLessThanOrEqualTo(maxSteps);
            }
            assertThat(d).isInstanceOf(Hold.class);
            assertThat(UpdateDecision.deviates(held.gasPrice(), target.gasPrice(), policy.deviation())).isFalse();
            assertThat(UpdateDecision.deviates(held.tokenRatio(), target.tokenRatio(), policy.deviation())).isFalse();
            assertThat(held.overheadGas()).isEqualTo(target.overheadGas());
        });
    }

    @Test
    void withinTheDeviationItHoldsUntilTheHeartbeatThenPushesForTheHeartbeat() {
        qt().forAll(values(), integers().between(0, 999), integers().between(0, 1), ages())
                .checkAssert((held, permille, sign, ageSeconds) -> {
                    // the target moved by at most 0.999 × the 10 % deviation
                    BigInteger moved = held.gasPrice().multiply(BigInteger.valueOf(permille)).divide(BigInteger.valueOf(10_000));
                    GasData target = held.withGasPrice(sign == 0 ? held.gasPrice().add(moved) : held.gasPrice().subtract(moved).max(BigInteger.ONE));
                    UpdateDecision d = UpdateDecision.decide(Optional.of(new OnChain(held, T0)), target,
                            new UpdatePolicy(new BigDecimal("0.1"), HEARTBEAT), new MoveBound(20_000), T0.plusSeconds(ageSeconds));
                    if (ageSeconds < HEARTBEAT.toSeconds()) {
                        assertThat(d).isEqualTo(new Hold(Duration.ofSeconds(ageSeconds)));
                    } else {
                        assertThat(d).isEqualTo(new Push(target, UpdateReason.HEARTBEAT, false));
                    }
                });
    }

    @Test
    void beyondTheDeviationItPushesAtOnceWhateverTheAge() {
        qt().forAll(values(), integers().between(1, 10_000), integers().between(0, 1), longs().between(0, 3 * 3600))
                .checkAssert((held, extraBps, up, ageSeconds) -> {
                    // the ratio moves by more than 10 %: by 10 % + extra
                    BigInteger r = held.tokenRatio();
                    BigInteger delta = r.multiply(BigInteger.valueOf(1_000 + extraBps)).divide(BigInteger.valueOf(10_000)).add(BigInteger.ONE);
                    if (up == 1 && r.compareTo(delta) <= 0) {
                        return; // cannot fall by more than all of it
                    }
                    GasData target = held.withTokenRatio(up == 0 ? r.add(delta) : r.subtract(delta));
                    UpdateDecision d = UpdateDecision.decide(Optional.of(new OnChain(held, T0)), target,
                            new UpdatePolicy(new BigDecimal("0.1"), HEARTBEAT), new MoveBound(20_000), T0.plusSeconds(ageSeconds));
                    assertThat(d).isInstanceOf(Push.class);
                    assertThat(((Push) d).reason()).isEqualTo(UpdateReason.DEVIATION);
                });
    }

    @Test
    void aConfigChangeOfOverheadOrMarginIsPushedHoweverSmall() {
        qt().forAll(values(), integers().between(0, 1)).checkAssert((held, which) -> {
            GasData target = which == 0 ? held.withOverheadGas(held.overheadGas() + 1)
                    : new GasData(held.gasPrice(), held.tokenRatio(), held.overheadGas(), held.margin().add(BigInteger.ONE));
            UpdateDecision d = UpdateDecision.decide(Optional.of(new OnChain(held, T0)), target,
                    new UpdatePolicy(new BigDecimal("0.1"), HEARTBEAT), new MoveBound(20_000), T0);
            assertThat(d).isEqualTo(new Push(target, UpdateReason.DEVIATION, false));
        });
    }

    @Test
    void anEmptyContractGetsTheTargetUnclamped() {
        qt().forAll(values()).checkAssert(target -> assertThat(UpdateDecision.decide(Optional.empty(), target,
                new UpdatePolicy(new BigDecimal("0.1"), HEARTBEAT), new MoveBound(20_000), T0))
                .isEqualTo(new Push(target, UpdateReason.DEVIATION, false)));
    }

    @Test
    void theOnChainFeeIsFeeMathOfTheRatioAndNeverBelowTheQuoteFromBothPrices() {
        qt().forAll(longs().between(1, 500_000_000_000L), longs().between(1, 100_000_00000000L), longs().between(1, 100_000_00000000L),
                longs().between(0, 10_000_000)).checkAssert((gasPrice, dst, src, gasLimit) -> {
                    BigInteger ratio = GasData.ratio(BigInteger.valueOf(dst), BigInteger.valueOf(src));
                    GasData data = new GasData(BigInteger.valueOf(gasPrice), ratio, 71_000, GasData.wad(new BigDecimal("0.1")));
                    BigInteger fromPrices = io.courier.oracle.FeeMath.fee(BigInteger.valueOf(gasPrice),
                            BigInteger.valueOf(71_000 + gasLimit), BigInteger.valueOf(dst), BigInteger.valueOf(src), new BigDecimal("0.1"));
                    BigInteger onChain = data.fee(gasLimit);
                    assertThat(onChain).isGreaterThanOrEqualTo(fromPrices);
                    // the ratio is rounded up by < 1e-18: at most gasPrice × gas × 1.1 / 1e18 wei more, +1 for the rounding
                    BigInteger slack = BigInteger.valueOf(gasPrice).multiply(BigInteger.valueOf(71_000 + gasLimit))
                            .multiply(BigInteger.valueOf(11)).divide(BigInteger.TEN).divide(GasData.WAD).add(BigInteger.TWO);
                    assertThat(onChain.subtract(fromPrices)).isLessThanOrEqualTo(slack);
                });
    }

    /** GasOracle.sol's `_checkMove` for the three bounded fields, written independently of {@link MoveBound}. */
    static boolean contractAccepts(GasData held, GasData pushed, MoveBound bound) {
        long f = bound.maxFactorBps();
        return within(held.gasPrice(), pushed.gasPrice(), f) && within(held.tokenRatio(), pushed.tokenRatio(), f)
                && within(BigInteger.valueOf(held.overheadGas()), BigInteger.valueOf(pushed.overheadGas()), f);
    }

    private static boolean within(BigInteger current, BigInteger proposed, long factor) {
        BigInteger f = BigInteger.valueOf(factor);
        BigInteger bps = BigInteger.valueOf(10_000);
        return proposed.signum() > 0 && proposed.multiply(bps).compareTo(current.multiply(f)) <= 0
                && proposed.multiply(f).compareTo(current.multiply(bps)) >= 0;
    }
}
