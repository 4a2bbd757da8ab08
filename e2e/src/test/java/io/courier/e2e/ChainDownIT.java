package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.rpc.RpcProxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Three chains; every endpoint of gamma goes down. alpha <-> beta keeps delivering, {@code /v1/chains} shows gamma
 * unhealthy, and when gamma returns its transfers (both directions) complete, each executed once.
 */
@CassandraTest
class ChainDownIT {


    @Test
    void otherRoutesKeepDeliveringWhileOneChainIsDown(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                      @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("down", 1, RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.GAMMA);
             RpcProxy gammaProxy = RpcProxy.start(net.chains.get(2).rpcUrl())) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.rpcUrl(map, RelayNetwork.GAMMA, gammaProxy.url());
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                gammaProxy.offline(); // connection refused: the chain's only endpoint is gone

                List<TokenTraffic.Sent> toAndFromGamma = new ArrayList<>();
                toAndFromGamma.add(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.GAMMA, RelayNetwork.UNIT));
                toAndFromGamma.add(net.traffic.lock(RelayNetwork.GAMMA, RelayNetwork.BETA, RelayNetwork.UNIT)); // straight to gamma's node
                List<TokenTraffic.Sent> healthy = net.send(6, 0);
                RelayNetwork.awaitDelivered(node.transfers(), healthy, Duration.ofSeconds(90));

                JsonNode gamma = NodeApi.chain(node, RelayNetwork.GAMMA);
                assertThat(gamma.path("healthy").asBoolean()).isFalse();
                assertThat(NodeApi.chain(node, RelayNetwork.ALPHA).path("healthy").asBoolean()).isTrue();
                assertThat(NodeApi.get(node.apiUrl() + "/readyz").statusCode()).isEqualTo(503);
                System.out.printf("chain down: %d alpha<->beta transfers delivered while gamma was down; gamma: %s%n",
                        healthy.size(), gamma);

                gammaProxy.online();
                RelayNetwork.awaitDelivered(node.transfers(), toAndFromGamma, Duration.ofSeconds(120));
                Map<String, Integer> executions = net.executionsOnDestinations();
                for (TokenTraffic.Sent s : concat(healthy, toAndFromGamma)) {
                    assertThat(executions.get(s.messageId())).as("executions of %s", s.messageId()).isEqualTo(1);
                }
            }
        }
    }

    private static List<TokenTraffic.Sent> concat(List<TokenTraffic.Sent> a, List<TokenTraffic.Sent> b) {
        List<TokenTraffic.Sent> all = new ArrayList<>(a);
        all.addAll(b);
        return all;
    }
}
