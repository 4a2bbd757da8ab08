package io.courier.relayer.config;

import static io.courier.relayer.config.NodeConfigLoader.address;
import static io.courier.relayer.config.NodeConfigLoader.decimal;
import static io.courier.relayer.config.NodeConfigLoader.duration;
import static io.courier.relayer.config.NodeConfigLoader.nonBlank;
import static io.courier.relayer.config.NodeConfigLoader.positive;
import static io.courier.relayer.config.NodeConfigLoader.read;

import com.typesafe.config.Config;
import io.courier.chain.message.Address;
import io.courier.oracle.AggregationPolicy;
import io.courier.oracle.QuotePolicy;
import io.courier.relayer.config.OracleSettings.AssetSettings;
import io.courier.relayer.config.OracleSettings.GasSettings;
import io.courier.relayer.config.OracleSettings.SourceSettings;
import java.math.BigDecimal;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads and checks {@code courier.oracle} (reference.conf documents every key); errors name the key. */
final class OracleConfigReader {

    private OracleConfigReader() {}

    static OracleSettings read(Config root, List<NodeConfig.ChainSettings> chains, long maxGasLimit) {
        String at = "courier.oracle";
        Config o = root.getConfig("oracle");
        Set<Long> chainIds = chains.stream().map(NodeConfig.ChainSettings::chainId).collect(Collectors.toSet());

        Config gasConfig = o.getConfig("gas");
        double percentile = NodeConfigLoader.read(at + ".gas.priority-fee-percentile", () -> gasConfig.getDouble("priority-fee-percentile"));
        if (percentile < 0 || percentile > 100) {
            throw new ConfigException(at + ".gas.priority-fee-percentile", "must be in [0, 100], was " + percentile);
        }
        GasSettings gas = new GasSettings(positive(gasConfig, "fee-history-blocks", at + ".gas"), percentile,
                policy(gasConfig, at + ".gas"));

        Config assetDefaults = o.getConfig("asset-defaults");
        List<? extends Config> assetList = NodeConfigLoader.read(at + ".assets", () -> o.getConfigList("assets"));
        List<AssetSettings> assets = new ArrayList<>();
        Set<String> assetNames = new HashSet<>();
        for (int i = 0; i < assetList.size(); i++) {
            String path = at + ".assets[" + i + "]";
            Config a = assetList.get(i).withFallback(assetDefaults);
            String name = nonBlank(a, "name", path + ".name");
            if (!assetNames.add(name)) {
                throw new ConfigException(path + ".name", "asset '" + name + "' is configured twice");
            }
            if (name.startsWith("gas:")) {
                throw new ConfigException(path + ".name", "names starting with 'gas:' are the chains' gas prices");
            }
            List<SourceSettings> sources = sources(a, path, chainIds);
            AggregationPolicy policy = policy(a, path);
            if (policy.minSources() > sources.size()) {
                throw new ConfigException(path + ".min-sources", policy.minSources() + " exceeds the " + sources.size()
                        + " source(s) of " + name + ": it could never be priced");
            }
            assets.add(new AssetSettings(name, policy, List.copyOf(sources)));
        }

        Map<Long, String> nativeAssets = new LinkedHashMap<>();
        List<? extends Config> natives = NodeConfigLoader.read(at + ".native-assets", () -> o.getConfigList("native-assets"));
        for (int i = 0; i < natives.size(); i++) {
            String path = at + ".native-assets[" + i + "]";
            Config n = natives.get(i);
            long chainId = chain(n, path + ".chain-id", chainIds);
            String asset = nonBlank(n, "asset", path + ".asset");
            if (!assetNames.contains(asset)) {
                throw new ConfigException(path + ".asset", "'" + asset + "' is not one of courier.oracle.assets " + assetNames);
            }
            if (nativeAssets.put(chainId, asset) != null) {
                throw new ConfigException(path + ".chain-id", "chain " + chainId + " has two native assets");
            }
        }

        QuotePolicy.RouteFees defaults = new QuotePolicy.RouteFees(decimal(o, "margin", at),
                positive(o, "overhead-gas", at));
        Map<QuotePolicy.Route, QuotePolicy.RouteFees> routes = new LinkedHashMap<>();
        List<? extends Config> routeList = NodeConfigLoader.read(at + ".routes", () -> o.getConfigList("routes"));
        for (int i = 0; i < routeList.size(); i++) {
            String path = at + ".routes[" + i + "]";
            Config r = routeList.get(i);
            long from = chain(r, path + ".from", chainIds);
            long to = chain(r, path + ".to", chainIds);
            if (from == to) {
                throw new ConfigException(path, "a route goes between two different chains, got " + from + " -> " + to);
            }
            QuotePolicy.RouteFees fees = new QuotePolicy.RouteFees(
                    r.hasPath("margin") ? decimal(r, "margin", path) : defaults.margin(),
                    r.hasPath("overhead-gas") ? positive(r, "overhead-gas", path) : defaults.overheadGas());
            if (routes.put(new QuotePolicy.Route(from, to), fees) != null) {
                throw new ConfigException(path, "route " + from + " -> " + to + " is configured twice");
            }
        }
        QuotePolicy quotes = new QuotePolicy(chainIds, nativeAssets, defaults, routes, duration(o, "quote-validity", at),
                maxGasLimit);
        return new OracleSettings(duration(o, "poll-interval", at), duration(o, "source-timeout", at), quotes, gas,
                List.copyOf(assets));
    }

