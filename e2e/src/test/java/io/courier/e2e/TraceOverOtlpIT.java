package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.demo.TokenTraffic;
import io.courier.finality.TransferStatus;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.telemetry.TransferTracing;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.otlp.OtlpReceiver;
import io.courier.testkit.otlp.ReceivedSpan;
import com.datastax.oss.driver.api.core.CqlSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Traces verified over the wire (issue 12 part 1): the node, a process of its own, exports to an OTLP/HTTP receiver
 * (testkit's {@link OtlpReceiver}) through nothing but the standard {@code OTEL_*} variables. One transfer is
 * delivered with a kill -9 of the node in the middle (its destination transaction pending). Everything received
 * about that transfer is one trace whose id is derived from the message id: the stages recorded before the kill,
 * those after the restart and the root span with the outcome, which the restarted process records.
 */
@CassandraTest
class TraceOverOtlpIT {

    private static final int CONFIRMATIONS = 3;
    private static final String NODE = "otlp-node-1";
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void aTransferIsOneTraceAcrossARestartWithItsOutcomeAtTheRoot(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                    CqlSession session, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("otlp"); OtlpReceiver receiver = OtlpReceiver.start()) {
            int port = RelayerProcess.freePort();
            Path config = RelayNetwork.writeConfig(ConfigFactory.parseString("courier.api.port = " + port
                    + "\ncourier.node.name = \"" + NODE + "\"")
                    .withFallback(net.config(db, keyspace.name(), dir.resolve("keys"), CONFIRMATIONS)), dir.resolve("node.conf"));
            Path log = dir.resolve("relayer.log");
            RelayerProcess relayer = RelayerProcess.start(config, port, log, receiver.exporterEnvironment());
            TransferStore store = CassandraStores.prepare(session, keyspace.name()).transfers(); // the node migrated it
            TokenTraffic.Sent sent;
            String traceId;
            int receivedBeforeKill;
            try {
                // beta does not mine: the transfer is submitted and stays so, its transaction pending, at the kill
                net.beta.stopMining();
                sent = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
                traceId = TransferTracing.traceId(sent.messageId());
                RelayNetwork.awaitStatus(store, List.of(sent), TransferStatus.SUBMITTED, WAIT);
                // found by message id, not by the derived trace id: which trace they are in is what is checked below
                String messageId = sent.messageId();
                assertThat(receiver.await(spans -> names(spans, messageId).containsAll(Set.of("finality.wait", "attest", "submit")), WAIT))
                        .as("stage spans before the kill; received: %s", receiver.spans()).isTrue();
                relayer.kill();
                receivedBeforeKill = receiver.spans().size();
                assertThat(names(receiver.spans(), messageId)).as("no outcome before the kill")
                        .doesNotContain(TransferTracing.ROOT_SPAN, "destination.confirm");

                net.beta.startMining();
                relayer = RelayerProcess.start(config, port, log, receiver.exporterEnvironment());
                RelayNetwork.awaitDelivered(store, List.of(sent), Duration.ofSeconds(120));
                assertThat(receiver.await(spans -> names(spans, messageId).contains(TransferTracing.ROOT_SPAN), WAIT))
                        .as("the root span after the restart").isTrue();
                // an API request is a server span of its own trace, named by its route template
                HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + port + "/v1/transfers/" + sent.messageId())).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(receiver.await(spans -> spans.stream().anyMatch(s -> "SERVER".equals(s.kind())
                        && "/v1/transfers/{messageId}".equals(s.attribute("http.route"))), WAIT))
                        .as("the API request's server span").isTrue();
            } finally {
                relayer.close();
            }

            List<ReceivedSpan> all = receiver.spans();
            List<ReceivedSpan> ofTransfer = all.stream().filter(s -> sent.messageId().equals(s.attribute("courier.message_id"))).toList();
            assertThat(ofTransfer.stream().map(ReceivedSpan::traceId).collect(Collectors.toSet()))
                    .as("every span about the transfer, before and after the restart, is in one trace").containsExactly(traceId);
            List<ReceivedSpan> trace = receiver.trace(traceId);
            System.out.println("trace " + traceId + " of transfer " + sent.messageId() + " (kill -9 after the submit):\n"
                    + ReceivedSpan.tree(trace));

            List<ReceivedSpan> roots = trace.stream().filter(ReceivedSpan::isRoot).toList();
            assertThat(roots).as("one root, the outcome").singleElement().satisfies(root -> {
                assertThat(root.name()).isEqualTo(TransferTracing.ROOT_SPAN);
                assertThat(root.attribute("courier.final_state")).isEqualTo("DELIVERED");
                assertThat(root.attribute("courier.route")).isEqualTo(RelayNetwork.ALPHA + "->" + RelayNetwork.BETA);
                assertThat(root.status()).isNotEqualTo("ERROR");
                assertThat(root.resource()).containsEntry("service.name", "courier-relayer")
                        .containsEntry("service.instance.id", NODE);
            });
            String rootId = roots.get(0).spanId();
            for (String stage : List.of("finality.wait", "attest", "submit", "destination.confirm")) {
                assertThat(trace).filteredOn(s -> s.name().equals(stage)).as(stage).singleElement()
                        .satisfies(s -> assertThat(s.parentSpanId()).isEqualTo(rootId));
            }
            // the JSON-RPC calls made for the transfer are client spans of its trace: the attester's re-read of the
            // source, the submitter's pre-flight, broadcast and receipt polls
            assertThat(trace).filteredOn(s -> "jsonrpc".equals(s.attribute("rpc.system")))
                    .allSatisfy(s -> assertThat(s.kind()).isEqualTo("CLIENT"))
                    .extracting(s -> s.attribute("rpc.method"))
                    .contains("eth_getTransactionReceipt", "eth_call", "eth_sendRawTransaction");
            // the stages before the kill came from the first process, the outcome from the second: one trace
            List<ReceivedSpan> beforeKill = all.subList(0, receivedBeforeKill);
            assertThat(beforeKill).filteredOn(s -> traceId.equals(s.traceId())).extracting(ReceivedSpan::name)
                    .contains("finality.wait", "attest", "submit");
            assertThat(all.subList(receivedBeforeKill, all.size())).filteredOn(s -> traceId.equals(s.traceId()))
                    .extracting(ReceivedSpan::name).contains(TransferTracing.ROOT_SPAN, "destination.confirm");
            assertThat(trace).allSatisfy(s -> assertThat(s.startEpochNanos()).isGreaterThanOrEqualTo(roots.get(0).startEpochNanos()));
        }
    }

    /** The names of the spans about transfer {@code messageId}, whatever trace they are in. */
    private static Set<String> names(List<ReceivedSpan> spans, String messageId) {
        return spans.stream().filter(s -> messageId.equals(s.attribute("courier.message_id"))).map(ReceivedSpan::name)
                .collect(Collectors.toSet());
    }
}
