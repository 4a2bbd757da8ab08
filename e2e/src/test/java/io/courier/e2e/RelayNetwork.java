package io.courier.e2e;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigRenderOptions;
import io.courier.chain.message.MessageId;
import io.courier.demo.DemoConfig;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.config.NodeConfigLoader;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Two real chains with Courier deployed, a user sending token transfers, and the checks the relay tests share. */
final class RelayNetwork implements AutoCloseable {

    static final long ALPHA = 2001;
    static final long BETA = 2002;
    static final long GAMMA = 2003;
    static final BigInteger UNIT = BigInteger.TEN.pow(18);

    final LocalChain alpha;
    final LocalChain beta;
    final List<LocalChain> chains;
    final DemoNetwork network;
    final TokenTraffic traffic;

    private RelayNetwork(List<LocalChain> chains, DemoNetwork network, TokenTraffic traffic) {
        this.alpha = chains.get(0);
        this.beta = chains.get(1);
        this.chains = chains;
        this.network = network;
        this.traffic = traffic;
    }

    /** alpha and beta, one block a second. */
    static RelayNetwork start(String name) throws Exception {
        return start(name, 1, ALPHA, BETA);
    }

    /** Chains with these ids ({@code blockTime} 0 = a block per transaction, for tests that mine by hand). */
    static RelayNetwork start(String name, int blockTime, long... ids) throws Exception {
        List<LocalChain> chains = new ArrayList<>();
        try {
            for (long id : ids) {
                chains.add(LocalChain.start(LocalChain.Options.chainId(id).blockTime(blockTime).name(name + "-" + id)));
            }
            DemoNetwork network = DemoNetwork.deploy(chains, DemoNetwork.demoValidatorKeys(3), 2);
            TokenTraffic traffic = new TokenTraffic(network);
            traffic.fundUser(UNIT.multiply(BigInteger.valueOf(1_000_000)));
            return new RelayNetwork(List.copyOf(chains), network, traffic);
        } catch (Exception | Error e) {
            chains.forEach(LocalChain::close);
            throw e;
        }
    }

    /** Node config for this network, a keyspace of the shared Cassandra, and an API on a free port. */
    Config config(LocalCassandra db, String keyspace, Path keyDir, int confirmations) throws Exception {
        return ConfigFactory.parseMap(DemoConfig.map(network, db.contactPoint().getHostString() + ":" + db.contactPoint().getPort(),
                keyspace, 0, confirmations, keyDir));
    }

    /** The same config as a mutable map, for tests that reroute a chain (through a fault proxy) or tune the node. */
    Map<String, Object> configMap(LocalCassandra db, String keyspace, Path keyDir, int confirmations) throws Exception {
        return DemoConfig.map(network, db.contactPoint().getHostString() + ":" + db.contactPoint().getPort(),
                keyspace, 0, confirmations, keyDir);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> courier(Map<String, Object> map) {
        return (Map<String, Object>) map.get("courier");
    }

    /** Points the node's view of {@code chainId} at another URL (a proxy in front of the chain). */
    @SuppressWarnings("unchecked")
    static void rpcUrl(Map<String, Object> map, long chainId, String url) {
        ((List<Map<String, Object>>) courier(map).get("chains")).stream()
                .filter(c -> ((Number) c.get("chain-id")).longValue() == chainId)
                .forEach(c -> c.put("rpc-url", url));
    }

    NodeConfig nodeConfig(Config config) {
        return NodeConfigLoader.fromEnvironment().load(config);
    }

    static Path writeConfig(Config config, Path file) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, config.root().render(ConfigRenderOptions.concise().setFormatted(true).setJson(false)));
        return file;
    }

    /** Sends {@code n} locks alternating alpha→beta and beta→alpha, amounts 1..n units. */
    List<TokenTraffic.Sent> send(int n, int offset) throws Exception {
        List<TokenTraffic.Sent> sent = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long src = (i + offset) % 2 == 0 ? ALPHA : BETA;
            sent.add(traffic.lock(src, src == ALPHA ? BETA : ALPHA, UNIT.multiply(BigInteger.valueOf(i + offset + 1))));
        }
        return sent;
    }

    /** Waits until every transfer is DELIVERED in the store; fails with a per-state summary. */
    static void awaitDelivered(TransferStore store, List<TokenTraffic.Sent> sent, Duration timeout) throws Exception {
        awaitStatus(store, sent, TransferStatus.DELIVERED, timeout);
    }

    /** Waits until every transfer is in {@code status} in the store; fails with a per-state summary. */
    static void awaitStatus(TransferStore store, List<TokenTraffic.Sent> sent, TransferStatus status, Duration timeout)
            throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        Map<String, TransferStatus> last = new HashMap<>();
        while (Instant.now().isBefore(deadline)) {
            last.clear();
            for (TokenTraffic.Sent s : sent) {
                Optional<Transfer> t = store.find(MessageId.fromHex(s.messageId())).toCompletableFuture().get();
                last.put(s.messageId(), t.map(Transfer::status).orElse(null));
            }
            if (last.values().stream().allMatch(st -> st == status)) {
                return;
            }
            Thread.sleep(250);
        }
        Map<TransferStatus, Integer> byState = new EnumMap<>(TransferStatus.class);
        int unseen = 0;
        for (TransferStatus st : last.values()) {
            if (st == null) unseen++; else byState.merge(st, 1, Integer::sum);
        }
        throw new AssertionError("not all " + sent.size() + " transfers " + status + " within " + timeout + ": " + byState
                + ", never observed: " + unseen);
    }

    /** How many times each message id was executed on its destination gateway, by any path (DestinationExecutions). */
    Map<String, Integer> executionsOnDestinations() throws Exception {
        return io.courier.demo.DestinationExecutions.count(network.deployments());
    }

    /** Per route, locked on the source equals minted on the destination equals what was sent. */
    void assertBalances(List<TokenTraffic.Sent> sent) throws Exception {
        Map<Long, BigInteger> bySource = new HashMap<>();
        for (TokenTraffic.Sent s : sent) {
            bySource.merge(s.srcChainId(), s.amount(), BigInteger::add);
        }
        for (Map.Entry<Long, BigInteger> e : bySource.entrySet()) {
            long src = e.getKey();
            long dst = src == ALPHA ? BETA : ALPHA;
            BigInteger locked = traffic.lockedIn(src);
            BigInteger minted = traffic.wrappedBalance(dst, src);
            if (!locked.equals(e.getValue()) || !minted.equals(e.getValue())) {
                throw new AssertionError("route " + src + "->" + dst + ": sent " + e.getValue() + ", locked " + locked
                        + ", minted " + minted);
            }
        }
    }

    @Override
    public void close() {
        chains.forEach(LocalChain::close);
    }
}
