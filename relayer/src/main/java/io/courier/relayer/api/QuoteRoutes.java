package io.courier.relayer.api;

import io.courier.oracle.AggregatedPrice.Price;
import io.courier.oracle.GasAsset;
import io.courier.oracle.PriceObservation;
import io.courier.oracle.QuotePolicy;
import io.courier.oracle.QuoteResult;
import io.courier.oracle.QuoteResult.Quote;
import io.courier.oracle.QuoteResult.Refused;
import io.courier.oracle.Quoter;
import io.courier.relayer.status.OraclePrices;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * {@code GET /v1/quote?from=&to=&gasLimit=}: what a message from chain {@code from} whose handler may use
 * {@code gasLimit} gas on chain {@code to} costs, in wei of {@code from}'s native token, from the latest aggregated
 * prices ({@link Quoter}). A route this node does not relay or a gas limit it would never submit is a 400 naming the
 * parameter; a missing price is a 503 {@code urn:courier:problem:no-price} saying which and why.
 */
public final class QuoteRoutes extends ApiDirectives {

    public static final String QUOTE = "/v1/quote";

    /** A price as the quote shows it: a token's in USD (decimal string), gas in wei per gas (decimal string). */
    public record PriceUsed(String asset, String value, String unit, List<String> sources, Instant freshUntil) {}

    public record Prices(PriceUsed destinationGas, PriceUsed sourceToken, PriceUsed destinationToken) {}

    public record QuoteView(long from, long to, String fee, long gasLimit, long overheadGas, long gas, String margin,
                            Instant quotedAt, Instant validUntil, Prices prices) {}

    public record RejectionView(String source, String reason, String detail) {}

    private final OraclePrices prices;
    private final QuotePolicy policy;
    private final Clock clock;

    public QuoteRoutes(OraclePrices prices, QuotePolicy policy, Clock clock, ApiJson json) {
        super(json);
        this.prices = Objects.requireNonNull(prices, "prices");
        this.policy = Objects.requireNonNull(policy, "policy");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    public Route route() {
        return path(PathMatchers.segment("v1").slash("quote"), () -> template(QUOTE, () -> get(() ->
                strictQuery(List.of("from", "to", "gasLimit"), List.of(), q -> quote(
                        ApiParams.chainId("from", q.get("from")), ApiParams.chainId("to", q.get("to")),
                        ApiParams.gasLimit("gasLimit", q.get("gasLimit")))))));
    }

    private Route quote(long from, long to, long gasLimit) {
        QuoteResult result = Quoter.quote(prices.current(), policy, from, to, gasLimit, clock.instant());
        if (result instanceof Quote q) {
            return complete(json.ok(view(q)));
        }
        return completeProblem(problem((Refused) result, from));
    }

    private Problem problem(Refused refused, long from) {
        return switch (refused.refusal()) {
            case UNKNOWN_ROUTE -> Problem.badParameter(Problem.INVALID_PARAMETER,
                    policy.chains().contains(from) ? "to" : "from", refused.detail());
            case GAS_LIMIT_TOO_HIGH -> Problem.badParameter(Problem.INVALID_PARAMETER, "gasLimit", refused.detail());
            case NO_PRICE -> {
                Problem p = Problem.of(Problem.NO_PRICE, "No price", 503, refused.detail())
                        .with("reason", refused.noPrice().map(Enum::name).orElse("UNKNOWN"));
                if (refused.asset().isPresent()) {
                    p = p.with("asset", refused.asset().get());
                }
                yield p.with("rejected", refused.rejected().stream()
                        .map(r -> new RejectionView(r.source(), r.reason().label(), r.detail())).toList());
            }
        };
    }

    static QuoteView view(Quote q) {
        return new QuoteView(q.from(), q.to(), q.fee().toString(), q.gasLimit(), q.overheadGas(), q.gas(),
                q.margin().toPlainString(), q.quotedAt(), q.validUntil(),
                new Prices(used(q.dstGasPrice()), used(q.srcTokenPrice()), used(q.dstTokenPrice())));
    }

    private static PriceUsed used(Price p) {
        boolean gas = GasAsset.isGas(p.asset());
        String value = gas ? p.value().toString()
                : new BigDecimal(p.value()).movePointLeft(PriceObservation.USD_DECIMALS).toPlainString();
        return new PriceUsed(p.asset(), value, gas ? "wei/gas" : "USD", p.sources(), p.freshUntil());
    }
}
