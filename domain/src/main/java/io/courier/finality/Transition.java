package io.courier.finality;

import java.util.Objects;

/** The verdict of {@link TransferStateMachine#apply}: the status an event leads to, or why it may not. */
public sealed interface Transition {

    /** The event moves the transfer to {@code to} (which may equal the current status: a fee-bump replacement). */
    record Moved(TransferStatus to) implements Transition {
        public Moved {
            Objects.requireNonNull(to, "to");
        }
    }

    /** The event is not allowed in the current status; {@code reason} names both. */
    record Rejected(String reason) implements Transition {
        public Rejected {
            Objects.requireNonNull(reason, "reason");
        }
    }
}
