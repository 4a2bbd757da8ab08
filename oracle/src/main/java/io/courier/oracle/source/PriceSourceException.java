package io.courier.oracle.source;

/** A source answered something that is not a price; the message names the source and the asset. */
public final class PriceSourceException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public PriceSourceException(String message) {
        super(message);
    }

    public PriceSourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
