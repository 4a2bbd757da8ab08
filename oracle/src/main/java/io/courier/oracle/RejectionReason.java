package io.courier.oracle;

import java.util.Locale;

/**
 * Why the aggregator left a source out. Exported as the {@code reason} label of
 * {@code courier_oracle_rejections_total} (its {@link #label()}): append-only by habit, never rename a value.
 */
public enum RejectionReason {
    /** The source did not answer, or its answer could not be read. */
    FAILING,
    /** Its value is older than the asset's {@code max-age}. */
    STALE,
    /** Zero or negative: no real price is, and a feed that was never set answers 0. */
    NOT_POSITIVE,
    /** Further from the median of the fresh sources than the asset's {@code max-deviation}. */
    DEVIATING;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
