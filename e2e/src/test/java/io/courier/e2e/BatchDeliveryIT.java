package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * A burst of 128 token transfers on one route, sent while the node is down, delivered through the node in batches
 * (docs/adr/009-batched-delivery.md): each executed exactly once on chain by any path, balances add up, and the
 * destination transactions are few, with the cheaper paths' gas per message. Prints the transactions and their gas.
 */
@CassandraTest
class BatchDeliveryIT {

    private static final int MESSAGES = 128;

    @Test
    void aBurstOf128IsDeliveredInAFewCheckpointTransactionsEachMessageOnce(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                          @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("batch")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            @SuppressWarnings("unchecked")
            Map<String, Object> submitter = new HashMap<>((Map<String, Object>) RelayNetwork.courier(map).get("submitter"));
            // time for the attester to sign the whole burst before the submitter plans it
            submitter.put("batch", Map.of("max-messages", MESSAGES, "max-wait", "5s"));
            RelayNetwork.courier(map).put("submitter", submitter);
            var config = net.nodeConfig(ConfigFactory.parseMap(map));

            // node down: the whole burst is final before anything is attested
            List<TokenTraffic.Sent> burst = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                burst.add(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.valueOf(i + 1))));
            }
            Map<TxHash, Integer> byTx = new HashMap<>();
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                RelayNetwork.awaitDelivered(node.transfers(), burst, Duration.ofSeconds(240));
                for (TokenTraffic.Sent s : burst) {
                    byTx.merge(find(node, s).destinationTx().orElseThrow(), 1, Integer::sum);
                }
            }

            Map<String, Integer> executions = net.executionsOnDestinations();
            assertThat(burst).allSatisfy(s -> assertThat(executions.get(s.messageId())).as("executions of %s", s.messageId()).isEqualTo(1));
            net.assertBalances(burst);

            long gas = 0;
            for (Map.Entry<TxHash, Integer> e : byTx.entrySet()) {
                TransactionReceipt r = net.beta.web3j().ethGetTransactionReceipt(e.getKey().toHex()).send().getTransactionReceipt().orElseThrow();
                assertThat(r.isStatusOK()).isTrue();
                gas += r.getGasUsed().longValueExact();
                System.out.printf("batch delivery: %s carried %d messages, gas %d (%d a message)%n", e.getKey(), e.getValue(),
                        r.getGasUsed(), r.getGasUsed().longValueExact() / e.getValue());
            }
            System.out.printf("batch delivery: %d messages in %d destination transactions, %d gas a message%n", MESSAGES, byTx.size(),
                    gas / MESSAGES);
            assertThat(byTx.size()).as("destination transactions for %d messages", MESSAGES).isLessThanOrEqualTo(MESSAGES / 8);
            assertThat(byTx.values().stream().mapToInt(Integer::intValue).max().orElse(0)).as("the largest batch").isGreaterThanOrEqualTo(32);
        }
    }

    /** The transfer as stored; a read that fails on a loaded machine (a Cassandra timeout) is asked again, a few times. */
    private static Transfer find(CourierNode node, TokenTraffic.Sent s) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().get().orElseThrow();
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }
}
