package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.rpc.RpcProxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Finality by the node's {@code finalized} tag: the proxy makes alpha's node answer "finalized" = head - 6 (Ganache
 * itself answers it as latest). A transfer stays SENT while its block is above the tagged block, then is delivered.
 */
@CassandraTest
class TagFinalityIT {

    private static final int TAG_DEPTH = 6;

    @Test
    void transferWaitsForTheFinalizedTag(LocalCassandra db, CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("tag");
             RpcProxy alphaProxy = RpcProxy.start(net.alpha.rpcUrl()).finalizedDepth(TAG_DEPTH)) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 1);
            RelayNetwork.rpcUrl(map, RelayNetwork.ALPHA, alphaProxy.url());
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> chains = (List<Map<String, Object>>) RelayNetwork.courier(map).get("chains");
            chains.stream().filter(c -> ((Number) c.get("chain-id")).longValue() == RelayNetwork.ALPHA)
                    .forEach(c -> c.put("finality", Map.of("tag", "finalized")));
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                TokenTraffic.Sent sent = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
                long lockBlock = net.alpha.web3j().ethGetTransactionReceipt(sent.txHash()).send()
                        .getTransactionReceipt().orElseThrow().getBlockNumber().longValueExact();
                // while the tagged block is below the lock's block, the transfer must still be SENT
                while (net.alpha.blockNumber() - TAG_DEPTH < lockBlock - 1) {
                    Transfer t = node.transfers().find(MessageId.fromHex(sent.messageId())).toCompletableFuture().get().orElse(null);
                    assertThat(t == null || t.status() == TransferStatus.SENT)
                            .as("status at head %d (tag at %d, lock in %d): %s", net.alpha.blockNumber(),
                                    net.alpha.blockNumber() - TAG_DEPTH, lockBlock, t == null ? null : t.status())
                            .isTrue();
                    Thread.sleep(200);
                }
                RelayNetwork.awaitDelivered(node.transfers(), List.of(sent), Duration.ofSeconds(60));
                Transfer delivered = node.transfers().find(MessageId.fromHex(sent.messageId())).toCompletableFuture().get().orElseThrow();
                Duration waited = Duration.between(delivered.createdAt(), delivered.stageTime(TransferStatus.FINALIZED).orElseThrow());
                assertThat(waited).isGreaterThan(Duration.ofSeconds(TAG_DEPTH - 3)); // one block a second
            }
        }
    }
}
