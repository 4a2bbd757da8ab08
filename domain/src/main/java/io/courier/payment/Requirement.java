package io.courier.payment;

import java.math.BigInteger;
import java.util.Objects;

/** What a message must pay, as the oracle said at the moment of asking: a quote, or why there is none. */
public sealed interface Requirement {

    /** {@code fee} wei of the source chain's native token, for {@code gasLimit} handler gas. */
    record Quoted(BigInteger fee, long gasLimit) implements Requirement {
        public Quoted {
            Objects.requireNonNull(fee, "fee");
            if (fee.signum() < 0) {
                throw new IllegalArgumentException("a fee is never negative, got " + fee);
            }
        }
    }

    /** No quote: {@code reason} names the price that is missing and why (e.g. too few sources agree). */
    record Unavailable(String reason) implements Requirement {
        public Unavailable {
            if (reason == null || reason.isBlank()) {
                throw new IllegalArgumentException("an unavailable quote needs a reason");
            }
        }
    }
}
