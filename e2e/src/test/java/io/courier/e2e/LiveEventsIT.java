package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.rpc.RpcProxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Live from the moment of sending (issue 13, part 2): a dApp sends through the gateway, computes the message id from
 * its own receipt and opens the events stream at once, before the node has indexed the transfer (here: the node's
 * only endpoint of the source chain is offline until both streams are open, so it cannot have). The streams stay
 * open and end with DELIVERED, having sent every step from SENT, each once.
 */
@CassandraTest
class LiveEventsIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DELIVERY = Duration.ofSeconds(150);

    @Test
    void streamsOpenedRightAfterSendingFollowTheTransferUntilDelivered(LocalCassandra db,
            CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("live");
             RpcProxy alphaProxy = RpcProxy.start(net.alpha.rpcUrl())) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.rpcUrl(map, RelayNetwork.ALPHA, alphaProxy.url());
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                alphaProxy.offline(); // the node cannot see alpha: whatever is sent there stays unknown to it

                // a Gateway.send (through the token bridge), mined; the id comes from the dApp's own receipt
                TokenTraffic.Sent sent = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
                HttpResponse<Stream<String>> byId = open(http, node.apiUrl() + "/v1/transfers/" + sent.messageId() + "/events");
                HttpResponse<Stream<String>> byTx = open(http, node.apiUrl() + "/v1/transfers/events?sourceTx=" + sent.txHash()
                        + "&chain=" + RelayNetwork.ALPHA);
                assertThat(byId.statusCode()).isEqualTo(200);
                assertThat(byTx.statusCode()).isEqualTo(200);
                assertThat(NodeApi.get(node.apiUrl() + "/v1/transfers/" + sent.messageId()).statusCode())
                        .as("the node had not indexed the transfer when the streams opened").isEqualTo(404);
                CompletableFuture<List<Event>> idEvents = CompletableFuture.supplyAsync(() -> read(byId));
                CompletableFuture<List<Event>> txEvents = CompletableFuture.supplyAsync(() -> read(byTx));

                alphaProxy.online();

                List<Event> events = idEvents.get(DELIVERY.toSeconds(), TimeUnit.SECONDS);
                List<Event> ofTx = txEvents.get(DELIVERY.toSeconds(), TimeUnit.SECONDS);
                // one event per history entry, in order, from the first (SENT) to DELIVERED
                List<String> history = new ArrayList<>();
                NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + sent.messageId() + "/history").path("history")
                        .forEach(e -> history.add(e.path("to").asText()));
                assertThat(history).startsWith("SENT").endsWith("DELIVERED")
                        .containsSubsequence("SENT", "FINALIZED", "ATTESTED", "SUBMITTED", "DELIVERED");
                assertThat(events).extracting(Event::status).containsExactlyElementsOf(history);
                assertThat(events).extracting(Event::id).containsExactlyElementsOf(
                        java.util.stream.IntStream.rangeClosed(1, history.size()).mapToObj(Integer::toString).toList());
                assertThat(events).extracting(Event::messageId).containsOnly(sent.messageId());
                assertThat(ofTx).extracting(Event::status).containsExactlyElementsOf(history);
                assertThat(ofTx.get(ofTx.size() - 1).id()).isEqualTo(sent.messageId() + ":" + history.size());
                assertThat(net.executionsOnDestinations().get(sent.messageId())).isEqualTo(1);

                // a stream resumed from its last event id has nothing more to send and ends at once
                HttpResponse<Stream<String>> resumed = http.send(HttpRequest.newBuilder(URI.create(node.apiUrl()
                                + "/v1/transfers/" + sent.messageId() + "/events")).header("Last-Event-ID", Integer.toString(events.size()))
                        .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofLines());
                assertThat(read(resumed)).isEmpty();
                System.out.printf("live events: %s streamed %s from before it was indexed%n", sent.messageId(),
                        events.stream().map(Event::status).toList());
            }
        }
    }

    private record Event(String id, String status, String messageId) {}

    private static HttpResponse<Stream<String>> open(HttpClient http, String url) throws Exception {
        // no request timeout: the stream is meant to stay open; read() is bounded by the caller's get(timeout)
        return http.send(HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofLines());
    }

    /** The {@code status} events of a stream until the server ends it; heartbeats (empty data) skipped. */
    private static List<Event> read(HttpResponse<Stream<String>> response) {
        List<Event> events = new ArrayList<>();
        String id = null;
        String name = null;
        String data = null;
        for (String line : (Iterable<String>) response.body()::iterator) {
            if (line.startsWith("id:")) {
                id = line.substring(3).trim();
            } else if (line.startsWith("event:")) {
                name = line.substring(6).trim();
            } else if (line.startsWith("data:")) {
                data = line.substring(5).trim();
            } else if (line.isEmpty()) {
                if (data != null && !data.isEmpty()) {
                    assertThat(name).isEqualTo("status");
                    try {
                        JsonNode t = JSON.readTree(data);
                        events.add(new Event(id, t.path("status").asText(), t.path("messageId").asText()));
                    } catch (Exception e) {
                        throw new AssertionError("not JSON: " + data, e);
                    }
                }
                id = null;
                name = null;
                data = null;
            }
        }
        return events;
    }
}
