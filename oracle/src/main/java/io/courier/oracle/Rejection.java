package io.courier.oracle;

import java.util.Objects;

/** One source left out of an aggregate, why, and the numbers behind it ({@code detail}). */
public record Rejection(String source, RejectionReason reason, String detail) {
    public Rejection {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(detail, "detail");
    }
}
