package io.courier.relayer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.courier.payment.PaymentMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code courier.payment}: a route that requires payment must be one the oracle can quote, or the node refuses to start. */
class PaymentConfigTest {

    private static final String PRICED = """
            courier.oracle {
              native-assets = [ { chain-id = 1, asset = ETH }, { chain-id = 2, asset = ETH } ]
              assets = [ { name = ETH, min-sources = 1, sources = [ { type = static, name = ops, usd = "3000" } ] } ]
            }""";

    private static NodeConfig load(String extra, Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY);
        // the shared base sponsors everything: take that out, so the default (required) applies unless extra says otherwise
        return new NodeConfigLoader(Map.of()).load(ConfigFactory.parseString(extra)
                .withFallback(NodeConfigLoaderTest.valid(key).withoutPath("courier.payment")));
    }

    @Test
    void theDefaultRequiresPaymentAndANodeThatCannotQuoteARouteIsRefusedWithTheWayOut(@TempDir Path dir) {
        assertThatThrownBy(() -> load("", dir)).isInstanceOf(ConfigException.class)
                .hasMessageContaining("courier.payment")
                .hasMessageContaining("route 1 -> 2 requires payment")
                .hasMessageContaining("chain 1 (a) has no native asset")
                .hasMessageContaining("policy = \"sponsored\"");
    }

    @Test
    void aRouteLeftUnpricedMustBeSponsoredTheOthersMayRequire(@TempDir Path dir) throws Exception {
        // chain 2 has no price: both routes touch it
        String halfPriced = PRICED.replace(", { chain-id = 2, asset = ETH }", "");
        assertThatThrownBy(() -> load(halfPriced + "\ncourier.payment.routes = [ { from = 1, to = 2, policy = sponsored } ]", dir))
                .isInstanceOf(ConfigException.class).hasMessageContaining("route 2 -> 1 requires payment");
        NodeConfig both = load(halfPriced + "\ncourier.payment.routes = [ { from = 1, to = 2, policy = sponsored },"
                + " { from = 2, to = 1, policy = sponsored } ]", dir);
        assertThat(both.payment().forRoute(1, 2).mode()).isEqualTo(PaymentMode.SPONSORED);
    }

    @Test
    void aPricedNodeRequiresPaymentByDefault(@TempDir Path dir) throws Exception {
        NodeConfig config = load(PRICED, dir);
        assertThat(config.payment().forRoute(1, 2).mode()).isEqualTo(PaymentMode.REQUIRED);
        assertThat(config.payment().forRoute(2, 1).mode()).isEqualTo(PaymentMode.REQUIRED);
        assertThat(load("courier.payment.policy = sponsored", dir).payment().needsQuote(1, 2)).isFalse();
    }
}
