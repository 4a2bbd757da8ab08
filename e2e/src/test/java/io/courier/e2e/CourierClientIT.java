package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.client.CourierClient;
import io.courier.client.HistoryEntry;
import io.courier.client.SelfRelay;
import io.courier.client.Transfer;
import io.courier.client.TransferStatus;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Java client (module {@code client}) against a real node: a dApp sends, waits with {@code awaitDelivered} from
 * the moment its transaction is mined, and reads every view back typed. What the client read is also read through
 * {@link NodeApi}, so the same answers are checked against openapi.yaml.
 */
@CassandraTest
class CourierClientIT {

    @Test
    void aDappFollowsItsTransfersToDeliveryAndReadsThemBackTyped(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("client");
             CourierNode node = CourierNode.start(net.nodeConfig(net.config(db, keyspace.name(), dir.resolve("keys"), 2)),
                     Clock.systemUTC())) {
            CourierClient courier = CourierClient.builder(java.net.URI.create(node.apiUrl()))
                    .retryInterval(Duration.ofMillis(250)).build();
            List<TokenTraffic.Sent> sent = net.send(3, 0);

            // right after sending: the node may not know the ids yet; awaitDelivered asks again until it does
            List<Transfer> delivered = new ArrayList<>();
            for (TokenTraffic.Sent s : sent) {
                delivered.add(courier.awaitDelivered(s.messageId(), Duration.ofSeconds(120)));
            }
            assertThat(delivered).extracting(Transfer::status).containsOnly(TransferStatus.DELIVERED);

            TokenTraffic.Sent first = sent.get(0);
            Transfer t = courier.transfer(first.messageId()).orElseThrow();
            assertThat(t.sourceChainId()).isEqualTo(first.srcChainId());
            assertThat(t.destinationChainId()).isEqualTo(first.dstChainId());
            assertThat(t.nonce()).isEqualTo(first.nonce());
            assertThat(t.source().txHash()).isEqualTo(first.txHash());
            assertThat(t.destinationTx()).isPresent();
            assertThat(t.stage(TransferStatus.ATTESTED)).isPresent();
            assertThat(t.stage(TransferStatus.DELIVERED)).isPresent();
            NodeApi.get(node.apiUrl() + "/v1/transfers/" + first.messageId());

            assertThat(courier.transfer("0x" + "00".repeat(32))).isEmpty();
            assertThat(courier.bySourceTx(first.srcChainId(), first.txHash())).extracting(Transfer::messageId)
                    .containsExactly(first.messageId());

            String wallet = LocalChain.account(DemoNetwork.USER).getAddress();
            // pages of one: the client follows every cursor
            assertThat(courier.allByAddress(wallet, TransferStatus.DELIVERED, 1).map(Transfer::messageId).toList())
                    .containsExactlyInAnyOrderElementsOf(sent.stream().map(TokenTraffic.Sent::messageId).toList());
            NodeApi.get(node.apiUrl() + "/v1/transfers?address=" + wallet + "&limit=1&status=DELIVERED");

            List<HistoryEntry> history = courier.history(first.messageId());
            assertThat(history.get(0).to()).isEqualTo(TransferStatus.SENT);
            assertThat(history.get(history.size() - 1).to()).isEqualTo(TransferStatus.DELIVERED);
            NodeApi.get(node.apiUrl() + "/v1/transfers/" + first.messageId() + "/history");

            SelfRelay relay = courier.selfRelay(first.messageId());
            assertThat(relay.status()).isEqualTo(TransferStatus.DELIVERED);
            assertThat(relay.destination().chainId()).isEqualTo(first.dstChainId());
            assertThat(relay.signatures()).hasSize(relay.threshold());
            assertThat(relay.execute().data()).startsWith("0x");
            assertThat(relay.retryCall()).isEmpty();
            NodeApi.get(node.apiUrl() + "/v1/transfers/" + first.messageId() + "/attestation");

            // the stream of a delivered transfer: its status once, then the node ends it
            List<Transfer> events = new CopyOnWriteArrayList<>();
            try (CourierClient.Subscription sub = courier.events(first.messageId(), null, events::add)) {
                sub.done().get(30, TimeUnit.SECONDS);
            }
            assertThat(events).extracting(Transfer::status).containsExactly(TransferStatus.DELIVERED);
        }
    }
}
