package io.courier.payment;

import java.math.BigInteger;
import java.util.Objects;

/** What a finalized message's payments allow. */
public sealed interface PaymentVerdict {

    /** Whether the message may go on to attestation and delivery. */
    boolean deliverable();

    /** The route is sponsored: delivered whatever was paid ({@code paid}, for the record). */
    record Sponsored(BigInteger paid) implements PaymentVerdict {
        public Sponsored {
            Objects.requireNonNull(paid, "paid");
        }

        @Override
        public boolean deliverable() {
            return true;
        }
    }

    /** {@code paid} reaches {@code required} (the quote) less the tolerance. */
    record Paid(BigInteger paid, BigInteger required) implements PaymentVerdict {
        public Paid {
            Objects.requireNonNull(paid, "paid");
            Objects.requireNonNull(required, "required");
        }

        @Override
        public boolean deliverable() {
            return true;
        }
    }

    /**
     * {@code paid} is below {@code required} less the tolerance: held until a top-up. {@code missing} is what pays the
     * quote in full ({@code required - paid}), the amount the API tells the user to top up.
     */
    record Underpaid(BigInteger paid, BigInteger required) implements PaymentVerdict {
        public Underpaid {
            Objects.requireNonNull(paid, "paid");
            Objects.requireNonNull(required, "required");
            if (paid.compareTo(required) >= 0) {
                throw new IllegalArgumentException("paid " + paid + " is not below the quote " + required);
            }
        }

        public BigInteger missing() {
            return required.subtract(paid);
        }

        @Override
        public boolean deliverable() {
            return false;
        }
    }

    /** A required route but no quote: the message waits (never delivered free) until the oracle can quote. */
    record NoQuote(BigInteger paid, String reason) implements PaymentVerdict {
        public NoQuote {
            Objects.requireNonNull(paid, "paid");
            Objects.requireNonNull(reason, "reason");
        }

        @Override
        public boolean deliverable() {
            return false;
        }
    }
}
