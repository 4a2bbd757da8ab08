package io.courier.finality.store;

/**
 * A store operation failed; the message names the operation and the message id, chain or signer it was about.
 *
 * <p>{@link #outcomeUnknown()} is true when the database timed out on a write: the write may or may not have
 * been applied. Every write of the stores is idempotent or reported as an outcome (a retried transition that
 * did land comes back as {@link TransitionOutcome.AlreadyApplied}), so the answer is to retry it.
 */
public class StoreException extends RuntimeException {

    private final boolean outcomeUnknown;

    public StoreException(String message, Throwable cause, boolean outcomeUnknown) {
        super(message, cause);
        this.outcomeUnknown = outcomeUnknown;
    }

    public StoreException(String message) {
        super(message);
        this.outcomeUnknown = false;
    }

    public boolean outcomeUnknown() {
        return outcomeUnknown;
    }
}
