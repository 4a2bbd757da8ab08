package io.courier.relayer.submit;

import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * The submitter's rounds of receipt polls, one at a time: a round reads the head, asks one receipt per transaction,
 * and the next starts only when every poll of this one has answered (or its head read failed). Late answers of an
 * earlier round change nothing. Plain single-threaded state, owned by the submitter actor.
 */
final class ReceiptRounds {

    /** {@code outstanding}: polls not answered yet (empty while the head is read). */
    private record Round(long id, OptionalInt outstanding) {}

    private long started;
    private Optional<Round> current = Optional.empty();

    /** A new round's id; empty while one runs. */
    OptionalLong start() {
        if (current.isPresent()) {
            return OptionalLong.empty();
        }
        current = Optional.of(new Round(++started, OptionalInt.empty()));
        return OptionalLong.of(started);
    }

    boolean isCurrent(long round) {
        return current.map(r -> r.id() == round).orElse(false);
    }

    /** The head of {@code round} was read and {@code polls} receipts are asked (none: the round ends). */
    void asking(long round, int polls) {
        if (isCurrent(round)) {
            current = polls == 0 ? Optional.empty() : Optional.of(new Round(round, OptionalInt.of(polls)));
        }
    }

    /** One poll of {@code round} answered (or failed). */
    void answered(long round) {
        current.filter(r -> r.id() == round).ifPresent(r -> {
            int left = r.outstanding().orElse(1);
            current = left <= 1 ? Optional.empty() : Optional.of(new Round(r.id(), OptionalInt.of(left - 1)));
        });
    }

    /** The head of {@code round} could not be read: true when that ended the round running. */
    boolean headFailed(long round) {
        if (!isCurrent(round)) {
            return false;
        }
        current = Optional.empty();
        return true;
    }
}
