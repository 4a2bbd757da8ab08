package io.courier.relayer.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigList;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Refuses a key the node does not know, so a misspelt one ({@code max-fee-per-gass-gwei}) is an error naming it rather
 * than a default silently kept. Every key lives in {@code reference.conf}; the elements of a few lists ({@code chains},
 * {@code routes}, the oracle's lists) have their own keys, listed here. Only what the operator wrote is checked (not
 * system properties, where the launcher puts its own {@code courier.log.*}).
 */
final class KnownKeys {

    /** Keys a chain entry has besides those of {@code chain-defaults} (which it may override). */
    private static final Set<String> CHAIN_ONLY = Set.of("name", "chain-id", "rpc-url", "rpc-urls", "gateway", "start-block");
    private static final Set<String> FINALITY = Set.of("confirmations", "tag", "min-age");
    private static final Set<String> ROUTE = Set.of("from", "to", "sla");
    private static final Set<String> ORACLE_ROUTE = Set.of("from", "to", "margin", "overhead-gas");
    private static final Set<String> PAYMENT_ROUTE = Set.of("from", "to", "policy", "tolerance");
    private static final Set<String> NATIVE_ASSET = Set.of("chain-id", "asset");
    private static final Set<String> ASSET = Set.of("name", "min-sources", "max-age", "max-deviation", "sources");
    private static final Set<String> SOURCE = Set.of("type", "name", "chain-id", "address", "url", "pointer", "timeout", "usd");
    private static final Set<String> GAS_ORACLE = Set.of("chain-id", "address");

    private KnownKeys() {}

    /**
     * Refuses a top-level key of the operator's file other than {@code courier}: the node reads nothing else, so a
     * misspelt {@code courrier { ... }} would otherwise leave the whole file unread and the defaults in force.
     */
    static void checkTopLevel(Config user) {
        for (String key : new TreeSet<>(user.root().keySet())) {
            if (!key.equals("courier")) {
                throw new ConfigException(key, "unknown top-level key (a node config holds only courier { ... })"
                        + hint(key, Set.of("courier")));
            }
        }
    }

    /**
     * @param user      the operator's config (its {@code courier} object is checked)
     * @param reference the node's {@code reference.conf}, resolved
     * @throws ConfigException naming the first unknown key, with the nearest known one when there is a close one
     */
    static void check(Config user, Config reference) {
        Config resolved;
        try {
            // resolved over the reference, so a value is never a bare substitution; the operator's keys are all there
            resolved = user.withFallback(reference).resolve();
        } catch (com.typesafe.config.ConfigException e) {
            return; // the loader's own resolution reports it, with its message
        }
        Config ref = reference.getConfig("courier");
        ConfigObject mine = resolved.getObject("courier");
        for (Map.Entry<String, ConfigValue> e : mine.entrySet()) {
            String key = e.getKey();
            String path = "courier." + key;
            switch (key) {
                case "chains" -> elements(e.getValue(), path, (element, at) -> chain(element, at, ref.getObject("chain-defaults")));
                case "chain-defaults" -> {
                    if (e.getValue() instanceof ConfigObject defaults) {
                        chain(defaults, path, ref.getObject("chain-defaults"));
                    }
                }
                case "routes" -> elements(e.getValue(), path, (element, at) -> only(element, at, ROUTE));
                case "oracle" -> oracle(e.getValue(), path, ref.getObject("oracle"));
                case "payment" -> payment(e.getValue(), path, ref.getObject("payment"));
                default -> against(e.getValue(), path, key, ref.root());
            }
        }
    }

    private interface ElementCheck {
        void check(ConfigObject element, String path);
    }

    /** A chain entry, or {@code chain-defaults} itself (whose {@code finality} may also say {@code confirmations}). */
    private static void chain(ConfigObject chain, String path, ConfigObject defaults) {
        boolean entry = path.endsWith("]");
        for (Map.Entry<String, ConfigValue> e : chain.entrySet()) {
            String key = e.getKey();
            String at = path + "." + key;
            if (entry && CHAIN_ONLY.contains(key)) {
                continue;
            }
            if (key.equals("finality")) {
                if (e.getValue() instanceof ConfigObject f) {
                    only(f, at, FINALITY);
                }
                continue;
            }
            if (entry && defaults.get(key) == null) {
                // a chain entry also has its own keys: suggest among those and the defaults'
                Set<String> known = new TreeSet<>(CHAIN_ONLY);
                known.addAll(defaults.keySet());
                throw unknown(at, key, known);
            }
            against(e.getValue(), at, key, defaults);
        }
    }

