package io.courier.payment;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * What a message was asked to pay, fixed when its block became final: the route's {@code mode}, the quote then
 * ({@code required} wei of the source chain's native token for {@code gasLimit} handler gas; 0 when sponsored) and the
 * least payment that delivers ({@code threshold}: the quote less the route's tolerance). A top-up is measured against
 * this, not against a later quote, so what the API tells a user to pay does not move under them.
 */
public record Charge(PaymentMode mode, BigInteger required, BigInteger threshold, long gasLimit, Instant at) {

    public Charge {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(required, "required");
        Objects.requireNonNull(threshold, "threshold");
        Objects.requireNonNull(at, "at");
        if (required.signum() < 0 || threshold.signum() < 0 || threshold.compareTo(required) > 0) {
            throw new IllegalArgumentException("a charge needs 0 <= threshold <= required, got " + threshold + " and " + required);
        }
    }

    public static Charge sponsored(Instant at) {
        return new Charge(PaymentMode.SPONSORED, BigInteger.ZERO, BigInteger.ZERO, 0, at);
    }

    /** Whether {@code paid} wei delivers under this charge. */
    public boolean coveredBy(BigInteger paid) {
        return mode == PaymentMode.SPONSORED || paid.compareTo(threshold) >= 0;
    }

    /** What pays the quote in full, given {@code paid} (0 once it is reached, and for a sponsored route). */
    public BigInteger missing(BigInteger paid) {
        return mode == PaymentMode.SPONSORED ? BigInteger.ZERO : required.subtract(paid).max(BigInteger.ZERO);
    }
}
