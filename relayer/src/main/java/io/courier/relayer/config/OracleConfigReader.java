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
                List.copyOf(assets), OracleSettings.UpdaterSettings.OFF);
    }

    /**
     * {@code courier.oracle.updater}: off unless enabled; enabled, it needs a key of its own (not a validator's, not the
     * submitter's: the submitter owns its account's nonces), a GasOracle on at least one chain, and quotes it can push
     * (every route from such a chain needs a margin the contract can hold).
     */
    static OracleSettings withUpdater(OracleSettings oracle, Config root, List<NodeConfig.ChainSettings> chains,
                                      Map<String, String> env, NodeConfig.ValidatorSettings validator,
                                      NodeConfig.SubmitterSettings submitter) {
        String at = "courier.oracle.updater";
        Config u = root.getConfig("oracle.updater");
        boolean enabled = NodeConfigLoader.read(at + ".enabled", () -> u.getBoolean("enabled"));
        if (!enabled) {
            return oracle;
        }
        Set<Long> chainIds = chains.stream().map(NodeConfig.ChainSettings::chainId).collect(Collectors.toSet());
        java.util.Optional<NodeConfig.Secret> key = java.util.Optional.empty();
        String file = NodeConfigLoader.read(at + ".key-file", () -> u.getString("key-file"));
        if (!file.isBlank()) {
            key = java.util.Optional.of(NodeConfigLoader.keyFromFile(java.nio.file.Path.of(file), at + ".key-file"));
        } else if (env.containsKey("COURIER_ORACLE_UPDATER_KEY") && !env.get("COURIER_ORACLE_UPDATER_KEY").isBlank()) {
            key = java.util.Optional.of(NodeConfigLoader.key(env.get("COURIER_ORACLE_UPDATER_KEY").trim(), "COURIER_ORACLE_UPDATER_KEY"));
        }
        if (key.isEmpty()) {
            throw new ConfigException(at + ".key-file", "the updater is enabled but has no key: set key-file or COURIER_ORACLE_UPDATER_KEY");
        }
        String updater = keyAddress(key.get());
        // a validator's key (held here or anywhere: the set is public) must not also move prices: one role per key
        if (validator.set().contains(updater) || validator.keys().stream().map(OracleConfigReader::keyAddress).anyMatch(updater::equals)) {
            throw new ConfigException(key.get().source(), "the updater's key is a validator key (" + updater + "); give the"
                    + " updater a key of its own");
        }
        if (submitter.key().map(OracleConfigReader::keyAddress).filter(updater::equals).isPresent()) {
            throw new ConfigException(key.get().source(), "the updater's key is the submitter's (" + updater + "); the submitter"
                    + " manages that account's nonces alone: give the updater a key of its own");
        }
        Map<Long, Address> oracles = new LinkedHashMap<>();
        List<? extends Config> list = NodeConfigLoader.read(at + ".gas-oracles", () -> u.getConfigList("gas-oracles"));
        for (int i = 0; i < list.size(); i++) {
            String path = at + ".gas-oracles[" + i + "]";
            Config g = list.get(i);
            long chainId = chain(g, path + ".chain-id", chainIds);
            Address contract = Address.fromHex(address(nonBlank(g, "address", path + ".address"), path + ".address"));
            if (oracles.put(chainId, contract) != null) {
                throw new ConfigException(path + ".chain-id", "chain " + chainId + " has two gas oracles");
            }
        }
        if (oracles.isEmpty()) {
            throw new ConfigException(at + ".gas-oracles", "the updater is enabled but no chain has a gas oracle");
        }
        QuotePolicy quotes = oracle.quotes();
        for (long from : oracles.keySet()) {
            for (long to : chainIds) {
                if (from == to) {
                    continue;
                }
                BigDecimal margin = quotes.fees(from, to).margin();
                if (margin.compareTo(BigDecimal.ONE) > 0 || margin.stripTrailingZeros().scale() > 18) {
                    throw new ConfigException("courier.oracle.margin", "route " + from + " -> " + to + ": margin " + margin.toPlainString()
                            + " cannot be held by a GasOracle (at most 1 = 100 %, at most 18 decimals)");
                }
            }
        }
        BigDecimal deviation = decimal(u, "deviation", at);
        if (deviation.signum() <= 0) {
            throw new ConfigException(at + ".deviation", "must be positive (a ratio: 0.05 = 5 %), was " + deviation);
        }
        long gasLimit = NodeConfigLoader.read(at + ".max-gas-limit", () -> u.getLong("max-gas-limit"));
        if (gasLimit < 21_000) {
            throw new ConfigException(at + ".max-gas-limit", "must be at least 21000, was " + gasLimit);
        }
        OracleSettings.UpdaterSettings settings = new OracleSettings.UpdaterSettings(true, key, oracles,
                new io.courier.oracle.onchain.UpdatePolicy(deviation, duration(u, "heartbeat", at)), duration(u, "interval", at),
                duration(u, "timeout", at), gasLimit);
        return new OracleSettings(oracle.pollInterval(), oracle.sourceTimeout(), oracle.quotes(), oracle.gas(), oracle.assets(), settings);
    }

    private static String keyAddress(NodeConfig.Secret key) {
        return Address.of(org.web3j.crypto.ECKeyPair.create(new java.math.BigInteger(key.hex(), 16))).toHex();
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
