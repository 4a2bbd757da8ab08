package io.courier.finality.store;

/**
 * A store refused a request without sending it: the session's request budget (its throttler's in-flight cap and
 * queue) was full. Nothing was read or written, so the answer is to try again later; the status API answers 503
 * with {@code Retry-After}, never 500.
 */
public class StoreOverloadedException extends StoreException {

    public StoreOverloadedException(String message, Throwable cause) {
        super(message, cause, false);
    }
}
