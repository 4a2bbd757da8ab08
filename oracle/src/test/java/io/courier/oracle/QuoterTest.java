package io.courier.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import io.courier.oracle.QuoteResult.Quote;
import io.courier.oracle.QuoteResult.Refusal;
import io.courier.oracle.QuoteResult.Refused;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuoterTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final QuotePolicy POLICY = new QuotePolicy(Set.of(1L, 2L), Map.of(1L, "ETH", 2L, "POL"),
            new QuotePolicy.RouteFees(new BigDecimal("0.1"), 71_000),
            Map.of(new QuotePolicy.Route(2, 1), new QuotePolicy.RouteFees(BigDecimal.ZERO, 80_000)),
            Duration.ofMinutes(1), 1_500_000);

    static Price price(String asset, long value, Instant freshUntil) {
        return new Price(asset, BigInteger.valueOf(value),
                List.of(new PriceObservation(asset, "static", BigInteger.valueOf(value), NOW)), List.of(), NOW, freshUntil);
    }

    private static PriceBook book() {
        Instant later = NOW.plus(Duration.ofHours(1));
        return PriceBook.EMPTY.with(price("ETH", 2_000_00000000L, later)).with(price("POL", 50000000L, later))
                .with(price(GasAsset.of(1), 20_000_000_000L, later)).with(price(GasAsset.of(2), 30_000_000_000L, later));
    }

    @Test
    void quotesTheDestinationsGasInTheSourcesTokenWithTheRoutesFees() {
        Quote quote = (Quote) Quoter.quote(book(), POLICY, 2, 1, 200_000, NOW);

        // 20 gwei × (80,000 + 200,000) gas × $2000 / $0.5, no margin on this route
        assertThat(quote.fee()).isEqualTo(BigInteger.valueOf(20_000_000_000L * 280_000L).multiply(BigInteger.valueOf(4000)));
        assertThat(quote.gas()).isEqualTo(280_000);
        assertThat(quote.validUntil()).isEqualTo(NOW.plus(Duration.ofMinutes(1)));
        assertThat(quote.dstGasPrice().asset()).isEqualTo("gas:1");
    }

    @Test
    void aQuoteNeverOutlivesItsPrices() {
        PriceBook soon = book().with(price("POL", 50000000L, NOW.plusSeconds(10)));

        assertThat(((Quote) Quoter.quote(soon, POLICY, 2, 1, 0, NOW)).validUntil()).isEqualTo(NOW.plusSeconds(10));
    }

    @Test
    void refusesWithTheMissingPriceAndWhy() {
        PriceBook none = book().with(new NoPrice("ETH", NoPriceReason.TOO_FEW_SOURCES, "1 of 3 accepted",
                List.of(new Rejection("http", RejectionReason.DEVIATING, "100x"))));

        Refused refused = (Refused) Quoter.quote(none, POLICY, 2, 1, 1, NOW);

        assertThat(refused.refusal()).isEqualTo(Refusal.NO_PRICE);
        assertThat(refused.asset()).contains("ETH");
        assertThat(refused.noPrice()).contains(NoPriceReason.TOO_FEW_SOURCES);
        assertThat(refused.rejected()).extracting(Rejection::source).containsExactly("http");
    }

    @Test
    void refusesAnExpiredPriceAnUnobservedOneAndABadRoute() {
        assertThat(((Refused) Quoter.quote(book(), POLICY, 1, 2, 1, NOW.plus(Duration.ofHours(2)))).noPrice())
                .contains(NoPriceReason.EXPIRED);
        assertThat(((Refused) Quoter.quote(PriceBook.EMPTY, POLICY, 1, 2, 1, NOW)).noPrice())
                .contains(NoPriceReason.NOT_YET_OBSERVED);
        assertThat(((Refused) Quoter.quote(book(), POLICY, 1, 3, 1, NOW)).refusal()).isEqualTo(Refusal.UNKNOWN_ROUTE);
        assertThat(((Refused) Quoter.quote(book(), POLICY, 1, 1, 1, NOW)).refusal()).isEqualTo(Refusal.UNKNOWN_ROUTE);
        assertThat(((Refused) Quoter.quote(book(), POLICY, 1, 2, 1_500_001, NOW)).refusal()).isEqualTo(Refusal.GAS_LIMIT_TOO_HIGH);
    }
}
