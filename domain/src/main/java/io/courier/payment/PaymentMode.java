package io.courier.payment;

import java.util.Locale;

/** How a route's messages are paid for. Configured by its lower-case name ({@code required}, {@code sponsored}). */
public enum PaymentMode {
    /** Delivered only once the message's payments reach the quote at finality (less the route's tolerance). */
    REQUIRED,
    /** Delivered whatever was paid: the operator pays this route's destination gas. */
    SPONSORED;

    /** The mode named {@code name} (any case); the error lists the names. */
    public static PaymentMode parse(String name) {
        for (PaymentMode mode : values()) {
            if (mode.name().equalsIgnoreCase(name.trim())) {
                return mode;
            }
        }
        throw new IllegalArgumentException("'" + name + "' is not a payment policy (required or sponsored)");
    }

    /** The name as configured and shown by the API. */
    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
