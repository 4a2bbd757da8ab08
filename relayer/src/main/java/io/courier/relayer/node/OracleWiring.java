package io.courier.relayer.node;

import io.courier.chain.ChainClient;
import io.courier.oracle.GasAsset;
import io.courier.oracle.PriceObservation;
import io.courier.oracle.source.FeedPriceSource;
import io.courier.oracle.source.GasPriceSource;
import io.courier.oracle.source.HttpJsonPriceSource;
import io.courier.oracle.source.PriceSource;
import io.courier.oracle.source.StaticPriceSource;
import io.courier.relayer.config.OracleSettings;
import io.courier.relayer.config.OracleSettings.SourceSettings;
import io.courier.relayer.price.PriceWatcher;
import io.courier.relayer.telemetry.CourierMetrics;
import java.math.RoundingMode;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Builds the price poller's assets from {@code courier.oracle}: a gas asset per chain, the configured token assets. */
final class OracleWiring {

    private OracleWiring() {}

    static PriceWatcher.Wiring prices(OracleSettings oracle, Map<Long, ChainClient> clients, CourierMetrics metrics, Clock clock) {
        List<PriceWatcher.Asset> assets = new ArrayList<>();
        if (oracle.nativeAssets().isEmpty()) {
            return new PriceWatcher.Wiring(assets, oracle.pollInterval(), oracle.sourceTimeout(), metrics, clock); // quotes nothing
        }
        // gas prices only where the oracle quotes: a node without native assets makes no extra RPC calls
        clients.forEach((chainId, client) -> assets.add(new PriceWatcher.Asset(GasAsset.of(chainId), oracle.gas().policy(),
                GasPriceSource.perEndpoint(client, oracle.gas().feeHistoryBlocks(), oracle.gas().priorityFeePercentile(), clock))));
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        for (OracleSettings.AssetSettings asset : oracle.assets()) {
            List<PriceSource> sources = new ArrayList<>();
            for (SourceSettings source : asset.sources()) {
                sources.add(source(asset.name(), source, clients, http, clock));
            }
            assets.add(new PriceWatcher.Asset(asset.name(), asset.policy(), sources));
        }
        return new PriceWatcher.Wiring(assets, oracle.pollInterval(), oracle.sourceTimeout(), metrics, clock);
    }

    /** The GasOracle updater's wiring, when {@code courier.oracle.updater} is enabled: one target per configured contract. */
    static java.util.Optional<io.courier.relayer.price.GasOracleUpdater.Wiring> updater(OracleSettings oracle, Map<Long, ChainClient> clients,
            Map<Long, String> names,
            io.courier.relayer.status.OraclePrices prices, CourierMetrics metrics, Clock clock) {
        OracleSettings.UpdaterSettings u = oracle.updater();
        if (!u.enabled()) {
            return java.util.Optional.empty();
        }
        List<io.courier.relayer.price.GasOracleUpdater.Target> targets = new ArrayList<>();
        u.gasOracles().entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> targets.add(
                new io.courier.relayer.price.GasOracleUpdater.Target(e.getKey(), names.get(e.getKey()), clients.get(e.getKey()),
                        e.getValue())));
        return java.util.Optional.of(new io.courier.relayer.price.GasOracleUpdater.Wiring(targets, names,
                org.web3j.crypto.Credentials.create(u.key().orElseThrow().hex()), oracle.quotes(), prices, u.policy(), u.interval(),
                u.timeout(), u.maxGasLimit(), metrics, clock));
    }

    private static PriceSource source(String asset, SourceSettings source, Map<Long, ChainClient> clients, HttpClient http,
                                      Clock clock) {
        if (source instanceof SourceSettings.Static s) {
            return new StaticPriceSource(asset, s.name(),
                    s.usd().movePointRight(PriceObservation.USD_DECIMALS).setScale(0, RoundingMode.DOWN).toBigIntegerExact(), clock);
        }
        if (source instanceof SourceSettings.Feed f) {
            return new FeedPriceSource(asset, f.name(), clients.get(f.chainId()), f.address());
        }
        SourceSettings.Http h = (SourceSettings.Http) source;
        return new HttpJsonPriceSource(asset, h.name(), http, h.url(), h.pointer(), h.timeout(), clock);
    }
}
