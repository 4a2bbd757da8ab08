package io.courier.oracle;

import java.math.BigInteger;
import java.time.Instant;
import java.util.Objects;

/**
 * One value one source reported for one asset, as a fixed-decimals integer: a token price is USD ×
 * 10^{@link #USD_DECIMALS}, a gas price ({@link GasAsset}) is wei per gas. {@code observedAt} is when the value was
 * true according to the source (a feed's {@code updatedAt}), not when it was read, so staleness is judged honestly.
 */
public record PriceObservation(String asset, String source, BigInteger value, Instant observedAt) {

    /** Decimals of every token price: USD × 10^8, as Chainlink's USD feeds. */
    public static final int USD_DECIMALS = 8;

    public PriceObservation {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(observedAt, "observedAt");
    }
}
