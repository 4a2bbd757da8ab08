package io.courier.fees;

import java.util.Locale;

/** How a chain is priced: detected from its blocks, or fixed by configuration. */
public enum FeeMode {
    /** EIP-1559 when the chain's blocks carry a base fee, legacy {@code gasPrice} when they do not. */
    AUTO,
    EIP1559,
    LEGACY;

    /** From a configuration value: {@code auto}, {@code eip1559} or {@code legacy}, any case. */
    public static FeeMode parse(String value) {
        if (value != null) {
            for (FeeMode mode : values()) {
                if (mode.name().equals(value.trim().toUpperCase(Locale.ROOT))) {
                    return mode;
                }
            }
        }
        throw new IllegalArgumentException("fee mode must be auto, eip1559 or legacy, was " + value);
    }

    public String configValue() {
        return name().toLowerCase(Locale.ROOT);
    }
}
