package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import io.courier.oracle.GasAsset;
import io.courier.oracle.NoPriceReason;
import io.courier.oracle.PriceBook;
import io.courier.oracle.PriceObservation;
import io.courier.oracle.QuotePolicy;
import io.courier.oracle.Rejection;
import io.courier.oracle.RejectionReason;
import io.courier.relayer.api.ApiServer.Reply;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class QuoteRoutesTest {

    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final QuotePolicy POLICY = new QuotePolicy(Set.of(1001L, 1002L), Map.of(1001L, "ETH", 1002L, "POL"),
            new QuotePolicy.RouteFees(new BigDecimal("0.1"), 71_000), Map.of(), Duration.ofMinutes(1), 1_500_000);

    private final AtomicReference<PriceBook> book = new AtomicReference<>(PriceBook.EMPTY);

    private static Price price(String asset, long value, String... sources) {
        List<PriceObservation> used = java.util.Arrays.stream(sources)
                .map(s -> new PriceObservation(asset, s, BigInteger.valueOf(value), NOW)).toList();
        return new Price(asset, BigInteger.valueOf(value), used, List.of(), NOW, NOW.plus(Duration.ofHours(1)));
    }

    private static PriceBook allPrices() {
        return PriceBook.EMPTY.with(price("ETH", 3_000_00000000L, "feed", "static"))
                .with(price("POL", 50000000L, "http"))
                .with(price(GasAsset.of(1001), 20_000_000_000L, "ganache-1"))
                .with(price(GasAsset.of(1002), 30_000_000_000L, "ganache-2"));
    }

    private ApiServer server() {
        return new ApiServer(api -> api.withQuotes(book::get, POLICY, Clock.fixed(NOW, ZoneOffset.UTC)));
    }

    @Test
    void quotesTheFeeInSourceWeiWithThePricesAndSourcesItUsed() {
        book.set(allPrices());
        try (ApiServer server = server()) {
            Reply reply = server.get("/v1/quote?from=1002&to=1001&gasLimit=200000");

            assertThat(reply.status()).isEqualTo(200);
            assertThat(reply.contentType()).isEqualTo("application/json");
            JsonNode q = reply.json();
            // 20 gwei × 271,000 gas × $3000 / $0.5 × 1.1
            assertThat(q.get("fee").asText()).isEqualTo("35772000000000000000");
            assertThat(q.get("gasLimit").asLong()).isEqualTo(200_000);
            assertThat(q.get("overheadGas").asLong()).isEqualTo(71_000);
            assertThat(q.get("gas").asLong()).isEqualTo(271_000);
            assertThat(q.get("margin").asText()).isEqualTo("0.1");
            assertThat(q.get("validUntil").asText()).isEqualTo("2026-12-04T12:01:00Z");
            JsonNode prices = q.get("prices");
            assertThat(prices.get("destinationGas").get("asset").asText()).isEqualTo("gas:1001");
            assertThat(prices.get("destinationGas").get("value").asText()).isEqualTo("20000000000");
            assertThat(prices.get("destinationGas").get("unit").asText()).isEqualTo("wei/gas");
            assertThat(prices.get("destinationToken").get("value").asText()).isEqualTo("3000.00000000");
            assertThat(prices.get("destinationToken").get("sources")).extracting(JsonNode::asText).containsExactly("feed", "static");
            assertThat(prices.get("sourceToken").get("asset").asText()).isEqualTo("POL");
        }
    }

    @Test
    void aMissingPriceIsA503ProblemWithTheReasonTheAssetAndTheRejectedSources() {
        book.set(allPrices().with(new NoPrice("ETH", NoPriceReason.TOO_FEW_SOURCES, "1 of 3 source(s) of ETH accepted",
                List.of(new Rejection("http", RejectionReason.DEVIATING, "100x the median")))));
        try (ApiServer server = server()) {
            Reply reply = server.get("/v1/quote?from=1002&to=1001&gasLimit=200000");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.contentType()).isEqualTo("application/problem+json");
            JsonNode p = reply.json();
            assertThat(p.get("type").asText()).isEqualTo("urn:courier:problem:no-price");
            assertThat(p.get("reason").asText()).isEqualTo("TOO_FEW_SOURCES");
            assertThat(p.get("asset").asText()).isEqualTo("ETH");
            assertThat(p.get("detail").asText()).contains("1 of 3");
            assertThat(p.get("rejected").get(0).get("source").asText()).isEqualTo("http");
            assertThat(p.get("rejected").get(0).get("reason").asText()).isEqualTo("deviating");
            assertThat(p.get("instance").asText()).isEqualTo("/v1/quote");
        }
    }

    @Test
    void beforeTheFirstPollThereIsNoQuoteYet() {
        try (ApiServer server = server()) {
            Reply reply = server.get("/v1/quote?from=1002&to=1001&gasLimit=1");

            assertThat(reply.status()).isEqualTo(503);
            assertThat(reply.json().get("reason").asText()).isEqualTo("NOT_YET_OBSERVED");
        }
    }

    @Test
    void badParametersAre400sNamingTheParameter() {
        book.set(allPrices());
        record Case(String query, String parameter, String type) {}
        try (ApiServer server = server()) {
            for (Case c : List.of(
                    new Case("from=1002&to=1001", "gasLimit", "urn:courier:problem:missing-parameter"),
                    new Case("from=1002&to=1001&gasLimit=-1", "gasLimit", "urn:courier:problem:invalid-parameter"),
                    new Case("from=1002&to=1001&gasLimit=1e6", "gasLimit", "urn:courier:problem:invalid-parameter"),
                    new Case("from=1002&to=1001&gasLimit=1500001", "gasLimit", "urn:courier:problem:invalid-parameter"),
                    new Case("from=7&to=1001&gasLimit=1", "from", "urn:courier:problem:invalid-parameter"),
                    new Case("from=1001&to=7&gasLimit=1", "to", "urn:courier:problem:invalid-parameter"),
                    new Case("from=1001&to=1001&gasLimit=1", "to", "urn:courier:problem:invalid-parameter"),
                    new Case("from=1001&to=1002&gasLimit=1&x=1", "x", "urn:courier:problem:unexpected-parameter"))) {
                Reply reply = server.get("/v1/quote?" + c.query());

                assertThat(reply.status()).as(c.query()).isEqualTo(400);
                assertThat(reply.json().get("parameter").asText()).as(c.query()).isEqualTo(c.parameter());
                assertThat(reply.json().get("type").asText()).as(c.query()).isEqualTo(c.type());
            }
        }
    }

    @Test
    void withoutTheOracleTheRouteDoesNotExist() {
        try (ApiServer server = new ApiServer(new InMemoryTransferQueries())) {
            assertThat(server.get("/v1/quote?from=1002&to=1001&gasLimit=1").status()).isEqualTo(404);
        }
    }
}
