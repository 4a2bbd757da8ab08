package io.courier.oracle;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class AggregatorTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final AggregationPolicy TWO_OF = new AggregationPolicy(2, Duration.ofMinutes(10), new BigDecimal("0.05"));

    private static SourceReading at(String source, long value, Instant when) {
        return new SourceReading.Observed(new PriceObservation("ETH", source, BigInteger.valueOf(value), when));
    }

    @Test
    void theMedianOfAnEvenCountIsTheMeanOfTheMiddleTwoRoundedDown() {
        Price price = (Price) Aggregator.aggregate("ETH", List.of(at("a", 100, NOW), at("b", 101, NOW), at("c", 102, NOW),
                at("d", 104, NOW)), TWO_OF, NOW);

        assertThat(price.value()).isEqualTo(101); // (101 + 102) / 2, down
        assertThat(price.aggregatedAt()).isEqualTo(NOW);
    }

    @Test
    void aPriceIsFreshUntilTooFewOfItsSourcesWouldBe() {
        Price price = (Price) Aggregator.aggregate("ETH", List.of(at("a", 100, NOW.minusSeconds(300)),
                at("b", 100, NOW.minusSeconds(60)), at("c", 100, NOW.minusSeconds(500))), TWO_OF, NOW);

        // the second newest (min-sources = 2) is 300 s old: 300 s of the 600 s left
        assertThat(price.freshUntil()).isEqualTo(NOW.plusSeconds(300));
    }

    @Test
    void aValueDatedFarInTheFutureIsNotFresh() {
        AggregatedPrice result = Aggregator.aggregate("ETH", List.of(at("a", 100, NOW), at("b", 100, NOW.plus(Duration.ofHours(2)))),
                TWO_OF, NOW);

        assertThat(result).isInstanceOf(NoPrice.class);
        assertThat(result.rejected()).singleElement().satisfies(r -> {
            assertThat(r.reason()).isEqualTo(RejectionReason.STALE);
            assertThat(r.detail()).contains("in the future");
        });
    }

    @Test
    void twoSourcesThatDisagreeGiveNoPriceRatherThanAGuess() {
        AggregatedPrice result = Aggregator.aggregate("ETH", List.of(at("a", 100, NOW), at("b", 300, NOW)),
                new AggregationPolicy(1, Duration.ofMinutes(10), new BigDecimal("0.05")), NOW);

        assertThat(result).isInstanceOf(NoPrice.class);
        assertThat(result.rejected()).extracting(Rejection::reason).containsOnly(RejectionReason.DEVIATING);
    }
}
