package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The chains mine only when the test says so, so the transfer is observed at each of those heights.
 */
@CassandraTest
class TagFinalityIT {

    private static final int TAG_DEPTH = 6;

    @Test
    void transferWaitsForTheFinalizedTag(LocalCassandra db, CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        // the test mines every block, so the transfer is watched at each height while the tag is below its block
        try (RelayNetwork net = RelayNetwork.start("tag", 0, RelayNetwork.ALPHA, RelayNetwork.BETA);
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
                assertThat(net.alpha.blockNumber()).as("instamine: the lock's block is the head").isEqualTo(lockBlock);
                RelayNetwork.awaitStatus(node.transfers(), List.of(sent), TransferStatus.SENT, Duration.ofSeconds(60));

                // at every head whose tagged block is below the lock's block, once the node has polled that head,
                // the transfer must still be SENT: TAG_DEPTH observations, each after a poll that saw the new head
                int observations = 0;
                for (long head = lockBlock; head - TAG_DEPTH < lockBlock; head++) {
                    JsonNode view = awaitHeadSeen(node, head, Duration.ofSeconds(30));
                    assertThat(view.path("finalizedHeight").asLong()).as("the node's finalized height at head %d", head)
                            .isLessThan(lockBlock);
                    Transfer t = node.transfers().find(MessageId.fromHex(sent.messageId())).toCompletableFuture().get().orElseThrow();
                    assertThat(t.status()).as("status at head %d (tag at %d, lock in %d)", head, head - TAG_DEPTH, lockBlock)
                            .isEqualTo(TransferStatus.SENT);
                    observations++;
                    net.alpha.mine(1);
                }
                assertThat(observations).isEqualTo(TAG_DEPTH);

                // the tag now reaches the lock's block: final, and delivered
                RelayNetwork.awaitDelivered(node.transfers(), List.of(sent), Duration.ofSeconds(60));
                assertThat(node.transfers().history(MessageId.fromHex(sent.messageId())).toCompletableFuture().get())
                        .extracting(h -> h.to()).containsSubsequence(TransferStatus.SENT, TransferStatus.FINALIZED,
                                TransferStatus.DELIVERED);
            }
        }
    }

    /** Waits until the node's watcher has finished a poll that saw {@code head} on alpha; its chain view then. */
    private static JsonNode awaitHeadSeen(CourierNode node, long head, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode view = NodeApi.chain(node, RelayNetwork.ALPHA);
        while (view.path("headBlock").asLong(-1) < head || view.path("lastScannedBlock").asLong(-1) < head) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("alpha's head " + head + " not seen by the node within " + timeout + ": " + view);
            }
            Thread.sleep(100);
            view = NodeApi.chain(node, RelayNetwork.ALPHA);
        }
        return view;
    }
}
