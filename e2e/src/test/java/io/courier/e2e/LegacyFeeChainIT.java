package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.rpc.RpcProxy;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A destination chain whose blocks carry no base fee (before London, or a chain that never adopted EIP-1559), as its
 * node shows it: the fee history reports zero base fees. The node detects it (fee mode auto), prices by
 * {@code eth_gasPrice} and delivers with legacy (type 0) transactions, each message once (issue 10, part 3).
 */
@CassandraTest
class LegacyFeeChainIT {

    @Test
    void aChainWithoutBaseFeesIsDetectedAndDeliveredToWithLegacyTransactions(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                           @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("legacy");
             RpcProxy beta = RpcProxy.start(net.beta.rpcUrl())) {
            // what a pre-London node answers: blocks without a base fee (zeros in the fee history)
            beta.rewriteResult("eth_feeHistory", (params, result) -> {
                if (result instanceof ObjectNode history && history.get("baseFeePerGas") instanceof ArrayNode fees) {
                    for (int i = 0; i < fees.size(); i++) {
                        fees.set(i, TextNode.valueOf("0x0"));
                    }
                }
                return result;
            });
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.rpcUrl(map, RelayNetwork.BETA, beta.url());
            var config = net.nodeConfig(ConfigFactory.parseMap(map));

            List<TokenTraffic.Sent> sent = new ArrayList<>();
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                for (int i = 0; i < 4; i++) {
                    sent.add(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.valueOf(i + 1))));
                }
                RelayNetwork.awaitDelivered(node.transfers(), sent, Duration.ofSeconds(120));
                for (TokenTraffic.Sent s : sent) {
                    Transfer t = node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().join().orElseThrow();
                    var tx = net.beta.web3j().ethGetTransactionByHash(t.destinationTx().orElseThrow().toHex()).send().getTransaction().orElseThrow();
                    assertThat(tx.getType()).as("type of %s", tx.getHash()).isIn("0x0", "0x00", null);
                    assertThat(tx.getMaxFeePerGas()).isNull();
                }
            }
            Map<String, Integer> executions = net.executionsOnDestinations();
            assertThat(sent).allSatisfy(s -> assertThat(executions.get(s.messageId())).isEqualTo(1));
            net.assertBalances(sent);
        }
    }
}
