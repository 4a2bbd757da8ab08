package io.courier.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.contracts.PriceFeed;
import io.courier.testkit.LocalChain;
import java.io.PrintStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * The demo's price oracle: an AggregatorV3-style {@code PriceFeed} on each chain for its native token, a static price
 * as the second source (min-sources 2), and the {@code courier.oracle} config that reads them; once the node runs,
 * the quote of each route as {@code GET /v1/quote} gives it.
 */
final class DemoPrices {

    /** Each chain's native token and its demo price in USD. */
    record Asset(long chainId, String name, BigDecimal usd) {}

    private static final int FEED_DECIMALS = 8;

    private DemoPrices() {}

    /** Deploys one feed per asset on its chain, set to its price now; the {@code courier.oracle} config over them. */
    static Config deploy(List<LocalChain> chains, List<Asset> assets) throws Exception {
        List<Map<String, Object>> assetConfig = new ArrayList<>();
        List<Map<String, Object>> natives = new ArrayList<>();
        for (Asset asset : assets) {
            LocalChain chain = chains.stream().filter(c -> c.chainId() == asset.chainId()).findFirst().orElseThrow();
            RawTransactionManager deployer = new RawTransactionManager(chain.web3j(), LocalChain.account(DemoNetwork.DEPLOYER),
                    chain.chainId(), new PollingTransactionReceiptProcessor(chain.web3j(), 100, 600));
            StaticGasProvider gas = new StaticGasProvider(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(3_000_000));
            PriceFeed feed = PriceFeed.deploy(chain.web3j(), deployer, gas, BigInteger.valueOf(FEED_DECIMALS),
                    asset.name() + " / USD").send();
            feed.setAnswer(asset.usd().movePointRight(FEED_DECIMALS).toBigIntegerExact()).send();
            assetConfig.add(Map.of("name", asset.name(), "min-sources", 2, "max-age", "1h", "sources", List.of(
                    Map.of("type", "feed", "name", "feed-" + chain.name(), "chain-id", chain.chainId(),
                            "address", feed.getContractAddress()),
                    Map.of("type", "static", "name", "demo-static", "usd", asset.usd().toPlainString()))));
            natives.add(Map.of("chain-id", asset.chainId(), "asset", asset.name()));
        }
        Map<String, Object> oracle = new LinkedHashMap<>();
        oracle.put("poll-interval", "5s");
        oracle.put("assets", assetConfig);
        oracle.put("native-assets", natives);
        // with prices to quote from, the demo's routes are paid for: its traffic pays the quote (see Demo)
        return ConfigFactory.parseMap(Map.of("courier", Map.of("oracle", oracle, "payment", Map.of("policy", "required"))));
    }

    /**
     * The fee {@code GET /v1/quote} asks for {@code from -> to} and {@code gasLimit} handler gas, if the node can quote now.
     */
    static java.util.Optional<BigInteger> fee(String apiUrl, long from, long to, long gasLimit) {
        try {
            HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(apiUrl
                    + "/v1/quote?from=" + from + "&to=" + to + "&gasLimit=" + gasLimit)).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200
                    ? java.util.Optional.of(new BigInteger(new ObjectMapper().readTree(response.body()).get("fee").asText()))
                    : java.util.Optional.empty();
        } catch (java.io.IOException e) {
            return java.util.Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return java.util.Optional.empty();
        }
    }

    /**
     * Prints the quote of {@code from -> to} for {@code gasLimit} handler gas, waiting up to {@code patience} for the
     * first poll; a refusal is printed with its reason. The demo goes on either way.
     */
    static void printQuote(PrintStream out, String apiUrl, long from, long to, long gasLimit, String route, Duration patience)
            throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        ObjectMapper json = new ObjectMapper();
        Instant giveUp = Instant.now().plus(patience);
        String answer = "no answer";
        while (Instant.now().isBefore(giveUp)) {
            try {
                HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(apiUrl + "/v1/quote?from=" + from
                        + "&to=" + to + "&gasLimit=" + gasLimit)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                JsonNode body = json.readTree(response.body());
                if (response.statusCode() == 200) {
                    JsonNode prices = body.get("prices");
                    out.printf("  quote %-12s %s wei (%s) for %d gas: gas %s wei/gas on the destination, %s at $%s, %s at $%s,"
                                    + " margin %s, valid until %s%n", route, body.get("fee").asText(),
                            new BigDecimal(body.get("fee").asText()).movePointLeft(18).stripTrailingZeros().toPlainString()
                                    + " " + prices.get("sourceToken").get("asset").asText(),
                            body.get("gas").asLong(), prices.get("destinationGas").get("value").asText(),
                            prices.get("destinationToken").get("asset").asText(), prices.get("destinationToken").get("value").asText(),
                            prices.get("sourceToken").get("asset").asText(), prices.get("sourceToken").get("value").asText(),
                            body.get("margin").asText(), body.get("validUntil").asText());
                    return;
                }
                answer = body.path("reason").asText() + ": " + body.path("detail").asText();
            } catch (java.io.IOException e) {
                answer = e.toString();
            }
            Thread.sleep(500);
        }
        out.printf("  quote %-12s none yet (%s)%n", route, answer);
    }
}
