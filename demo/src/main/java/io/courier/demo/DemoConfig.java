package io.courier.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.ECKeyPair;

/** The node configuration for a {@link DemoNetwork}: the same keys a production config has, values local. */
public final class DemoConfig {

    private DemoConfig() {}

    /** Writes the keys to owner-only files under {@code keyDir} and returns the node config that reads them. */
    public static Config node(DemoNetwork network, LocalCassandra db, int apiPort, int confirmations, Path keyDir) throws IOException {
        return ConfigFactory.parseMap(map(network, db.contactPoint().getHostString() + ":" + db.contactPoint().getPort(),
                "courier", apiPort, confirmations, keyDir));
    }

    public static Map<String, Object> map(DemoNetwork network, String contactPoint, String keyspace, int apiPort,
                                          int confirmations, Path keyDir) throws IOException {
        List<String> keyFiles = new ArrayList<>();
        List<ECKeyPair> keys = network.validatorKeys();
        for (int i = 0; i < keys.size(); i++) {
            keyFiles.add(Demo.writeSecret(keyDir, "validator-" + i + ".key", Demo.hex(keys.get(i))).toString());
        }
        Path submitterKey = Demo.writeSecret(keyDir, "submitter.key",
                Demo.hex(LocalChain.account(DemoNetwork.SUBMITTER).getEcKeyPair()));
        List<Map<String, Object>> chains = new ArrayList<>();
        for (DemoNetwork.Deployment d : network.deployments()) {
            Map<String, Object> chain = new LinkedHashMap<>();
            chain.put("name", d.chain().name());
            chain.put("chain-id", d.chain().chainId());
            chain.put("rpc-url", d.chain().rpcUrl());
            chain.put("gateway", d.gateway());
            chain.put("finality", Map.of("confirmations", confirmations));
            chain.put("poll-interval", "250ms");
            chains.add(chain);
        }
        Map<String, Object> courier = new LinkedHashMap<>();
        courier.put("node", Map.of("name", "demo-node"));
        courier.put("cassandra", Map.of("contact-points", List.of(contactPoint), "keyspace", keyspace));
        courier.put("api", Map.of("host", "127.0.0.1", "port", apiPort));
        courier.put("chains", chains);
        // this local network has no oracle of its own, so its routes are sponsored: the tests built on it send unpaid
        // messages. `courier demo` adds its price feeds and `required` over this (DemoPrices), and its traffic pays.
        courier.put("payment", Map.of("policy", "sponsored"));
        // the demo is the exception to "no node holds threshold keys": every validator runs on this one machine
        courier.put("validator", Map.of("set", DemoNetwork.addresses(keys), "threshold", network.threshold(), "key-files", keyFiles,
                "unsafe-allow-threshold-keys", true));
        courier.put("submitter", Map.of("key-file", submitterKey.toString(), "receipt-poll-interval", "250ms",
                "sweep-interval", "2s", "rebroadcast-after", "10s"));
        return Map.of("courier", courier);
    }
}
