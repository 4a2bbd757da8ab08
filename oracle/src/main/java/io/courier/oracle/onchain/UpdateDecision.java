package io.courier.oracle.onchain;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether to push new values for one route to the source chain's {@code GasOracle}, and which.
 *
 * <p>Push for {@link UpdateReason#DEVIATION} when the gas price or the token ratio is more than the policy's deviation
 * away from what the contract holds, or the overhead gas or margin differ at all (they are configuration: any change
 * counts), or the contract holds nothing yet; else for {@link UpdateReason#HEARTBEAT} when the contract's values are at
 * least the heartbeat old. What is pushed is the target clamped to the contract's per-update bound ({@link MoveBound}),
 * so the push never reverts for being out of bounds; a large move takes several pushes, each one seeing the previous
 * one's values on chain and still deviating ({@link Push#partial}).
 */
public sealed interface UpdateDecision {

    /** What the contract holds for a route, and when it was written. */
    record OnChain(GasData values, Instant updatedAt) {
        public OnChain {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(updatedAt, "updatedAt");
        }
    }

    /** Nothing to push: every value is within the deviation and the heartbeat has not passed. */
    record Hold(Duration age) implements UpdateDecision {}

    /** Push {@code values}; {@code partial}: the bound kept them short of the target, further pushes follow. */
    record Push(GasData values, UpdateReason reason, boolean partial) implements UpdateDecision {
        public Push {
            Objects.requireNonNull(values, "values");
            Objects.requireNonNull(reason, "reason");
        }
    }

    static UpdateDecision decide(Optional<OnChain> current, GasData target, UpdatePolicy policy, MoveBound bound, Instant now) {
        Objects.requireNonNull(target, "target");
        if (current.isEmpty()) {
            return new Push(target, UpdateReason.DEVIATION, false); // the contract's first value is unbounded
        }
        GasData held = current.get().values();
        GasData step = new GasData(bound.clamp(held.gasPrice(), target.gasPrice()), bound.clamp(held.tokenRatio(), target.tokenRatio()),
                bound.clamp(BigInteger.valueOf(held.overheadGas()), BigInteger.valueOf(target.overheadGas())).longValueExact(),
                target.margin());
        boolean partial = !step.equals(target);
        if (deviates(held.gasPrice(), target.gasPrice(), policy.deviation())
                || deviates(held.tokenRatio(), target.tokenRatio(), policy.deviation())
                || held.overheadGas() != target.overheadGas() || !held.margin().equals(target.margin())) {
            return new Push(step, UpdateReason.DEVIATION, partial);
        }
        Duration age = Duration.between(current.get().updatedAt(), now);
        if (age.compareTo(policy.heartbeat()) >= 0) {
            return new Push(step, UpdateReason.HEARTBEAT, partial);
        }
        return new Hold(age);
    }

    /** |target − held| / held > deviation (held is never zero on chain). */
    static boolean deviates(BigInteger held, BigInteger target, BigDecimal deviation) {
        // exact: |target − held| > deviation × held, no division to round
        return new BigDecimal(target.subtract(held).abs()).compareTo(deviation.multiply(new BigDecimal(held))) > 0;
    }
}
