package io.courier.oracle;

import java.util.Map;
import java.util.Optional;

/** The latest aggregate of every asset (token prices and {@link GasAsset gas prices}), as one immutable snapshot. */
public record PriceBook(Map<String, AggregatedPrice> prices) {

    public static final PriceBook EMPTY = new PriceBook(Map.of());

    public PriceBook {
        prices = Map.copyOf(prices);
    }

    public Optional<AggregatedPrice> get(String asset) {
        return Optional.ofNullable(prices.get(asset));
    }

    /** This book with {@code price} as its asset's latest aggregate. */
    public PriceBook with(AggregatedPrice price) {
        java.util.HashMap<String, AggregatedPrice> next = new java.util.HashMap<>(prices);
        next.put(price.asset(), price);
        return new PriceBook(next);
    }
}