    private static void oracle(ConfigValue value, String path, ConfigObject reference) {
        if (!(value instanceof ConfigObject oracle)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : oracle.entrySet()) {
            String at = path + "." + e.getKey();
            switch (e.getKey()) {
                case "routes" -> elements(e.getValue(), at, (element, p) -> only(element, p, ORACLE_ROUTE));
                case "native-assets" -> elements(e.getValue(), at, (element, p) -> only(element, p, NATIVE_ASSET));
                case "assets" -> elements(e.getValue(), at, (element, p) -> {
                    only(element, p, ASSET);
                    ConfigValue sources = element.get("sources");
                    if (sources != null) {
                        elements(sources, p + ".sources", (source, sp) -> only(source, sp, SOURCE));
                    }
                });
                case "updater" -> {
                    against(e.getValue(), at, e.getKey(), reference);
                    if (e.getValue() instanceof ConfigObject updater && updater.get("gas-oracles") != null) {
                        elements(updater.get("gas-oracles"), at + ".gas-oracles", (element, p) -> only(element, p, GAS_ORACLE));
                    }
                }
                default -> against(e.getValue(), at, e.getKey(), reference);
            }
        }
    }

    private static void payment(ConfigValue value, String path, ConfigObject reference) {
        if (!(value instanceof ConfigObject payment)) {
            return;
        }
        for (Map.Entry<String, ConfigValue> e : payment.entrySet()) {
            String at = path + "." + e.getKey();
            if (e.getKey().equals("routes")) {
                elements(e.getValue(), at, (element, p) -> only(element, p, PAYMENT_ROUTE));
            } else {
                against(e.getValue(), at, e.getKey(), reference);
            }
        }
    }

    /** {@code value}, found under {@code key} in an object whose reference is {@code parent}. */
    private static void against(ConfigValue value, String path, String key, ConfigObject parent) {
        ConfigValue known = parent.get(key);
        if (known == null) {
            throw unknown(path, key, parent.keySet());
        }
        if (value instanceof ConfigObject object && known instanceof ConfigObject knownObject) {
            for (Map.Entry<String, ConfigValue> e : object.entrySet()) {
                against(e.getValue(), path + "." + e.getKey(), e.getKey(), knownObject);
            }
        }
    }

    private static void only(ConfigObject object, String path, Set<String> keys) {
        for (String key : object.keySet()) {
            if (!keys.contains(key)) {
                throw unknown(path + "." + key, key, keys);
            }
        }
    }

    private static void elements(ConfigValue value, String path, ElementCheck check) {
        if (value.valueType() != ConfigValueType.LIST) {
            return; // the loader reports a wrong type with its own message
        }
        ConfigList list = (ConfigList) value;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof ConfigObject element) {
                check.check(element, path + "[" + i + "]");
            }
        }
    }

    private static ConfigException unknown(String path, String key, Set<String> known) {
        return new ConfigException(path, "unknown key (not in reference.conf)" + hint(key, known));
    }

    /** {@code "; did you mean 'x'?"} naming the known key nearest to {@code key} when it is close, else "". */
    private static String hint(String key, Set<String> known) {
        String nearest = null;
        int best = Integer.MAX_VALUE;
        for (String candidate : new TreeSet<>(known)) {
            int d = distance(key, candidate);
            if (d < best) {
                best = d;
                nearest = candidate;
            }
        }
        return nearest != null && best <= Math.max(2, key.length() / 4) ? "; did you mean '" + nearest + "'?" : "";
    }

    /** Levenshtein distance: small for a typo. */
    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] swap = prev;
            prev = cur;
            cur = swap;
        }
        return prev[b.length()];
    }
}
