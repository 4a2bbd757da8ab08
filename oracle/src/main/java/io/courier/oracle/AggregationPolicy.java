package io.courier.oracle;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Objects;

/**
 * How one asset's sources are judged: at least {@code minSources} must be accepted for a price; an observation
 * older than {@code maxAge} is stale; one further than {@code maxDeviation} (a ratio: 0.05 = 5 %) from the median is
 * an outlier.
 */
public record AggregationPolicy(int minSources, Duration maxAge, BigDecimal maxDeviation) {
    public AggregationPolicy {
        Objects.requireNonNull(maxAge, "maxAge");
        Objects.requireNonNull(maxDeviation, "maxDeviation");
        if (minSources < 1) {
            throw new IllegalArgumentException("min-sources must be at least 1, was " + minSources);
        }
        if (maxAge.isNegative() || maxAge.isZero()) {
            throw new IllegalArgumentException("max-age must be positive, was " + maxAge);
        }
        if (maxDeviation.signum() <= 0) {
            throw new IllegalArgumentException("max-deviation must be positive, was " + maxDeviation);
        }
    }
}
