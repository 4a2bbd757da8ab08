package io.courier.oracle.onchain;

import java.util.Locale;

/** Why the updater pushed: the {@code reason} label of {@code courier_oracle_updates_total}. */
public enum UpdateReason {
    /** A value moved more than the deviation threshold from what the contract holds (or it holds nothing yet). */
    DEVIATION,
    /** Nothing moved enough, but the contract's values are older than the heartbeat. */
    HEARTBEAT;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