    private static AggregationPolicy policy(Config c, String path) {
        BigDecimal deviation = decimal(c, "max-deviation", path);
        if (deviation.signum() <= 0) {
            throw new ConfigException(path + ".max-deviation", "must be positive (a ratio: 0.05 = 5 %), was " + deviation);
        }
        return new AggregationPolicy(positive(c, "min-sources", path), duration(c, "max-age", path), deviation);
    }

    private static long chain(Config c, String path, Set<Long> chainIds) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        long id = NodeConfigLoader.read(path, () -> c.getLong(key));
        if (!chainIds.contains(id)) {
            throw new ConfigException(path, "chain " + id + " is not one of courier.chains " + chainIds);
        }
        return id;
    }

    private static List<SourceSettings> sources(Config asset, String path, Set<Long> chainIds) {
        List<? extends Config> list = NodeConfigLoader.read(path + ".sources", () -> asset.getConfigList("sources"));
        if (list.isEmpty()) {
            throw new ConfigException(path + ".sources", "an asset needs at least one price source");
        }
        List<SourceSettings> sources = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            String at = path + ".sources[" + i + "]";
            Config s = list.get(i);
            String name = nonBlank(s, "name", at + ".name");
            if (!name.matches("[A-Za-z0-9_.:-]{1,64}")) {
                // a metric label and an API field: keep it short and plain
                throw new ConfigException(at + ".name", "use up to 64 of A-Z a-z 0-9 _ . : -, was '" + name + "'");
            }
            if (!names.add(name)) {
                throw new ConfigException(at + ".name", "source '" + name + "' is listed twice for this asset");
            }
            String type = nonBlank(s, "type", at + ".type");
            sources.add(switch (type) {
                case "static" -> {
                    BigDecimal usd = decimal(s, "usd", at);
                    if (usd.signum() <= 0) {
                        throw new ConfigException(at + ".usd", "must be positive, was " + usd);
                    }
                    yield new SourceSettings.Static(name, usd);
                }
                case "feed" -> new SourceSettings.Feed(name, chain(s, at + ".chain-id", chainIds),
                        Address.fromHex(address(nonBlank(s, "address", at + ".address"), at + ".address")));
                case "http" -> new SourceSettings.Http(name, url(nonBlank(s, "url", at + ".url"), at + ".url"),
                        pointer(nonBlank(s, "pointer", at + ".pointer"), at + ".pointer"),
                        s.hasPath("timeout") ? duration(s, "timeout", at) : Duration.ofSeconds(5));
                default -> throw new ConfigException(at + ".type", "must be \"static\", \"feed\" or \"http\", was '" + type + "'");
            });
        }
        return sources;
    }

    private static URI url(String raw, String path) {
        try {
            URI url = new URI(raw);
            if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme()) || url.getHost() == null) {
                throw new ConfigException(path, "must be an http(s) URL"); // never echoed: it may hold an API key
            }
            return url;
        } catch (URISyntaxException e) {
            throw new ConfigException(path, "not a URL");
        }
    }

    private static String pointer(String raw, String path) {
        if (!raw.startsWith("/")) {
            throw new ConfigException(path, "a JSON pointer starts with '/', e.g. \"/ethereum/usd\"; was '" + raw + "'");
        }
        return raw;
    }
}
