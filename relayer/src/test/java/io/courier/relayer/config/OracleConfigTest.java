package io.courier.relayer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.oracle.QuotePolicy;
import io.courier.relayer.config.OracleSettings.SourceSettings;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code courier.oracle} as {@link NodeConfigLoader} reads it: defaults, a full example, and errors naming the key. */
class OracleConfigTest {

    private static final String FEED = "0x5fbdb2315678afecb367f032d93f642f64180aa3";

    private static final String EXAMPLE = """
            courier.oracle {
              native-assets = [ { chain-id = 1, asset = ETH }, { chain-id = 2, asset = ETH } ]
              routes = [ { from = 1, to = 2, margin = 0.25 } ]
              assets = [ { name = ETH, max-age = 30m, sources = [
                { type = feed, name = chainlink, chain-id = 1, address = "%s" }
                { type = http, name = coingecko, url = "https://api.example/price?ids=eth&key=SECRET", pointer = "/ethereum/usd" }
                { type = static, name = ops, usd = "3000.5" }
              ] } ]
            }""".formatted(FEED);

    private static NodeConfig load(String oracle, Path key) {
        return new NodeConfigLoader(Map.of())
                .load(ConfigFactory.parseString(oracle).withFallback(NodeConfigLoaderTest.valid(key)));
    }

    @Test
    void theDefaultsQuoteNothingButPollEveryChainsGas(@TempDir Path dir) throws Exception {
        OracleSettings oracle = load("", Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY)).oracle();

        assertThat(oracle.assets()).isEmpty();
        assertThat(oracle.nativeAssets()).isEmpty();
        assertThat(oracle.quotes().chains()).containsExactlyInAnyOrder(1L, 2L);
        assertThat(oracle.quotes().defaults()).isEqualTo(new QuotePolicy.RouteFees(new BigDecimal("0.1"), 71_000));
        assertThat(oracle.quotes().validity()).isEqualTo(Duration.ofSeconds(60));
        assertThat(oracle.quotes().maxGasLimit()).isEqualTo(1_500_000);
        assertThat(oracle.gas().policy().minSources()).isEqualTo(1);
        assertThat(oracle.pollInterval()).isEqualTo(Duration.ofSeconds(15));
    }

    @Test
    void readsAssetsTheirSourcesAndRouteFees(@TempDir Path dir) throws Exception {
        OracleSettings oracle = load(EXAMPLE, Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY)).oracle();

        OracleSettings.AssetSettings eth = oracle.assets().get(0);
        assertThat(eth.policy().minSources()).isEqualTo(2); // asset-defaults
        assertThat(eth.policy().maxAge()).isEqualTo(Duration.ofMinutes(30));
        assertThat(eth.sources()).hasSize(3);
        assertThat(eth.sources().get(0)).isEqualTo(new SourceSettings.Feed("chainlink", 1,
                io.courier.chain.message.Address.fromHex(FEED)));
        assertThat(eth.sources().get(1).toString()).doesNotContain("SECRET").doesNotContain("ids=");
        assertThat(eth.sources().get(2)).isEqualTo(new SourceSettings.Static("ops", new BigDecimal("3000.5")));
        assertThat(oracle.quotes().fees(1, 2)).isEqualTo(new QuotePolicy.RouteFees(new BigDecimal("0.25"), 71_000));
        assertThat(oracle.quotes().fees(2, 1)).isEqualTo(oracle.quotes().defaults());
        assertThat(oracle.quotes().nativeAsset(2)).contains("ETH");
    }

    @Test
    void mistakesAreRefusedNamingTheKeyAndNeverEchoingAUrl(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY);
        record Case(String find, String replace, String key, String message) {}
        for (Case c : new Case[] {
                new Case("max-age = 30m", "max-age = 30m, min-sources = 4", "courier.oracle.assets[0].min-sources", "exceeds the 3 source(s)"),
                new Case("chain-id = 1, address", "chain-id = 9, address", "courier.oracle.assets[0].sources[0].chain-id", "not one of courier.chains"),
                new Case("type = feed", "type = oracle", "courier.oracle.assets[0].sources[0].type", "\"static\", \"feed\" or \"http\""),
                new Case("https://api.example", "ftp://api.example", "courier.oracle.assets[0].sources[1].url", "http(s) URL"),
                new Case("pointer = \"/ethereum/usd\"", "pointer = ethereum", "courier.oracle.assets[0].sources[1].pointer", "starts with '/'"),
                new Case("name = ops", "name = chainlink", "courier.oracle.assets[0].sources[2].name", "twice"),
                new Case("usd = \"3000.5\"", "usd = 0", "courier.oracle.assets[0].sources[2].usd", "positive"),
                new Case("max-age = 30m", "max-age = 30m, max-deviation = 0", "courier.oracle.assets[0].max-deviation", "positive"),
                new Case("chain-id = 2, asset = ETH", "chain-id = 2, asset = BTC", "courier.oracle.native-assets[1].asset", "not one of"),
                new Case("to = 2", "to = 1", "courier.oracle.routes[0]", "two different chains"),
                new Case("courier.oracle {", "courier.oracle { gas.priority-fee-percentile = 101", "courier.oracle.gas.priority-fee-percentile", "[0, 100]"),
                new Case("courier.oracle {", "courier.oracle { margin = -0.1", "courier.oracle.margin", "negative"),
                new Case("courier.oracle {", "courier.oracle { overhead-gas = 0", "courier.oracle.overhead-gas", "positive")}) {
            assertThat(EXAMPLE).as(c.find()).contains(c.find());
            Config config = ConfigFactory.parseString(EXAMPLE.replace(c.find(), c.replace()))
                    .withFallback(NodeConfigLoaderTest.valid(key));

            assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(config)).as(c.replace())
                    .isInstanceOf(ConfigException.class)
                    .hasMessageContaining(c.key())
                    .hasMessageContaining(c.message())
                    .hasMessageNotContaining("SECRET");
        }
    }
}
