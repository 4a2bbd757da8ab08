package io.courier.oracle;

import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import io.courier.oracle.QuoteResult.Quote;
import io.courier.oracle.QuoteResult.Refusal;
import io.courier.oracle.QuoteResult.Refused;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** Quotes a route from the latest {@link PriceBook}: three prices (destination gas, both native tokens), {@link FeeMath}. */
public final class Quoter {

    private Quoter() {}

    public static QuoteResult quote(PriceBook book, QuotePolicy policy, long from, long to, long gasLimit, Instant now) {
        if (!policy.chains().contains(from) || !policy.chains().contains(to) || from == to) {
            return Refused.of(Refusal.UNKNOWN_ROUTE, "no route " + from + " -> " + to + " on this node (chains "
                    + policy.chains().stream().sorted().toList() + ")");
        }
        if (gasLimit < 0 || gasLimit > policy.maxGasLimit()) {
            return Refused.of(Refusal.GAS_LIMIT_TOO_HIGH, "gas limit " + gasLimit + " is above the " + policy.maxGasLimit()
                    + " this node would submit");
        }
        Object dstGas = price(book, GasAsset.of(to), now);
        if (dstGas instanceof Refused r) {
            return r;
        }
        Object srcToken = token(book, policy, from, now);
        if (srcToken instanceof Refused r) {
            return r;
        }
        Object dstToken = token(book, policy, to, now);
        if (dstToken instanceof Refused r) {
            return r;
        }
        QuotePolicy.RouteFees fees = policy.fees(from, to);
        Price gas = (Price) dstGas;
        Price src = (Price) srcToken;
        Price dst = (Price) dstToken;
        BigInteger fee = FeeMath.fee(gas.value(), BigInteger.valueOf(fees.overheadGas()).add(BigInteger.valueOf(gasLimit)),
                dst.value(), src.value(), fees.margin());
        // a quote never outlives the prices it rests on
        Instant validUntil = java.util.stream.Stream.of(now.plus(policy.validity()), gas.freshUntil(), src.freshUntil(),
                dst.freshUntil()).min(Instant::compareTo).orElseThrow();
        return new Quote(from, to, gasLimit, fees.overheadGas(), fee, fees.margin(), gas, src, dst, now, validUntil);
    }

    private static Object token(PriceBook book, QuotePolicy policy, long chainId, Instant now) {
        Optional<String> asset = policy.nativeAsset(chainId);
        if (asset.isEmpty()) {
            return new Refused(Refusal.NO_PRICE, "chain " + chainId + " has no native asset configured"
                    + " (courier.oracle.native-assets)", Optional.empty(), Optional.of(NoPriceReason.NOT_CONFIGURED), List.of());
        }
        return price(book, asset.get(), now);
    }

    /** The asset's price, or the refusal that names it and why it has none. */
    private static Object price(PriceBook book, String asset, Instant now) {
        Optional<AggregatedPrice> latest = book.get(asset);
        if (latest.isEmpty()) {
            return new Refused(Refusal.NO_PRICE, "no price of " + asset + " observed yet", Optional.of(asset),
                    Optional.of(NoPriceReason.NOT_YET_OBSERVED), List.of());
        }
        if (latest.get() instanceof NoPrice none) {
            return new Refused(Refusal.NO_PRICE, "no price of " + asset + ": " + none.detail(), Optional.of(asset),
                    Optional.of(none.reason()), none.rejected());
        }
        Price price = (Price) latest.get();
        if (now.isAfter(price.freshUntil())) {
            return new Refused(Refusal.NO_PRICE, "the price of " + asset + " aggregated at " + price.aggregatedAt()
                    + " expired at " + price.freshUntil() + " (no fresh aggregate since)", Optional.of(asset),
                    Optional.of(NoPriceReason.EXPIRED), price.rejected());
        }
        return price;
    }
}
