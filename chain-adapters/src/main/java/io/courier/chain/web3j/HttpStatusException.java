package io.courier.chain.web3j;

import java.io.IOException;
import java.time.Duration;

/**
 * A non-2xx HTTP answer, raised by {@link HttpStatusInterceptor} before web3j's {@code HttpService} would turn it
 * into a {@code ClientConnectionException} that keeps only the status and body as text. This one keeps the
 * status and the {@code Retry-After} header as values; {@link RpcErrorClassifier} reads it.
 */
final class HttpStatusException extends IOException {

    private final int status;
    private final Duration retryAfter;
    private final String body;

    HttpStatusException(int status, Duration retryAfter, String body) {
        super("HTTP " + status + (retryAfter == null ? "" : " (Retry-After " + retryAfter.toMillis() + " ms)")
                + (body == null || body.isBlank() ? "" : "; " + body));
        this.status = status;
        this.retryAfter = retryAfter;
        this.body = body == null ? "" : body;
    }

    int status() {
        return status;
    }

    /** Null when the answer had no usable {@code Retry-After}. */
    Duration retryAfter() {
        return retryAfter;
    }

    String body() {
        return body;
    }
}
