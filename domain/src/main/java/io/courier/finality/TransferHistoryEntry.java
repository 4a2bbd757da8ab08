package io.courier.finality;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * One row of a transfer's history: at {@code at}, the transfer moved from {@code from} to {@code to} because of
 * {@code cause}. The first entry is the observation itself and has no {@code from} ({@code null}; use
 * {@link #previous()} for an {@code Optional}).
 */
public record TransferHistoryEntry(Instant at, TransferStatus from, TransferStatus to, String cause) {
    public TransferHistoryEntry {
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(to, "to");
        Objects.requireNonNull(cause, "cause");
    }

    public Optional<TransferStatus> previous() {
        return Optional.ofNullable(from);
    }
}
