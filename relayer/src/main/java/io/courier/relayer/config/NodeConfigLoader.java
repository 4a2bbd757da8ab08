package io.courier.relayer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException.Missing;
import com.typesafe.config.ConfigException.WrongType;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigParseOptions;
import io.courier.chain.message.Address;
import io.courier.chain.message.EvmAddress;
import io.courier.relayer.config.NodeConfig.ApiSettings;
import io.courier.relayer.config.NodeConfig.CassandraSettings;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.config.NodeConfig.RetrySettings;
import io.courier.relayer.config.NodeConfig.Secret;
import io.courier.relayer.config.NodeConfig.BatchSettings;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import io.courier.relayer.config.NodeConfig.ValidatorSettings;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

/**
 * Reads HOCON (the file given, then {@code reference.conf} defaults, environment overrides as declared there)
 * into a {@link NodeConfig}, checking every value; the first problem found is thrown as a
 * {@link ConfigException} naming its path.
 */
public final class NodeConfigLoader {

    private static final Pattern ADDRESS = Pattern.compile("0x[0-9a-fA-F]{40}");
    private static final Pattern PRIVATE_KEY = Pattern.compile("(0x)?[0-9a-fA-F]{64}");
    /** The API session's smallest budget: the widest single request (an address page of 100, plus its index read). */
    static final int MIN_API_REQUESTS = 128;

    private final Map<String, String> env;

    public NodeConfigLoader(Map<String, String> env) {
        this.env = env;
    }

    public static NodeConfigLoader fromEnvironment() {
        return new NodeConfigLoader(System.getenv());
    }

