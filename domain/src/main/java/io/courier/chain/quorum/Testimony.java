package io.courier.chain.quorum;

import java.util.Objects;

/**
 * What one endpoint said when asked to confirm a message.
 *
 * @param endpoint the endpoint's label (host and port, never a URL with credentials)
 * @param detail   why it denied, or the error that kept it from answering; empty when it vouched
 */
public record Testimony(String endpoint, Verdict verdict, String detail) {

    public enum Verdict {
        /** It holds the transaction, its log and its block exactly as recorded. */
        VOUCHES,
        /** It answered, and the answer contradicts the record (no receipt, another block, no such log, ...). */
        DENIES,
        /** It did not answer (timeout, error): counts neither way. */
        UNAVAILABLE
    }

    public Testimony {
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(verdict, "verdict");
        Objects.requireNonNull(detail, "detail");
    }

    public static Testimony vouches(String endpoint) {
        return new Testimony(endpoint, Verdict.VOUCHES, "");
    }

    public static Testimony denies(String endpoint, String why) {
        return new Testimony(endpoint, Verdict.DENIES, why);
    }

    public static Testimony unavailable(String endpoint, String error) {
        return new Testimony(endpoint, Verdict.UNAVAILABLE, error);
    }

    @Override
    public String toString() {
        return endpoint + " " + verdict.name().toLowerCase(java.util.Locale.ROOT) + (detail.isEmpty() ? "" : " (" + detail + ")");
    }
}
