package io.courier.oracle;

/** Why an asset has no price. Shown by the API as the {@code reason} of a refused quote: append-only by habit. */
public enum NoPriceReason {
    /** Fewer sources were accepted than the asset's {@code min-sources}: quoting stops rather than guessing. */
    TOO_FEW_SOURCES,
    /** No source is configured for the asset (or the chain has no native asset configured). */
    NOT_CONFIGURED,
    /** The sources have not been polled yet since the node started. */
    NOT_YET_OBSERVED,
    /** A price was aggregated, but too long ago: the poller has stopped getting fresh values. */
    EXPIRED
}
