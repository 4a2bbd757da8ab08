package io.courier.testkit;

/** A local part (chain, database) failed to start or to answer; the message names it and points at its log. */
public class LocalPartException extends RuntimeException {
    public LocalPartException(String message) {
        super(message);
    }

    public LocalPartException(String message, Throwable cause) {
        super(message, cause);
    }
}
