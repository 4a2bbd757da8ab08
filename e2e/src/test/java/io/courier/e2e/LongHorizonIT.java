package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.finality.TransferStatus;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.rpc.RpcProxy;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A transfer held back by an unreachable destination for a simulated 30 hours, through 3 node restarts, is
 * reported stuck (metric and API), then delivered exactly once when the destination returns.
 */
@CassandraTest
class LongHorizonIT {

    private static final ObjectMapper json = new ObjectMapper();

    @Test
    void heldThirtyHoursThroughThreeRestartsIsStuckThenDelivered(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                 @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("horizon"); RpcProxy betaProxy = RpcProxy.start(net.beta.rpcUrl())) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.rpcUrl(map, RelayNetwork.BETA, betaProxy.url());
            RelayNetwork.courier(map).put("monitor", Map.of("interval", "500ms", "default-sla", "6h"));
            RelayNetwork.courier(map).put("routes", List.of(Map.of("from", RelayNetwork.ALPHA, "to", RelayNetwork.BETA, "sla", "2h")));
            var config = net.nodeConfig(ConfigFactory.parseMap(map));
            MutableClock clock = new MutableClock();

            betaProxy.down(true); // the destination's only endpoint answers 503 to everything
            TokenTraffic.Sent held;
            CourierNode node = CourierNode.start(config, clock);
            try {
                held = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
                awaitStatus(node, held, TransferStatus.ATTESTED, Duration.ofSeconds(60));
                assertThat(stuckIds(node)).doesNotContain(held.messageId());
                for (int restart = 1; restart <= 3; restart++) {
                    clock.advance(Duration.ofHours(10));
                    node.close();
                    node = CourierNode.start(config, clock);
                    awaitStuck(node, held, Duration.ofSeconds(30));
                    System.out.printf("long horizon: restart %d at +%d h: %s stuck in ATTESTED, metric %s%n", restart,
                            restart * 10, held.messageId(), NodeApi.metric(node, "courier_transfers_stuck", "route=\"" + RelayNetwork.ALPHA + "->" + RelayNetwork.BETA + "\""));
                }
                assertThat(NodeApi.metric(node, "courier_transfers_stuck", "route=\"" + RelayNetwork.ALPHA + "->" + RelayNetwork.BETA + "\"")).isEqualTo(1.0);

                betaProxy.down(false);
                RelayNetwork.awaitDelivered(node.transfers(), List.of(held), Duration.ofSeconds(90));
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (System.nanoTime() < deadline && !stuckIds(node).isEmpty()) {
                    Thread.sleep(250);
                }
                assertThat(stuckIds(node)).isEmpty();
            } finally {
                node.close();
            }
            assertThat(net.executionsOnDestinations().get(held.messageId())).isEqualTo(1);
        }
    }

    private static void awaitStatus(CourierNode node, TokenTraffic.Sent s, TransferStatus status, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var t = node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().get();
            if (t.isPresent() && t.get().status() == status) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError(s.messageId() + " did not reach " + status + " within " + timeout);
    }

    private static void awaitStuck(CourierNode node, TokenTraffic.Sent s, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (stuckIds(node).contains(s.messageId())) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError(s.messageId() + " not reported stuck within " + timeout);
    }

    private static List<String> stuckIds(CourierNode node) throws Exception {
        HttpResponse<String> r = NodeApi.get(node.apiUrl() + "/v1/transfers?stuck=true");
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode transfers = json.readTree(r.body()).path("transfers");
        return java.util.stream.StreamSupport.stream(transfers.spliterator(), false).map(t -> t.path("messageId").asText()).toList();
    }
}
