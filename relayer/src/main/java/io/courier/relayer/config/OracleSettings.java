package io.courier.relayer.config;

import io.courier.chain.message.Address;
import io.courier.oracle.AggregationPolicy;
import io.courier.oracle.QuotePolicy;
import java.math.BigDecimal;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code courier.oracle}: where prices come from, how they are judged, how quotes are made.
 *
 * @param pollInterval  how often every source is read
 * @param sourceTimeout a source that has not answered in this long counts as failing for that poll
 * @param quotes        chains' native assets, route fees, quote validity (the {@link QuotePolicy} the API quotes with)
 * @param gas           the gas price of every chain, from fee history on each of its endpoints
 * @param assets        native-token prices, each from its own sources
 * @param updater       the on-chain GasOracle updater role (off unless enabled)
 */
public record OracleSettings(Duration pollInterval, Duration sourceTimeout, QuotePolicy quotes, GasSettings gas,
                             List<AssetSettings> assets, UpdaterSettings updater) {

    /**
     * {@code courier.oracle.updater}: pushes each route's pricing inputs to the source chain's {@code GasOracle}.
     * {@code key} is a secret (its {@code toString} hides it); {@code gasOracles} maps a source chain to its contract.
     */
    public record UpdaterSettings(boolean enabled, Optional<NodeConfig.Secret> key, Map<Long, Address> gasOracles,
                                  io.courier.oracle.onchain.UpdatePolicy policy, Duration interval, Duration timeout,
                                  long maxGasLimit) {
        public static final UpdaterSettings OFF = new UpdaterSettings(false, Optional.empty(), Map.of(),
                new io.courier.oracle.onchain.UpdatePolicy(BigDecimal.ONE, Duration.ofHours(1)), Duration.ofMinutes(1),
                Duration.ofMinutes(1), 1);

        public UpdaterSettings {
            gasOracles = Map.copyOf(gasOracles);
        }
    }

    public record GasSettings(int feeHistoryBlocks, double priorityFeePercentile, AggregationPolicy policy) {}

    public record AssetSettings(String name, AggregationPolicy policy, List<SourceSettings> sources) {}

    /** One configured price source; {@code name} labels it in metrics and the API. */
    public sealed interface SourceSettings {
        String name();

        /** A fixed price in USD. */
        record Static(String name, BigDecimal usd) implements SourceSettings {}

        /** An AggregatorV3-style feed contract on one of the node's chains. */
        record Feed(String name, long chainId, Address address) implements SourceSettings {}

        /** An HTTP JSON API; the URL may carry an API key: {@link #toString()} never shows its query. */
        record Http(String name, URI url, String pointer, Duration timeout) implements SourceSettings {
            @Override
            public String toString() {
                return "Http[" + name + ", " + url.getScheme() + "://" + url.getHost() + ", " + pointer + ", " + timeout + "]";
            }
        }
    }

    public Map<Long, String> nativeAssets() {
        return quotes.nativeAssets();
    }
}
