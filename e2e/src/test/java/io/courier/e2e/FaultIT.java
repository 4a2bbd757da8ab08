package io.courier.e2e;

import io.courier.chain.message.TxHash;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.contracts.Gateway;
import io.courier.contracts.TokenBridge;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.store.TransferStore;
import io.courier.demo.DemoNetwork;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import io.courier.testkit.rpc.FaultKind;
import io.courier.testkit.rpc.RpcProxy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.EthSendTransaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.tx.FastRawTransactionManager;
import org.web3j.tx.RawTransactionManager;
import org.web3j.utils.Numeric;

/**
 * The fault test: 200 token transfers from alpha to beta while a proxy in front of each chain injects random RPC faults
 * (errors, timeouts, dropped connections, "header not found"), the relayer JVM is killed with SIGKILL three times
 * at random moments and restarted, and at least five reorgs replace recent blocks of the source chain. Then it
 * counts, on chain: every transfer whose lock is on the final canonical chain is executed exactly once on its
 * destination (0 lost, 0 twice), and no transfer whose lock was reorged out is executed at all.
 */
@CassandraTest
@Tag("fault") // about 100 s; leave it out of a quick local run with -Dcourier.excludedGroups=fault
class FaultIT {

    private static final int TRANSFERS = 200;
    private static final int CONFIRMATIONS = 4;
    private static final int KILLS = 3;
    private static final int REORGS = 6;

    @Test
    void twoHundredTransfersThroughFaultsKillsAndReorgs(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                        CqlSession session, @TempDir Path dir) throws Exception {
        Random random = new Random(20261122);
        try (RelayNetwork net = RelayNetwork.start("fault");
             RpcProxy alphaProxy = faulty(RpcProxy.start(net.alpha.rpcUrl()), 1);
             RpcProxy betaProxy = faulty(RpcProxy.start(net.beta.rpcUrl()), 2)) {
            int port = RelayerProcess.freePort();
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), CONFIRMATIONS);
            RelayNetwork.rpcUrl(map, RelayNetwork.ALPHA, alphaProxy.url());
            RelayNetwork.rpcUrl(map, RelayNetwork.BETA, betaProxy.url());
            RelayNetwork.courier(map).put("api", Map.of("host", "127.0.0.1", "port", port));
            RelayNetwork.courier(map).put("chain-defaults", Map.of("request-timeout", "1s"));
            @SuppressWarnings("unchecked")
            Map<String, Object> submitter = new HashMap<>((Map<String, Object>) RelayNetwork.courier(map).get("submitter"));
            submitter.put("rebroadcast-after", "5s");
            RelayNetwork.courier(map).put("submitter", submitter);
            Path config = RelayNetwork.writeConfig(ConfigFactory.parseMap(map), dir.resolve("node.conf"));
            Path log = io.courier.testkit.ProjectLayout.workDir().resolve("fault-relayer-" + System.currentTimeMillis() + ".log");

            Set<Integer> killAt = new HashSet<>();
            while (killAt.size() < KILLS) {
                killAt.add(20 + random.nextInt(TRANSFERS - 40));
            }
            List<Integer> reorgAt = new ArrayList<>();
            for (int i = 1; i <= REORGS; i++) {
                reorgAt.add(i * TRANSFERS / (REORGS + 1));
            }

