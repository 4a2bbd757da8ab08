package io.courier.demo;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.courier.contracts.GasOracle;
import io.courier.contracts.Gateway;
import io.courier.testkit.LocalChain;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;

/**
 * The demo's on-chain pricing: a {@code GasOracle} on each chain whose updater is the node's updater role (an account of
 * its own, neither a validator nor the submitter), each Gateway pointed at it, and the {@code courier.oracle.updater}
 * config that keeps them priced; once the node runs, {@code Gateway.quoteFee} beside the API's quote.
 */
final class DemoGasOracles {

    /** The updater role's account on the deterministic Ganache wallet (0-3 are taken by {@link DemoNetwork}). */
    static final int UPDATER = 4;
    /** ×2 per update at most. */
    private static final BigInteger MAX_FACTOR_BPS = BigInteger.valueOf(20_000);

    private DemoGasOracles() {}

    /** Deploys a GasOracle per chain, points the chain's Gateway at it, and returns the updater's config (key under {@code keyDir}). */
    static Config deploy(DemoNetwork network, Path keyDir) throws Exception {
        Credentials updater = LocalChain.account(UPDATER);
        List<Map<String, Object>> oracles = new ArrayList<>();
        for (DemoNetwork.Deployment d : network.deployments()) {
            LocalChain chain = d.chain();
            var tm = DemoNetwork.transactions(chain, LocalChain.account(DemoNetwork.DEPLOYER));
            GasOracle oracle = GasOracle.deploy(chain.web3j(), tm, DemoNetwork.gas(), updater.getAddress(), MAX_FACTOR_BPS).send();
            Gateway.load(d.gateway(), chain.web3j(), tm, DemoNetwork.gas()).setGasOracle(oracle.getContractAddress()).send();
            oracles.add(Map.of("chain-id", chain.chainId(), "address", oracle.getContractAddress()));
        }
        Path key = Demo.writeSecret(keyDir, "oracle-updater.key", Demo.hex(updater.getEcKeyPair()));
        Map<String, Object> settings = new LinkedHashMap<>();
        settings.put("enabled", true);
        settings.put("key-file", key.toString());
        settings.put("gas-oracles", oracles);
        settings.put("interval", "5s");
        settings.put("heartbeat", "10m");
        return ConfigFactory.parseMap(Map.of("courier", Map.of("oracle", Map.of("updater", settings))));
    }

    /**
     * Prints {@code Gateway.quoteFee} of {@code from -> to}, waiting up to {@code patience} for the updater's first
     * update (before it the gateway reverts {@code NoGasData}). The demo goes on either way.
     */
    static void printOnChainQuote(PrintStream out, DemoNetwork network, long from, long to, long gasLimit, String route,
                                  Duration patience) throws InterruptedException {
        DemoNetwork.Deployment d = network.deployments().stream().filter(x -> x.chain().chainId() == from).findFirst().orElseThrow();
        Gateway gateway = Gateway.load(d.gateway(), d.chain().web3j(), DemoNetwork.transactions(d.chain(),
                LocalChain.account(DemoNetwork.DEPLOYER)), DemoNetwork.gas());
        Instant giveUp = Instant.now().plus(patience);
        String answer = "no update yet";
        while (Instant.now().isBefore(giveUp)) {
            try {
                BigInteger fee = gateway.quoteFee(BigInteger.valueOf(to), BigInteger.valueOf(gasLimit)).send();
                out.println("  on chain     " + route + ": Gateway.quoteFee = " + fee + " wei (GasOracle kept by the updater)");
                return;
            } catch (Exception e) {
                answer = e.getMessage();
                Thread.sleep(500);
            }
        }
        out.println("  on chain     " + route + ": no quote yet (" + answer + ")");
    }
}
