package io.courier.oracle.onchain;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * When the updater pushes: a gas price or token ratio more than {@code deviation} (a ratio: 0.1 = 10 %) away from the
 * contract's, or values older than {@code heartbeat}.
 */
public record UpdatePolicy(BigDecimal deviation, Duration heartbeat) {

    public UpdatePolicy {
        Objects.requireNonNull(deviation, "deviation");
        Objects.requireNonNull(heartbeat, "heartbeat");
        if (deviation.signum() <= 0) {
            throw new IllegalArgumentException("deviation must be positive (0.1 = 10 %), was " + deviation);
        }
        if (heartbeat.isNegative() || heartbeat.isZero()) {
            throw new IllegalArgumentException("heartbeat must be positive, was " + heartbeat);
        }
    }
}