    /** Loads {@code file} layered over the defaults. */
    public NodeConfig load(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new ConfigException(file.toString(), "config file not found");
        }
        Config user;
        try {
            user = ConfigFactory.parseFile(file.toFile(), ConfigParseOptions.defaults().setAllowMissing(false));
        } catch (com.typesafe.config.ConfigException.Parse e) {
            throw syntaxError(file, e);
        }
        // only courier { ... } of the operator's file is read: another top-level key is a typo that would hide it all
        KnownKeys.checkTopLevel(user);
        return load(user);
    }

    /**
     * A HOCON syntax error as the operator needs it: the file and line, what the parser expected, no stack trace
     * (the parser's own message starts with the origin, which we already name).
     */
    static ConfigException syntaxError(Path file, com.typesafe.config.ConfigException.Parse e) {
        int line = e.origin() == null ? -1 : e.origin().lineNumber();
        String message = e.getMessage();
        String prefix = e.origin() == null ? null : e.origin().description() + ": ";
        if (prefix != null && message.startsWith(prefix)) {
            message = message.substring(prefix.length());
        }
        return new ConfigException(file + (line > 0 ? ", line " + line : ""), "HOCON syntax error: " + message);
    }

    /** Loads a parsed config layered over the defaults (tests and the demo build one in memory). */
    public NodeConfig load(Config user) {
        ConfigFactory.invalidateCaches();
        Config reference = ConfigFactory.defaultReference(NodeConfigLoader.class.getClassLoader());
        KnownKeys.check(user, reference.resolve());
        Config config = ConfigFactory.systemProperties()
                .withFallback(user)
                .withFallback(reference)
                .resolve()
                .getConfig("courier");
        List<ChainSettings> chains = chains(config);
        String nodeName = nonBlank(config, "node.name");
        CassandraSettings cassandra = cassandra(config.getConfig("cassandra"));
        ApiSettings api = api(config.getConfig("api"));
        ValidatorSettings validator = validator(config.getConfig("validator"));
        SubmitterSettings submitter = submitter(config.getConfig("submitter"));
        NodeConfig.MonitorSettings monitor = monitor(config);
        OracleSettings oracle = OracleConfigReader.read(config, chains, read("courier.submitter.max-gas-limit",
                () -> config.getLong("submitter.max-gas-limit")));
        // the updater's key is read here, beside the keys it must differ from
        oracle = OracleConfigReader.withUpdater(oracle, config, chains, env, validator, submitter);
        io.courier.payment.PaymentPolicy payment = PaymentConfigReader.read(config, chains);
        PaymentConfigReader.requireQuotable(payment, oracle.quotes(), chains);
        return new NodeConfig(nodeName, cassandra, api, chains, validator, submitter, monitor, oracle, payment);
    }

    private NodeConfig.MonitorSettings monitor(Config root) {
        Config m = root.getConfig("monitor");
        Map<String, Duration> sla = new java.util.LinkedHashMap<>();
        List<? extends Config> routes = read("courier.routes", () -> root.getConfigList("routes"));
        for (int i = 0; i < routes.size(); i++) {
            String path = "courier.routes[" + i + "]";
            Config r = routes.get(i);
            long from = read(path + ".from", () -> r.getLong("from"));
            long to = read(path + ".to", () -> r.getLong("to"));
            if (from == to) {
                throw new ConfigException(path, "a route goes between two different chains, got " + from + " -> " + to);
            }
            sla.put(io.courier.finality.Transfer.route(from, to), duration(r, "sla", path));
        }
        int lookback = positive(m, "lookback-days", "courier.monitor");
        if (lookback > 366) {
            throw new ConfigException("courier.monitor.lookback-days", "at most 366, was " + lookback);
        }
        return new NodeConfig.MonitorSettings(duration(m, "interval", "courier.monitor"), lookback,
                positive(m, "max-per-destination", "courier.monitor"), duration(m, "default-sla", "courier.monitor"), sla);
    }

    private CassandraSettings cassandra(Config c) {
        List<InetSocketAddress> points = new ArrayList<>();
        List<String> raw = read("courier.cassandra.contact-points", () -> c.hasPath("contact-points")
                && c.getValue("contact-points").valueType() == com.typesafe.config.ConfigValueType.STRING
                ? List.of(c.getString("contact-points").split(","))
                : c.getStringList("contact-points"));
        for (String point : raw) {
            points.add(hostPort("courier.cassandra.contact-points", point.trim()));
        }
        if (points.isEmpty()) {
            throw new ConfigException("courier.cassandra.contact-points", "at least one host:port is required");
        }
        String keyspace = nonBlank(c, "keyspace", "courier.cassandra.keyspace");
        if (!keyspace.matches("[a-z][a-z0-9_]{0,47}")) {
            throw new ConfigException("courier.cassandra.keyspace", "'" + keyspace + "' is not a keyspace name (a-z, 0-9, _; 48 chars)");
        }
        return new CassandraSettings(points, nonBlank(c, "local-datacenter", "courier.cassandra.local-datacenter"), keyspace,
                read("courier.cassandra.create-keyspace", () -> c.getBoolean("create-keyspace")),
                positive(c, "replication-factor", "courier.cassandra"),
                positive(c, "max-requests-in-flight", "courier.cassandra"),
                duration(c, "request-timeout", "courier.cassandra"),
                protocol(read("courier.cassandra.protocol-version", () -> c.getString("protocol-version"))));
    }

    private static NodeConfig.CqlProtocol protocol(String text) {
        try {
            return NodeConfig.CqlProtocol.valueOf(text.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("courier.cassandra.protocol-version", "'" + text + "' is not one of "
                    + java.util.Arrays.toString(NodeConfig.CqlProtocol.values()));
        }
    }

    private ApiSettings api(Config c) {
        int port = read("courier.api.port", () -> c.getInt("port"));
        if (port < 0 || port > 65535) {
            throw new ConfigException("courier.api.port", port + " is not a TCP port");
        }
        Optional<Secret> token = Optional.empty();
        String file = read("courier.api.admin-token-file", () -> c.getString("admin-token-file"));
        if (!file.isBlank()) {
            try {
                token = Optional.of(new Secret("courier.api.admin-token-file", Files.readString(Path.of(file)).trim()));
            } catch (IOException e) {
                throw new ConfigException("courier.api.admin-token-file", "cannot read " + Path.of(file).toAbsolutePath() + ": " + e.getMessage());
            }
        } else if (env.get("COURIER_ADMIN_TOKEN") != null && !env.get("COURIER_ADMIN_TOKEN").isBlank()) {
            token = Optional.of(new Secret("COURIER_ADMIN_TOKEN", env.get("COURIER_ADMIN_TOKEN").trim()));
        }
        if (token.isPresent() && token.get().hex().length() < 16) {
            throw new ConfigException(token.get().source(), "the admin token must be at least 16 characters");
        }
        Config events = c.getConfig("events");
        Config cql = c.getConfig("cassandra");
        int inFlight = positive(cql, "max-requests-in-flight", "courier.api.cassandra");
        int queued = positive(cql, "max-requests-queued", "courier.api.cassandra");
        if (inFlight + queued < MIN_API_REQUESTS) {
            throw new ConfigException("courier.api.cassandra.max-requests-queued", "max-requests-in-flight + max-requests-queued"
                    + " must be at least " + MIN_API_REQUESTS + " (an address page of 100 loads its transfers at once; a"
                    + " smaller budget would refuse every such page), was " + (inFlight + queued));
        }
        return new ApiSettings(nonBlank(c, "host", "courier.api.host"), port, token,
                positive(events, "max-streams", "courier.api.events"),
                positive(events, "max-streams-per-client", "courier.api.events"),
                new NodeConfig.ApiCassandraSettings(inFlight, queued, duration(cql, "request-timeout", "courier.api.cassandra")),
                positive(c, "address-pages.max-rows-examined", "courier.api"),
                duration(events, "unknown-id-wait", "courier.api.events"),
                new NodeConfig.ApiCacheSettings(nonNegative(c, "cache.max-entries", "courier.api"),
                        duration(c, "cache.ttl", "courier.api")),
                http(c), positive(c, "threads", "courier.api"));
    }

    private static NodeConfig.ApiHttpSettings http(Config c) {
        List<String> origins = read("courier.api.cors.allowed-origins", () -> c.getStringList("cors.allowed-origins"));
        for (int i = 0; i < origins.size(); i++) {
            String origin = origins.get(i);
            // an origin is scheme://host[:port], exactly as a browser sends it in Origin: no path, no trailing slash
            if (!origin.equals("*") && !origin.matches("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?")) {
                throw new ConfigException("courier.api.cors.allowed-origins[" + i + "]", "'" + origin + "' is not an origin"
                        + " (scheme://host[:port], no path or trailing slash) nor \"*\"");
            }
        }
        String bytesPath = "courier.api.limits.max-request-bytes";
        long bytes = read(bytesPath, () -> c.getBytes("limits.max-request-bytes"));
        if (bytes < 1024) {
            throw new ConfigException(bytesPath, "must be at least 1k (the admin actions' bodies need some), was " + bytes);
        }
        return new NodeConfig.ApiHttpSettings(origins, bytes, duration(c, "limits.request-timeout", "courier.api"));
    }

    private List<ChainSettings> chains(Config root) {
        Config defaults = root.getConfig("chain-defaults");
        List<? extends Config> entries = read("courier.chains", () -> root.getConfigList("chains"));
        List<ChainSettings> chains = new ArrayList<>();
        Set<Long> ids = new HashSet<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < entries.size(); i++) {
            String path = "courier.chains[" + i + "]";
            Config c = entries.get(i).withFallback(defaults);
            long chainId = read(path + ".chain-id", () -> c.getLong("chain-id"));
            if (chainId <= 0) {
                throw new ConfigException(path + ".chain-id", "must be positive, was " + chainId);
            }
            if (!ids.add(chainId)) {
                throw new ConfigException(path + ".chain-id", "chain id " + chainId + " is configured twice");
            }
            String name = nonBlank(c, "name", path + ".name");
            if (!names.add(name)) {
                throw new ConfigException(path + ".name", "chain name '" + name + "' is configured twice");
            }
            List<String> urls = new ArrayList<>();
            if (c.hasPath("rpc-urls")) {
                urls.addAll(read(path + ".rpc-urls", () -> c.getStringList("rpc-urls")));
            } else {
                urls.add(nonBlank(c, "rpc-url", path + ".rpc-url"));
            }
            if (urls.isEmpty()) {
                throw new ConfigException(path + ".rpc-urls", "at least one endpoint is required");
            }
            for (int u = 0; u < urls.size(); u++) {
                String rpc = urls.get(u);
                if (!rpc.startsWith("http://") && !rpc.startsWith("https://")) {
                    // only the scheme is echoed: URLs often carry API keys
                    throw new ConfigException(path + ".rpc-urls[" + u + "]", "must be an http(s) URL");
                }
                endpointFormat(rpc, path + ".rpc-urls[" + u + "]");
            }
            Config pool = c.getConfig("endpoint-pool");
            io.courier.chain.web3j.EndpointPoolSettings poolSettings = new io.courier.chain.web3j.EndpointPoolSettings(
                    duration(pool, "cooldown-initial", path + ".endpoint-pool"),
                    duration(pool, "cooldown-max", path + ".endpoint-pool"),
                    positive(pool, "failures-to-cooldown", path + ".endpoint-pool"),
                    read(path + ".endpoint-pool.requests-per-second", () -> pool.getDouble("requests-per-second")),
                    positive(pool, "max-head-lag", path + ".endpoint-pool"),
                    duration(pool, "max-wait", path + ".endpoint-pool"));
            // a chain's own finality block replaces the default as a whole: merged, "confirmations" and "tag" would mix
            Config own = entries.get(i);
            io.courier.finality.FinalityPolicy finality = finality(
                    (own.hasPath("finality") ? own : defaults).getConfig("finality"), path + ".finality");
            int window = positive(c, "window-size", path);
            if (finality instanceof io.courier.finality.FinalityPolicy.Confirmations conf && window <= conf.n()) {
                throw new ConfigException(path + ".window-size", "must exceed the finality depth (" + conf.n()
                        + "), or a reorg within finality could not be told from a deeper one");
            }
            int quorum = positive(c, "quorum", path);
            if (quorum > urls.size()) {
                throw new ConfigException(path + ".quorum", quorum + " exceeds the " + urls.size()
                        + " RPC endpoint(s) configured: no message could ever be confirmed");
            }
            chains.add(new ChainSettings(name, chainId, List.copyOf(urls),
                    Address.fromHex(address(nonBlank(c, "gateway", path + ".gateway"), path + ".gateway")),
                    finality,
                    read(path + ".start-block", () -> c.getLong("start-block")),
                    duration(c, "poll-interval", path),
                    positive(c, "max-log-range", path),
                    duration(c, "request-timeout", path),
                    positive(c, "max-requests-in-flight", path),
                    positive(c, "max-requests-queued", path),
                    new RetrySettings(positive(c, "retry.max-attempts", path),
                            duration(c, "retry.initial-backoff", path),
                            duration(c, "retry.max-backoff", path)),
                    poolSettings, window, quorum, fees(c.getConfig("fees"), path + ".fees"), signerFloor(c, path)));
        }
        if (chains.isEmpty()) {
            throw new ConfigException("courier.chains", "no chains configured: a node needs at least two to relay between");
        }
        return List.copyOf(chains);
    }

    /**
     * A chain's fee settings; the domain validates them (its message names the field) and the key is added here. Public
     * for {@code courier bench fees}, which prices with reference.conf's {@code chain-defaults.fees} read the node's way.
     */
    public static io.courier.fees.FeeSettings fees(Config f, String path) {
        io.courier.fees.FeeMode mode;
        String modeText = read(path + ".mode", () -> f.getString("mode"));
        try {
            mode = io.courier.fees.FeeMode.parse(modeText);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".mode", e.getMessage());
        }
        try {
            return new io.courier.fees.FeeSettings(
                    positive(f, "history-blocks", path),
                    read(path + ".reward-percentile", () -> f.getDouble("reward-percentile")),
                    wei(decimal(f, "min-priority-fee-gwei", path)),
                    read(path + ".blocks-to-inclusion", () -> f.getInt("blocks-to-inclusion")),
                    wei(decimal(f, "max-fee-per-gas-gwei", path)),
                    wei(decimal(f, "max-priority-fee-per-gas-gwei", path)),
                    positive(f, "bump-after-blocks", path),
                    decimal(f, "min-raise-percent", path),
                    read(path + ".max-bumps", () -> f.getInt("max-bumps")),
                    mode);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }

    private static java.math.BigInteger wei(BigDecimal gwei) {
        return gwei.movePointRight(9).setScale(0, java.math.RoundingMode.CEILING).toBigIntegerExact();
    }

    /** {@code confirmations = N}, or {@code tag = "safe" | "finalized"} with an optional {@code min-age}. */
    private static io.courier.finality.FinalityPolicy finality(Config f, String path) {
        if (f.hasPath("tag") && f.hasPath("confirmations")) {
            throw new ConfigException(path, "set either confirmations or tag, not both");
        }
        if (f.hasPath("tag")) {
            String tag = read(path + ".tag", () -> f.getString("tag"));
            if (!tag.equals("safe") && !tag.equals("finalized")) {
                throw new ConfigException(path + ".tag", "must be \"safe\" or \"finalized\", was '" + tag + "'");
            }
            Duration minAge = f.hasPath("min-age") ? read(path + ".min-age", () -> f.getDuration("min-age")) : Duration.ZERO;
            if (minAge.isNegative()) {
                throw new ConfigException(path + ".min-age", "must not be negative");
            }
            return new io.courier.finality.FinalityPolicy.Tag(tag, minAge);
        }
        return new io.courier.finality.FinalityPolicy.Confirmations(positive(f, "confirmations", path));
    }

    private ValidatorSettings validator(Config c) {
        List<String> set = new ArrayList<>();
        for (String address : read("courier.validator.set", () -> c.getStringList("set"))) {
            set.add(address("" + address, "courier.validator.set"));
        }
        if (set.isEmpty()) {
            throw new ConfigException("courier.validator.set", "the validator set is empty");
        }
        if (new HashSet<>(set).size() != set.size()) {
            throw new ConfigException("courier.validator.set", "a validator is listed twice");
        }
        int threshold = positive(c, "threshold", "courier.validator");
        if (threshold > set.size()) {
            throw new ConfigException("courier.validator.threshold", threshold + " exceeds the " + set.size() + " validators");
        }
        List<Secret> keys = new ArrayList<>();
        List<String> files = read("courier.validator.key-files", () -> c.getStringList("key-files"));
        for (int i = 0; i < files.size(); i++) {
            keys.add(keyFromFile(Path.of(files.get(i)), "courier.validator.key-files[" + i + "]"));
        }
        String fromEnv = env.get("COURIER_VALIDATOR_KEYS");
        if (fromEnv != null && !fromEnv.isBlank()) {
            String[] parts = fromEnv.split(",");
            for (int i = 0; i < parts.length; i++) {
                keys.add(key(parts[i].trim(), "COURIER_VALIDATOR_KEYS[" + i + "]"));
            }
        }
        boolean unsafe = read("courier.validator.unsafe-allow-threshold-keys", () -> c.getBoolean("unsafe-allow-threshold-keys"));
        Set<String> own = new HashSet<>();
        for (Secret key : keys) {
            own.add(Address.of(org.web3j.crypto.ECKeyPair.create(new java.math.BigInteger(key.hex(), 16))).toHex());
        }
        own.retainAll(set);
        if (own.size() >= threshold && !unsafe) {
            throw new ConfigException("courier.validator.key-files", "this node holds " + own.size() + " keys of the validator set"
                    + " and " + threshold + " signatures are enough to deliver: one process (one compromised host, one bug)"
                    + " could sign what never happened. Give each validator key to a separate operator; only a local demo"
                    + " sets courier.validator.unsafe-allow-threshold-keys = true");
        }
        return new ValidatorSettings(List.copyOf(set), threshold, List.copyOf(keys));
    }

    private SubmitterSettings submitter(Config c) {
        Optional<Secret> key = Optional.empty();
        String file = read("courier.submitter.key-file", () -> c.getString("key-file"));
        if (!file.isBlank()) {
            key = Optional.of(keyFromFile(Path.of(file), "courier.submitter.key-file"));
        } else if (env.containsKey("COURIER_SUBMITTER_KEY") && !env.get("COURIER_SUBMITTER_KEY").isBlank()) {
            key = Optional.of(key(env.get("COURIER_SUBMITTER_KEY").trim(), "COURIER_SUBMITTER_KEY"));
        }
        return new SubmitterSettings(key,
                read("courier.submitter.max-gas-limit", () -> c.getLong("max-gas-limit")),
                positive(c, "max-in-flight", "courier.submitter"),
                duration(c, "receipt-poll-interval", "courier.submitter"),
                duration(c, "rebroadcast-after", "courier.submitter"),
                positive(c, "destination-confirmations", "courier.submitter"),
                duration(c, "sweep-interval", "courier.submitter"),
                duration(c, "nonce-check-interval", "courier.submitter"),
                new BatchSettings(positive(c, "batch.max-messages", "courier.submitter"),
                        read("courier.submitter.batch.max-wait", () -> c.getDuration("batch.max-wait")),
                        read("courier.submitter.batch.handler-gas-estimate", () -> c.getLong("batch.handler-gas-estimate"))));
    }

    static Secret keyFromFile(Path file, String path) {
        try {
            return key(Files.readString(file).trim(), path + " (" + file.toAbsolutePath() + ")");
        } catch (IOException e) {
            throw new ConfigException(path, "cannot read key file " + file.toAbsolutePath() + ": " + e.getMessage());
        }
    }

    static Secret key(String hex, String source) {
        if (!PRIVATE_KEY.matcher(hex).matches()) {
            // never echo the value: it may be a real key with a typo
            throw new ConfigException(source, "not a 32-byte hex private key");
        }
        return new Secret(source, hex.startsWith("0x") ? hex.substring(2) : hex);
    }

    /** Checked like every address Courier reads: 20 bytes of hex, and mixed case only with a valid EIP-55 checksum. */
    static String address(String value, String path) {
        if (!ADDRESS.matcher(value).matches()) {
            throw new ConfigException(path, "'" + value + "' is not a 0x-prefixed 20-byte address");
        }
        try {
            return EvmAddress.normalize("address", value);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, e.getMessage() + " (a mistyped address?)");
        }
    }

    private static InetSocketAddress hostPort(String path, String value) {
        int colon = value.lastIndexOf(':');
        if (colon <= 0 || colon == value.length() - 1) {
            throw new ConfigException(path, "'" + value + "' is not host:port");
        }
        try {
            int port = Integer.parseInt(value.substring(colon + 1));
            return InetSocketAddress.createUnresolved(value.substring(0, colon), port);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path, "'" + value + "' is not host:port");
        }
    }

    /**
     * An RPC endpoint is a well-formed http(s) URL with a host (and a port, when given, of 1..65535). Nothing of the URL
     * is echoed but the host: URLs often carry API keys in their path or query.
     */
    static void endpointFormat(String url, String path) {
        java.net.URI uri;
        try {
            uri = new java.net.URI(url);
        } catch (java.net.URISyntaxException e) {
            throw new ConfigException(path, "is not a well-formed URL (" + e.getReason() + " at character " + e.getIndex() + ")");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw new ConfigException(path, "has no host (expected http(s)://host[:port][/path])");
        }
        if (uri.getPort() == 0 || uri.getPort() > 65535) {
            throw new ConfigException(path, "port " + uri.getPort() + " of " + uri.getHost() + " is not a TCP port");
        }
        if (uri.getRawFragment() != null) {
            throw new ConfigException(path, "has a #fragment, which HTTP never sends: a pasted URL cut short?");
        }
    }

    private static String nonBlank(Config c, String key) {
        return nonBlank(c, key, "courier." + key);
    }

    static String nonBlank(Config c, String key, String path) {
        String value = read(path, () -> c.getString(key));
        if (value.isBlank()) {
            throw new ConfigException(path, "must not be empty");
        }
        return value;
    }

    /** {@code signer-balance-floor-wei}: a whole number of wei, 0 for no floor. */
    private static java.math.BigInteger signerFloor(Config c, String path) {
        String key = path + ".signer-balance-floor-wei";
        String raw = read(key, () -> c.getString("signer-balance-floor-wei")).trim();
        try {
            java.math.BigInteger wei = new java.math.BigInteger(raw);
            if (wei.signum() < 0) {
                throw new ConfigException(key, "must be >= 0, was " + raw);
            }
            return wei;
        } catch (NumberFormatException e) {
            throw new ConfigException(key, "is not a whole number of wei: " + raw);
        }
    }

    static int positive(Config c, String key, String parent) {
        String path = parent + "." + key;
        int value = read(path, () -> c.getInt(key));
        if (value <= 0) {
            throw new ConfigException(path, "must be positive, was " + value);
        }
        return value;
    }

    static int nonNegative(Config c, String key, String parent) {
        String path = parent + "." + key;
        int value = read(path, () -> c.getInt(key));
        if (value < 0) {
            throw new ConfigException(path, "must be 0 or more, was " + value);
        }
        return value;
    }

    static Duration duration(Config c, String key, String parent) {
        String path = parent + "." + key;
        Duration value = read(path, () -> c.getDuration(key));
        if (value.isNegative() || value.isZero()) {
            throw new ConfigException(path, "must be a positive duration, was " + value);
        }
        return value;
    }

    static BigDecimal decimal(Config c, String key, String parent) {
        String path = parent + "." + key;
        try {
            BigDecimal value = new BigDecimal(read(path, () -> c.getString(key)));
            if (value.signum() < 0) {
                throw new ConfigException(path, "must not be negative, was " + value);
            }
            return value;
        } catch (NumberFormatException e) {
            throw new ConfigException(path, "not a number");
        }
    }

    static <T> T read(String path, Supplier<T> reader) {
        try {
            return reader.get();
        } catch (Missing e) {
            throw new ConfigException(path, "missing");
        } catch (WrongType e) {
            throw new ConfigException(path, "wrong type: " + e.getMessage().replaceFirst("^.*?: ", ""));
        } catch (com.typesafe.config.ConfigException e) {
            throw new ConfigException(path, e.getMessage());
        }
    }
}
