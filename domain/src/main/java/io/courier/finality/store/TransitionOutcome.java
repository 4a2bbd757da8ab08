package io.courier.finality.store;

import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import java.util.Objects;

/**
 * What {@link TransferStore#transition} did. Races are outcomes, not exceptions: the caller decides what a lost
 * race means for it (usually: drop its work, someone else owns the transfer now).
 */
public sealed interface TransitionOutcome {

    /** The status changed and the history row was written, atomically; {@code updated} is the transfer as written. */
    record Applied(Transfer updated) implements TransitionOutcome {
        public Applied {
            Objects.requireNonNull(updated, "updated");
        }
    }

    /**
     * Nothing was written because the transfer is already where the event leads (for a fee-bump replacement: it
     * already carries the new transaction hash). A node that restarts and replays its last step sees this for its
     * own earlier write; {@code current} lets it compare the details (e.g. the destination tx hash).
     */
    record AlreadyApplied(Transfer current) implements TransitionOutcome {
        public AlreadyApplied {
            Objects.requireNonNull(current, "current");
        }
    }

    /**
     * The transfer is not in the expected status (or, for a replacement, no longer carries the transaction being
     * replaced; for a relocation or {@code markReorged}, is no longer in the block expected — then {@code actual} is
     * {@code SENT}): someone else moved it. Nothing was written.
     */
    record Conflict(MessageId id, TransferStatus actual) implements TransitionOutcome {
        public Conflict {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(actual, "actual");
        }
    }

    /** No transfer with this id was ever recorded. */
    record NotFound(MessageId id) implements TransitionOutcome {
        public NotFound {
            Objects.requireNonNull(id, "id");
        }
    }
}
