package io.courier.oracle;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What quoting needs besides prices: the chains this node relays between, each chain's native asset (by chain id), the gas and margin of each route
 * (or the defaults), how long a quote holds, and the largest handler gas a quote may be asked for.
 */
public record QuotePolicy(java.util.Set<Long> chains, Map<Long, String> nativeAssets, RouteFees defaults, Map<Route, RouteFees> routes,
                          Duration validity, long maxGasLimit) {

    public record Route(long from, long to) {
        @Override
        public String toString() {
            return from + "->" + to;
        }
    }

    /**
     * {@code overheadGas}: what the destination gateway's {@code execute} costs besides the handler's gas (the
     * measured lone execute: signatures, bookkeeping, calldata of a small payload); {@code margin}: a ratio added on
     * top (0.1 = 10 %) for price moves while the quote is valid.
     */
    public record RouteFees(BigDecimal margin, long overheadGas) {
        public RouteFees {
            Objects.requireNonNull(margin, "margin");
            if (margin.signum() < 0) {
                throw new IllegalArgumentException("margin must not be negative, was " + margin);
            }
            if (overheadGas < 0) {
                throw new IllegalArgumentException("overhead gas must not be negative, was " + overheadGas);
            }
        }
    }

    public QuotePolicy {
        chains = java.util.Set.copyOf(chains);
        nativeAssets = Map.copyOf(nativeAssets);
        Objects.requireNonNull(defaults, "defaults");
        routes = Map.copyOf(routes);
        Objects.requireNonNull(validity, "validity");
        if (validity.isNegative() || validity.isZero()) {
            throw new IllegalArgumentException("quote validity must be positive, was " + validity);
        }
        if (maxGasLimit <= 0) {
            throw new IllegalArgumentException("max gas limit must be positive, was " + maxGasLimit);
        }
    }

    public RouteFees fees(long from, long to) {
        return routes.getOrDefault(new Route(from, to), defaults);
    }

    public Optional<String> nativeAsset(long chainId) {
        return Optional.ofNullable(nativeAssets.get(chainId));
    }
}
