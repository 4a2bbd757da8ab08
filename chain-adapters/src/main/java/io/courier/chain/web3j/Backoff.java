package io.courier.chain.web3j;

import java.time.Duration;
import java.util.Objects;
import java.util.function.DoubleSupplier;

/**
 * Exponential backoff with jitter, as a value: {@code initial * multiplier^(retry-1)}, capped at {@code max},
 * then reduced by a random share of at most {@code jitter} (0 = none, 1 = "full jitter"). Jitter only ever
 * shortens a delay, so {@code max} stays a true bound, and spreads the retries of many clients that failed
 * together (a node restart) so they do not come back as one burst.
 *
 * @param maxAttempts requests in total, the first included: 1 means never retry
 */
public record Backoff(Duration initial, Duration max, double multiplier, double jitter, int maxAttempts) {

    public Backoff {
        Objects.requireNonNull(initial, "initial");
        Objects.requireNonNull(max, "max");
        if (initial.isNegative() || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException("backoff needs 0 <= initial <= max, was " + initial + " and " + max);
        }
        if (multiplier < 1.0) {
            throw new IllegalArgumentException("backoff multiplier must be >= 1, was " + multiplier);
        }
        if (jitter < 0.0 || jitter > 1.0) {
            throw new IllegalArgumentException("backoff jitter must be within [0, 1], was " + jitter);
        }
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("backoff maxAttempts must be >= 1, was " + maxAttempts);
        }
    }

    /** 250 ms, doubling up to 5 s, half jitter, 4 attempts: a blip of a few seconds is ridden out. */
    public static Backoff defaults() {
        return new Backoff(Duration.ofMillis(250), Duration.ofSeconds(5), 2.0, 0.5, 4);
    }

    /** One attempt, no retry. */
    public static Backoff none() {
        return new Backoff(Duration.ZERO, Duration.ZERO, 1.0, 0.0, 1);
    }

    public Backoff withMaxAttempts(int attempts) {
        return new Backoff(initial, max, multiplier, jitter, attempts);
    }

    /** Whether another attempt is allowed after {@code attemptsMade} requests. */
    public boolean allowsAnotherAfter(int attemptsMade) {
        return attemptsMade < maxAttempts;
    }

    /**
     * Delay before retry number {@code retry} (1 for the first retry).
     *
     * @param random uniform values in [0, 1); inject a seeded source to make the sequence reproducible
     */
    public Duration delayBeforeRetry(int retry, DoubleSupplier random) {
        if (retry < 1) {
            throw new IllegalArgumentException("retry numbers start at 1, was " + retry);
        }
        double base = Math.min(max.toNanos(), initial.toNanos() * Math.pow(multiplier, retry - 1));
        double jittered = base * (1.0 - jitter * random.getAsDouble());
        return Duration.ofNanos(Math.max(0L, Math.round(jittered)));
    }
}
