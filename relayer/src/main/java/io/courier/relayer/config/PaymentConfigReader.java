package io.courier.relayer.config;

import static io.courier.relayer.config.NodeConfigLoader.decimal;
import static io.courier.relayer.config.NodeConfigLoader.read;

import com.typesafe.config.Config;
import io.courier.payment.PaymentMode;
import io.courier.payment.PaymentPolicy;
import io.courier.payment.RoutePayment;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/** Reads {@code courier.payment}: the default policy and tolerance, and per-route overrides. */
final class PaymentConfigReader {

    private PaymentConfigReader() {}

    static PaymentPolicy read(Config root, List<ChainSettings> chains) {
        Config p = root.getConfig("payment");
        RoutePayment defaults = rule(p, "courier.payment", null);
        Set<Long> known = chains.stream().map(ChainSettings::chainId).collect(Collectors.toSet());
        Map<String, RoutePayment> byRoute = new LinkedHashMap<>();
        List<? extends Config> routes = NodeConfigLoader.read("courier.payment.routes", () -> p.getConfigList("routes"));
        for (int i = 0; i < routes.size(); i++) {
            String path = "courier.payment.routes[" + i + "]";
            Config r = routes.get(i);
            long from = NodeConfigLoader.read(path + ".from", () -> r.getLong("from"));
            long to = NodeConfigLoader.read(path + ".to", () -> r.getLong("to"));
            if (from == to || !known.contains(from) || !known.contains(to)) {
                throw new ConfigException(path, "a route goes between two different chains of courier.chains, got " + from + " -> " + to);
            }
            if (byRoute.put(PaymentPolicy.route(from, to), rule(r.withFallback(p), path, defaults)) != null) {
                throw new ConfigException(path, "route " + from + " -> " + to + " is listed twice");
            }
        }
        return new PaymentPolicy(defaults, byRoute);
    }

    /**
     * Refuses a route that requires payment but that the oracle could never quote (a chain of it has no native asset):
     * every message on it would wait unpaid, never delivered and never said to be wrong. Caught at start, the
     * operator either prices the route or sponsors it.
     */
    static void requireQuotable(PaymentPolicy payment, io.courier.oracle.QuotePolicy quotes, List<ChainSettings> chains) {
        for (ChainSettings from : chains) {
            for (ChainSettings to : chains) {
                if (from.chainId() == to.chainId() || !payment.needsQuote(from.chainId(), to.chainId())) {
                    continue;
                }
                for (ChainSettings side : List.of(from, to)) {
                    if (quotes.nativeAsset(side.chainId()).isEmpty()) {
                        throw new ConfigException("courier.payment", "route " + from.chainId() + " -> " + to.chainId()
                                + " requires payment (policy \"required\"), but chain " + side.chainId() + " (" + side.name()
                                + ") has no native asset in courier.oracle.native-assets, so no message on it could ever be quoted"
                                + " and every one would wait unpaid. Price it (courier.oracle.assets and native-assets) or sponsor"
                                + " the route: courier.payment.routes = [{ from = " + from.chainId() + ", to = " + to.chainId()
                                + ", policy = \"sponsored\" }] (or courier.payment.policy = \"sponsored\" for every route)");
                    }
                }
            }
        }
    }

    private static RoutePayment rule(Config c, String path, RoutePayment defaults) {
        PaymentMode mode;
        try {
            mode = PaymentMode.parse(NodeConfigLoader.read(path + ".policy", () -> c.getString("policy")));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(path + ".policy", e.getMessage());
        }
        BigDecimal tolerance = decimal(c, "tolerance", path);
        if (tolerance.compareTo(BigDecimal.ONE) >= 0) {
            throw new ConfigException(path + ".tolerance", "a ratio below 1 (0.05 = 5 %), was " + tolerance.toPlainString());
        }
        return new RoutePayment(mode, tolerance);
    }
}
