package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The relayer on two real chains with a real Cassandra: token transfers both ways end DELIVERED, each executed
 * exactly once on chain, balances add up, and the API shows every stage. A second part stops the node, sends
 * while it is down, and starts it again: the watcher resumes from its cursor without gaps or re-deliveries.
 */
@CassandraTest
class RelayEndToEndIT {

    private static final ObjectMapper json = new ObjectMapper();

    @Test
    void twentyTransfersBothWaysThenRestartWithoutGapsOrDuplicates(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                  @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("e2e")) {
            var config = net.nodeConfig(net.config(db, keyspace.name(), dir.resolve("keys"), 2));
            List<TokenTraffic.Sent> all = new ArrayList<>();
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                List<TokenTraffic.Sent> first = net.send(20, 0);
                all.addAll(first);
                RelayNetwork.awaitDelivered(node.transfers(), first, Duration.ofSeconds(120));
                for (TokenTraffic.Sent s : first) {
                    assertApiShowsEveryStage(node, s);
                }
                assertSourceTxLookup(node, first.get(0));
            }

            // node down: these land in blocks the watchers have not scanned yet
            List<TokenTraffic.Sent> whileDown = net.send(6, 20);
            all.addAll(whileDown);
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                RelayNetwork.awaitDelivered(node.transfers(), all, Duration.ofSeconds(120));
                assertAddressLookup(node, all);
            }

            Map<String, Integer> executions = net.executionsOnDestinations();
            for (TokenTraffic.Sent s : all) {
                assertThat(executions.get(s.messageId())).as("MessageExecuted events of %s", s.messageId()).isEqualTo(1);
            }
            assertThat(executions).hasSize(all.size());
            net.assertBalances(all);
        }
    }

    private static void assertApiShowsEveryStage(CourierNode node, TokenTraffic.Sent s) throws Exception {
        HttpResponse<String> response = NodeApi.get(node.apiUrl() + "/v1/transfers/" + s.messageId());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode body = json.readTree(response.body());
        assertThat(body.path("status").asText()).isEqualTo("DELIVERED");
        assertThat(body.path("sourceChainId").asLong()).isEqualTo(s.srcChainId());
        assertThat(body.path("destinationChainId").asLong()).isEqualTo(s.dstChainId());
        assertThat(body.path("destinationTxHash").asText()).startsWith("0x");
        for (String stage : List.of("sent", "finalized", "attested", "submitted", "delivered")) {
            assertThat(body.path("stages").path(stage).asText()).as("stage %s of %s", stage, s.messageId()).isNotBlank();
        }
    }

    /** The wallet that signed the locks finds all its transfers, page by page, newest first. */
    private static void assertAddressLookup(CourierNode node, List<TokenTraffic.Sent> all) throws Exception {
        String wallet = io.courier.testkit.LocalChain.account(io.courier.demo.DemoNetwork.USER).getAddress();
        List<String> seen = new ArrayList<>();
        List<java.time.Instant> created = new ArrayList<>();
        String cursor = null;
        for (int page = 0; page < 10; page++) {
            JsonNode body = NodeApi.getJson(node.apiUrl() + "/v1/transfers?address=" + wallet + "&limit=10"
                    + (cursor == null ? "" : "&cursor=" + cursor));
            body.path("transfers").forEach(t -> {
                seen.add(t.path("messageId").asText());
                created.add(java.time.Instant.parse(t.path("createdAt").asText()));
            });
            if (!body.has("next")) {
                break;
            }
            cursor = body.path("next").asText();
        }
        assertThat(seen).containsExactlyInAnyOrderElementsOf(all.stream().map(TokenTraffic.Sent::messageId).toList());
        assertThat(created).isSortedAccordingTo(java.util.Comparator.reverseOrder());
    }

    private static void assertSourceTxLookup(CourierNode node, TokenTraffic.Sent s) throws Exception {
        HttpResponse<String> response = NodeApi.get(node.apiUrl() + "/v1/transfers?sourceTx=" + s.txHash() + "&chain=" + s.srcChainId());
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode transfers = json.readTree(response.body()).path("transfers");
        assertThat(transfers).hasSize(1);
        assertThat(transfers.get(0).path("messageId").asText()).isEqualTo(s.messageId());
    }
}
