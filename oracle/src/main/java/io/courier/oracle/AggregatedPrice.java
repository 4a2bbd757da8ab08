package io.courier.oracle;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/** The outcome of aggregating one asset's sources: a {@link Price}, or {@link NoPrice} and why. */
public sealed interface AggregatedPrice {

    String asset();

    /** Every source left out, with its reason. */
    List<Rejection> rejected();

    /**
     * The median of the accepted observations. {@code freshUntil}: the moment fewer than {@code min-sources} of them
     * would still be fresh, after which the price must not be used any more (the poller may have stopped).
     */
    record Price(String asset, BigInteger value, List<PriceObservation> used, List<Rejection> rejected,
                 Instant aggregatedAt, Instant freshUntil) implements AggregatedPrice {
        public Price {
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(value, "value");
            used = List.copyOf(used);
            rejected = List.copyOf(rejected);
            Objects.requireNonNull(aggregatedAt, "aggregatedAt");
            Objects.requireNonNull(freshUntil, "freshUntil");
            if (used.isEmpty()) {
                throw new IllegalArgumentException("a price of " + asset + " rests on at least one source");
            }
        }

        public List<String> sources() {
            return used.stream().map(PriceObservation::source).toList();
        }
    }

    record NoPrice(String asset, NoPriceReason reason, String detail, List<Rejection> rejected) implements AggregatedPrice {
        public NoPrice {
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(detail, "detail");
            rejected = List.copyOf(rejected);
        }
    }
}