            // Ganache's pending nonce ignores pooled transactions between blocks: count nonces locally
            Map<Long, FastRawTransactionManager> senders = Map.of(
                    RelayNetwork.ALPHA, new FastRawTransactionManager(net.alpha.web3j(), LocalChain.account(DemoNetwork.USER), RelayNetwork.ALPHA),
                    RelayNetwork.BETA, new FastRawTransactionManager(net.beta.web3j(), LocalChain.account(DemoNetwork.USER), RelayNetwork.BETA));
            List<SentLock> sent = new ArrayList<>();
            int kills = 0;
            int reorgs = 0;
            long started = System.nanoTime();
            RelayerProcess relayer = RelayerProcess.start(config, port, log);
            try {
                for (int i = 0; i < TRANSFERS; i++) {
                    long src = RelayNetwork.ALPHA;
                    if (reorgAt.contains(i)) {
                        // reorg the source chain, shallower than its finality (1 block a second, 4 confirmations):
                        // snapshot, a lock mined in the next block or two, revert; other blocks take those heights
                        String snap = net.alpha.snapshot();
                        SentLock doomed = lock(net, senders.get(src), src, i);
                        sent.add(doomed);
                        // the relayer gets a bounded chance to record the lock first, so the reorg removes a transfer it
                        // saw (asserted below); bounded well inside finality, so the reorg stays shallower than it
                        // (a fixed 1.2 s sleep left that to luck: one CI run saw none of the locks it reorged out)
                        awaitRecorded(session, keyspace.name(), doomed, Duration.ofMillis(2_500));
                        net.alpha.revert(snap);
                        senders.get(src).resetNonce(); // the account's nonce went back with the chain
                        reorgs++;
                        continue;
                    }
                    sent.add(lock(net, senders.get(src), src, i));
                    if (killAt.contains(i)) {
                        relayer.kill();
                        kills++;
                        Thread.sleep(500 + random.nextInt(1500));
                        relayer = RelayerProcess.start(config, port, log);
                    }
                    Thread.sleep(random.nextInt(150));
                }

                // what is on the final canonical chains now (the chains keep mining one block a second)
                Thread.sleep(3_000);
                List<SentLock> canonical = new ArrayList<>();
                List<SentLock> reorgedOut = new ArrayList<>();
                for (SentLock s : sent) {
                    Optional<TransactionReceipt> r = (s.src() == RelayNetwork.ALPHA ? net.alpha : net.beta).web3j()
                            .ethGetTransactionReceipt(s.txHash()).send().getTransactionReceipt();
                    if (r.isPresent()) {
                        List<Gateway.MessageSentEventResponse> events = Gateway.getMessageSentEvents(r.get());
                        canonical.add(s.withId(Numeric.toHexString(events.get(0).id)));
                    } else {
                        reorgedOut.add(s);
                    }
                }
                TransferStore store = CassandraStores.prepare(session, keyspace.name()).transfers();
                awaitDelivered(store, canonical, Duration.ofSeconds(240));
                // a fault test must inject what it claims: the rates are per call, and a quick run may not have drawn
                // every kind on every proxy yet (header-not-found hits block, log and call reads only); the node keeps
                // polling its heads through the proxies meanwhile, so each kind comes, within a bound
                awaitEveryPlannedFault(List.of(alphaProxy, betaProxy), Duration.ofSeconds(120));

                Map<String, Integer> executions = net.executionsOnDestinations();
                long lost = canonical.stream().filter(s -> executions.getOrDefault(s.messageId(), 0) == 0).count();
                long twice = canonical.stream().filter(s -> executions.getOrDefault(s.messageId(), 0) > 1).count();
                Set<String> reorgedIds = new HashSet<>();
                Map<TransferStatus, Integer> reorgedStates = new HashMap<>();
                for (SentLock s : reorgedOut) {
                    store.findBySourceTx(s.src(), TxHash.fromHex(s.txHash())).toCompletableFuture().get().forEach(t -> {
                        reorgedIds.add(t.id().toHex());
                        reorgedStates.merge(t.status(), 1, Integer::sum);
                    });
                }
                long reorgedDelivered = reorgedIds.stream().filter(id -> executions.getOrDefault(id, 0) > 0).count();
                Set<String> known = new HashSet<>();
                canonical.forEach(s -> known.add(s.messageId()));
                long unexplained = executions.keySet().stream().filter(id -> !known.contains(id)).count();
                System.out.printf("fault test: %d transfers sent (%d on the final chains, %d reorged out, %d of those "
                                + "seen by the relayer), %d kill -9, %d reorgs, faults injected "
                                + "alpha %s beta %s: lost %d, delivered twice %d, reorged-out delivered %d, unexplained "
                                + "executions %d, %d s%n",
                        sent.size(), canonical.size(), reorgedOut.size(), reorgedIds.size(), kills, reorgs,
                        injected(alphaProxy), injected(betaProxy), lost, twice,
                        reorgedDelivered, unexplained, Duration.ofNanos(System.nanoTime() - started).toSeconds());
                assertThat(kills).isEqualTo(KILLS);
                assertThat(reorgs).isGreaterThanOrEqualTo(5);
                // the reorgs were real to the relayer: it recorded some of the locks they removed, and ended each REORGED
                assertThat(reorgedOut).as("locks no longer on the chain").isNotEmpty();
                assertThat(reorgedIds).as("reorged-out locks the relayer saw").isNotEmpty();
                assertThat(reorgedStates).as("states of the reorged-out transfers").containsOnlyKeys(TransferStatus.REORGED);
                // and the faults were real too: each proxy injected every kind planned
                for (RpcProxy proxy : List.of(alphaProxy, betaProxy)) {
                    for (FaultKind kind : PLANNED) {
                        assertThat(proxy.injected(kind)).as("%s injected by %s", kind, proxy.url()).isPositive();
                    }
                }
                assertThat(lost).isZero();
                assertThat(twice).isZero();
                assertThat(reorgedDelivered).isZero();
                assertThat(unexplained).isZero();
            } finally {
                relayer.close();
            }
        }
    }

    private record SentLock(long src, String txHash, String messageId) {
        SentLock withId(String id) {
            return new SentLock(src, txHash, id);
        }
    }

    /** The kinds {@link #faulty} sets a rate for. */
    private static final List<FaultKind> PLANNED =
            List.of(FaultKind.ERROR, FaultKind.TIMEOUT, FaultKind.DROP, FaultKind.HEADER_NOT_FOUND);

    private static void awaitEveryPlannedFault(List<RpcProxy> proxies, Duration bound) throws InterruptedException {
        Instant deadline = Instant.now().plus(bound);
        while (Instant.now().isBefore(deadline)
                && proxies.stream().anyMatch(p -> PLANNED.stream().anyMatch(kind -> p.injected(kind) == 0))) {
            Thread.sleep(250);
        }
    }

    private static RpcProxy faulty(RpcProxy proxy, long seed) {
        return proxy.seed(seed).errorRate(0.03).timeoutRate(0.01, Duration.ofMillis(1500)).dropRate(0.02)
                .headerNotFoundRate(0.02);
    }

    private static String injected(RpcProxy proxy) {
        StringBuilder out = new StringBuilder("{");
        for (FaultKind kind : FaultKind.values()) {
            long n = proxy.injected(kind);
            if (n > 0) {
                out.append(out.length() > 1 ? ", " : "").append(kind.name().toLowerCase()).append('=').append(n);
            }
        }
        return out.append('}').toString();
    }

    /** Sends a lock without waiting for its receipt (the chain mines a block a second). Amounts are unique. */
    private static SentLock lock(RelayNetwork net, RawTransactionManager sender, long src, int index) throws Exception {
        DemoNetwork.Deployment d = net.network.on(src);
        long dst = src == RelayNetwork.ALPHA ? RelayNetwork.BETA : RelayNetwork.ALPHA;
        LocalChain chain = src == RelayNetwork.ALPHA ? net.alpha : net.beta;
        String data = TokenBridge.load(d.bridge(), chain.web3j(), sender, DemoNetwork.gas())
                .lock(BigInteger.valueOf(dst), net.traffic.recipient(), RelayNetwork.UNIT.multiply(BigInteger.valueOf(index + 1)),
                        BigInteger.ZERO).encodeFunctionCall();
        EthSendTransaction tx = sender.sendTransaction(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(300_000),
                d.bridge(), data, BigInteger.ZERO);
        if (tx.hasError()) {
            throw new AssertionError("lock " + index + " on chain " + src + " refused: " + tx.getError().getMessage());
        }
        return new SentLock(src, tx.getTransactionHash(), null);
    }

    /**
     * Until the relayer has recorded {@code lock} or {@code bound} has passed. A relayer still starting (no schema yet)
     * or a failed read counts as not yet.
     */
    private static void awaitRecorded(CqlSession session, String keyspace, SentLock lock, Duration bound) throws InterruptedException {
        long deadline = System.nanoTime() + bound.toNanos();
        TransferStore store = null;
        while (System.nanoTime() < deadline) {
            try {
                store = store != null ? store : CassandraStores.prepare(session, keyspace).transfers();
                if (!store.findBySourceTx(lock.src(), TxHash.fromHex(lock.txHash())).toCompletableFuture().get().isEmpty()) {
                    return;
                }
            } catch (Exception notYet) {
                // the schema is not there yet, or the read failed: ask again
            }
            Thread.sleep(100);
        }
    }

    private static void awaitDelivered(TransferStore store, List<SentLock> canonical, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Map<TransferStatus, Integer> states = new HashMap<>();
        while (System.nanoTime() < deadline) {
            states.clear();
            for (SentLock s : canonical) {
                Optional<Transfer> t = store.find(MessageId.fromHex(s.messageId())).toCompletableFuture().get();
                states.merge(t.map(Transfer::status).orElse(TransferStatus.SENT), 1, Integer::sum);
            }
            if (states.getOrDefault(TransferStatus.DELIVERED, 0) == canonical.size()) {
                return;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError("canonical transfers not all DELIVERED within " + timeout + ": " + states);
    }

}
