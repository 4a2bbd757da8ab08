package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.store.TransferStore;
import io.courier.demo.TokenTraffic;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kill -9 of the relayer JVM while transfers are in flight (some SENT, some SUBMITTED or later), then a restart
 * on the same Cassandra: every transfer ends DELIVERED, and each message is executed exactly once on chain.
 */
@CassandraTest
class RelayerCrashIT {

    /** Enough for a transfer to stay SENT a few seconds on 1 s blocks, so the kill finds one there. */
    private static final int CONFIRMATIONS = 4;
    /** Kill rounds allowed to get two kills that catch a transfer still SENT (waiting for source finality). */
    private static final int MAX_ROUNDS = 5;

    @Test
    void killNineInFlightThenRestartDeliversEveryTransferOnce(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                              CqlSession session, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("crash")) {
            int port = RelayerProcess.freePort();
            Path config = RelayNetwork.writeConfig(ConfigFactory.parseString("courier.api.port = " + port)
                    .withFallback(net.config(db, keyspace.name(), dir.resolve("keys"), CONFIRMATIONS)), dir.resolve("node.conf"));
            Path log = dir.resolve("relayer.log");

            List<TokenTraffic.Sent> sent = new ArrayList<>();
            RelayerProcess relayer = RelayerProcess.start(config, port, log);
            TransferStore store = CassandraStores.prepare(session, keyspace.name()).transfers();
            int kills = 0;
            int killsBeforeFinality = 0;
            try {
                // every kill finds submissions in flight; two must also catch a transfer still waiting for source
                // finality (SENT). That moment is a race with the chain (1 s blocks), so a round that misses it is
                // repeated, at most MAX_ROUNDS in all
                while (killsBeforeFinality < 2) {
                    assertThat(kills).as("rounds without a kill before source finality").isLessThan(MAX_ROUNDS);
                    // beta stops mining: alpha->beta transfers reach SUBMITTED and stay there (tx pending on beta)
                    net.beta.stopMining();
                    List<TokenTraffic.Sent> pending = List.of(alphaToBeta(net, sent), alphaToBeta(net, sent));
                    RelayNetwork.awaitStatus(store, pending, TransferStatus.SUBMITTED, Duration.ofSeconds(60));
                    // and this one is killed while, with luck, still waiting for source finality
                    List<TokenTraffic.Sent> young = List.of(alphaToBeta(net, sent));
                    RelayNetwork.awaitStatus(store, young, TransferStatus.SENT, Duration.ofSeconds(30));
                    relayer.kill();
                    kills++;
                    // the node is dead: what the store says now is what it held at the kill
                    Map<TransferStatus, Integer> atKill = states(store, pending);
                    Map<TransferStatus, Integer> youngAtKill = states(store, young);
                    System.out.printf("crash test: kill -9 #%d with %d transfers: pending %s, young %s, all %s%n",
                            kills, sent.size(), atKill, youngAtKill, states(store, sent));
                    assertThat(atKill).as("killed with submissions in flight (beta not mining)")
                            .isEqualTo(Map.of(TransferStatus.SUBMITTED, pending.size()));
                    assertThat(youngAtKill.keySet()).as("the young transfer at the kill").hasSize(1)
                            .isSubsetOf(TransferStatus.SENT, TransferStatus.FINALIZED, TransferStatus.ATTESTED,
                                    TransferStatus.SUBMITTED);
                    if (youngAtKill.containsKey(TransferStatus.SENT)) {
                        killsBeforeFinality++;
                    }
                    net.beta.startMining();
                    sent.addAll(net.send(2, sent.size())); // both directions while the node is dead
                    relayer = RelayerProcess.start(config, port, log);
                }
                RelayNetwork.awaitDelivered(store, sent, Duration.ofSeconds(180));
            } finally {
                relayer.close();
            }
            assertThat(killsBeforeFinality).isEqualTo(2);

            Map<String, Integer> executions = net.executionsOnDestinations();
            long lost = sent.stream().filter(s -> executions.getOrDefault(s.messageId(), 0) == 0).count();
            long twice = sent.stream().filter(s -> executions.getOrDefault(s.messageId(), 0) > 1).count();
            System.out.printf("crash test: %d transfers, %d kills (%d before source finality): lost %d, delivered twice %d%n",
                    sent.size(), kills, killsBeforeFinality, lost, twice);
            assertThat(lost).isZero();
            assertThat(twice).isZero();
            assertThat(executions).hasSize(sent.size());
            net.assertBalances(sent);
        }
    }

    private static TokenTraffic.Sent alphaToBeta(RelayNetwork net, List<TokenTraffic.Sent> sent) throws Exception {
        TokenTraffic.Sent s = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA,
                RelayNetwork.UNIT.multiply(java.math.BigInteger.valueOf(sent.size() + 1)));
        sent.add(s);
        return s;
    }


    private static Map<TransferStatus, Integer> states(TransferStore store, List<TokenTraffic.Sent> sent) throws Exception {
        Map<TransferStatus, Integer> states = new EnumMap<>(TransferStatus.class);
        for (TokenTraffic.Sent s : sent) {
            Optional<Transfer> t = store.find(MessageId.fromHex(s.messageId())).toCompletableFuture().get();
            t.ifPresent(transfer -> states.merge(transfer.status(), 1, Integer::sum));
        }
        return states;
    }

}
