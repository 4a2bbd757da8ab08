package io.courier.relayer.api;

import io.courier.chain.message.MessageId;
import io.courier.finality.TransferStatus;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * Operator actions on one transfer, behind the authenticated admin routes: retry a failed (or undeliverable) one,
 * park one (stop all work on it) and unpark it. Each records who asked and why in the transfer's history.
 */
public interface TransferAdmin {

    /** FAILED or UNDELIVERABLE → ATTESTED: the submitter delivers it again. */
    CompletionStage<Outcome> retry(MessageId id, String by, String reason);

    /** One of {@link io.courier.finality.TransferStateMachine#PARKABLE} → PARKED. */
    CompletionStage<Outcome> park(MessageId id, String by, String reason);

    /** PARKED → the status it was parked from, as its history records. */
    CompletionStage<Outcome> unpark(MessageId id, String by, String reason);

    /** What an action did. */
    sealed interface Outcome {}

    /** Applied (or found already applied by a concurrent identical action): {@code from} → {@code to}. */
    record Done(MessageId id, TransferStatus from, TransferStatus to) implements Outcome {
        public Done {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(from, "from");
            Objects.requireNonNull(to, "to");
        }
    }

    /** No transfer with this id is known. */
    record NotFound(MessageId id) implements Outcome {}

    /** The transfer is in {@code actual}, where the action is not allowed; it is allowed in {@code allowed}. */
    record WrongState(MessageId id, TransferStatus actual, Set<TransferStatus> allowed, String detail) implements Outcome {
        public WrongState {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(actual, "actual");
            allowed = Set.copyOf(allowed);
            Objects.requireNonNull(detail, "detail");
        }
    }
}
