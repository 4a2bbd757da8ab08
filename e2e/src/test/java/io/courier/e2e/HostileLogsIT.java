package io.courier.e2e;

import io.courier.chain.message.TxHash;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.GatewayEvents;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.demo.DemoConfig;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Forged logs on a real chain: a MessageSent-shaped log from a contract that is not the configured gateway is
 * never a transfer; a log from the configured gateway address whose id does not match its fields is rejected
 * and counted in {@code courier_messages_rejected_total{reason="id_mismatch"}}.
 */
@CassandraTest
class HostileLogsIT {

    @Test
    void forgedLogsNeverBecomeTransfers(LocalCassandra db, CassandraExtension.Keyspace keyspace, @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("hostile")) {
            LogEmitter emitter = LogEmitter.deploy(net.alpha, LocalChain.account(5));
            byte[] payload = "forged".getBytes();
            String recipient = LocalChain.account(6).getAddress();

            // 1. the node watches the real gateway: a perfectly formed MessageSent from another contract is ignored
            var config = net.nodeConfig(net.config(db, keyspace.name(), dir.resolve("keys"), 2));
            CrossChainMessage forged = new CrossChainMessage(RelayNetwork.ALPHA, emitter.address, 0, RelayNetwork.BETA,
                    LocalChain.account(5).getAddress().toLowerCase(), recipient.toLowerCase(), payload);
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                TransactionReceipt fake = emitMessageSent(emitter, forged, forged.id());
                // a real transfer sent after it: once delivered, the watcher has scanned past the forged block
                List<TokenTraffic.Sent> real = List.of(net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT));
                RelayNetwork.awaitDelivered(node.transfers(), real, Duration.ofSeconds(90));
                assertThat(node.transfers().find(forged.id()).toCompletableFuture().get()).isEmpty();
                assertThat(node.transfers().findBySourceTx(RelayNetwork.ALPHA, TxHash.fromHex(fake.getTransactionHash())).toCompletableFuture().get()).isEmpty();
            }

            // 2. the emitter configured as alpha's gateway: a log whose id does not match its fields is rejected and counted
            Map<String, Object> map = DemoConfig.map(net.network, db.contactPoint().getHostString() + ":" + db.contactPoint().getPort(),
                    keyspace.name() + "_gw", 0, 2, dir.resolve("keys2"));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> chains = (List<Map<String, Object>>) ((Map<String, Object>) map.get("courier")).get("chains");
            chains.stream().filter(c -> ((Long) c.get("chain-id")) == RelayNetwork.ALPHA).forEach(c -> c.put("gateway", emitter.address));
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                MessageId wrongId = MessageId.fromHex("0x" + "ab".repeat(32));
                emitMessageSent(emitter, forged, wrongId);
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                double rejected = 0;
                while (System.nanoTime() < deadline && rejected < 1) {
                    rejected = NodeApi.metric(node, "courier_messages_rejected_total", "reason=\"id_mismatch\"");
                    Thread.sleep(250);
                }
                assertThat(rejected).isEqualTo(1.0);
                assertThat(node.transfers().find(wrongId).toCompletableFuture().get()).isEmpty();
            }
        }
    }

    private static TransactionReceipt emitMessageSent(LogEmitter emitter, CrossChainMessage m, MessageId claimedId) throws Exception {
        String data = FunctionEncoder.encodeConstructor(List.of(new Uint64(BigInteger.valueOf(m.nonce())),
                new Address(m.sender()), new DynamicBytes(m.payload())));
        List<String> topics = List.of(GatewayEvents.MESSAGE_SENT_TOPIC, claimedId.toHex(),
                Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(m.dstChainId()), 64),
                Numeric.toHexStringWithPrefixZeroPadded(Numeric.toBigInt(m.recipient()), 64));
        return emitter.emit(topics, Numeric.hexStringToByteArray(data));
    }
}
