package io.courier.client;

import com.fasterxml.jackson.annotation.JsonEnumDefaultValue;

/**
 * Where a transfer is, as the node says it. The node's list of statuses is append-only (never renamed, never
 * removed, new ones added at the end), so a client older than its node may meet a status it does not know: it reads
 * as {@link #UNKNOWN} instead of failing, and {@link #isTerminal()} is false for it.
 */
public enum TransferStatus {
    SENT, FINALIZED, UNDERPAID, ATTESTED, SUBMITTED, DELIVERED, FAILED, REORGED, UNDELIVERABLE,
    /** An operator stopped work on it; an unpark returns it to where it was. */
    PARKED,
    /** A status newer than this client. */
    @JsonEnumDefaultValue UNKNOWN;

    /** DELIVERED or REORGED: nothing follows. */
    public boolean isTerminal() {
        return this == DELIVERED || this == REORGED;
    }

    /** FAILED, UNDELIVERABLE or PARKED: nothing follows until an operator acts (a retry, an unpark). */
    public boolean waitsForOperator() {
        return this == FAILED || this == UNDELIVERABLE || this == PARKED;
    }
}
