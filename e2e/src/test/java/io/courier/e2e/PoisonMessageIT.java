package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.chain.message.MessageId;
import io.courier.contracts.Gateway;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Issue 9 on real Ganache and Cassandra: on the alpha→beta route, ordinary token transfers interleaved with poison
 * messages, and a node restart in the middle. The node's {@code max-gas-limit} is set low (500,000: an ordinary
 * transfer's execute needs ~415k with the demo gateway's 300k handler gas) so that a payload the gateway still
 * accepts is over the cap. The over-cap messages go to a contract (beta's token bridge): the gateway gives a contract
 * recipient its full handler gas or reverts the whole execute ({@code InsufficientGas}), so under the cap they cannot
 * execute at all. (To an account without code the gateway calls nothing, and the submitter's bound, which always
 * counts the handler gas, is conservative there.) What each poison message is, and where it must end:
 * <ul>
 *   <li>a payload one byte over the gateway's {@code MAX_PAYLOAD_BYTES}: refused by {@code Gateway.send} itself
 *       ({@code PayloadTooLarge}), so there is no message at all;</li>
 *   <li>(a) "oversized": a payload just under the gateway cap (16,000 bytes, ~0.67M gas): UNDELIVERABLE
 *       {@code OVER_GAS_CAP}, decided before a nonce is taken;</li>
 *   <li>(b) over the gas cap: an 8,000-byte payload (~0.55M gas): UNDELIVERABLE {@code OVER_GAS_CAP};</li>
 *   <li>(c) a recipient that always reverts (beta's token bridge, which refuses a sender that is not alpha's bridge):
 *       the gateway runs the message and records it failed, so the transfer ends FAILED (delivered-but-failed). The
 *       UNDELIVERABLE {@code PREFLIGHT_KEEPS_REVERTING} path is for an execute that reverts as a whole, which honest
 *       validators and this gateway cannot produce on demand; {@code SubmitterPoisonTest} covers it.</li>
 * </ul>
 * Every ordinary transfer is delivered exactly once, and the submitter's signer ends without a nonce gap.
 */
@CassandraTest
class PoisonMessageIT {

    private static final Logger LOG = LoggerFactory.getLogger(PoisonMessageIT.class);
    private static final long MAX_GAS_LIMIT = 500_000;

    @Test
    void poisonMessagesEndInTheirTypedStatesAndNeverHoldUpTheRoute(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                   @TempDir Path dir) throws Exception {
        long started = System.nanoTime();
        try (RelayNetwork net = RelayNetwork.start("poison")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            @SuppressWarnings("unchecked")
            Map<String, Object> submitter = new HashMap<>((Map<String, Object>) RelayNetwork.courier(map).get("submitter"));
            submitter.put("max-gas-limit", MAX_GAS_LIMIT);
            RelayNetwork.courier(map).put("submitter", submitter);
            NodeConfig config = net.nodeConfig(com.typesafe.config.ConfigFactory.parseMap(map));
            long networkUp = System.nanoTime();

            Credentials user = LocalChain.account(DemoNetwork.USER);
            DemoNetwork.Deployment alpha = net.network.on(RelayNetwork.ALPHA);
            Gateway gateway = Gateway.load(alpha.gateway(), net.alpha.web3j(), DemoNetwork.transactions(net.alpha, user), DemoNetwork.gas());
            int cap = gateway.MAX_PAYLOAD_BYTES().send().intValueExact();
            assertSendRefusedAboveTheCap(net, gateway, user, cap);

            List<TokenTraffic.Sent> ordinary = new ArrayList<>();
            List<TokenTraffic.Sent> overCap = new ArrayList<>();
            List<TokenTraffic.Sent> reverting = new ArrayList<>();
            String bridgeOnBeta = net.network.on(RelayNetwork.BETA).bridge();
            long firstDelivered;
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                ordinary.add(lock(net, 1));
                overCap.add(send(gateway, bridgeOnBeta, payload(16_000))); // (a)
                ordinary.add(lock(net, 2));
                overCap.add(send(gateway, bridgeOnBeta, payload(8_000))); // (b)
                ordinary.add(lock(net, 3));
                reverting.add(send(gateway, bridgeOnBeta, bridgePayload(net.traffic.recipient()))); // (c)
                ordinary.add(lock(net, 4));
                RelayNetwork.awaitDelivered(node.transfers(), ordinary.subList(0, 1), Duration.ofSeconds(120));
                firstDelivered = System.nanoTime();
            } // the restart in the middle: whatever was in flight is picked up from Cassandra

            ordinary.add(lock(net, 5));
            overCap.add(send(gateway, bridgeOnBeta, payload(12_000)));
            ordinary.add(lock(net, 6));
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                ordinary.add(lock(net, 7));
                reverting.add(send(gateway, bridgeOnBeta, bridgePayload(net.traffic.recipient())));
                ordinary.add(lock(net, 8));
                TransferStore transfers = node.transfers();
                RelayNetwork.awaitDelivered(transfers, ordinary, Duration.ofSeconds(180));
                long allDelivered = System.nanoTime();
                RelayNetwork.awaitStatus(transfers, overCap, TransferStatus.UNDELIVERABLE, Duration.ofSeconds(60));
                RelayNetwork.awaitStatus(transfers, reverting, TransferStatus.FAILED, Duration.ofSeconds(60));
                long settled = System.nanoTime();

                for (TokenTraffic.Sent s : overCap) {
                    Transfer t = transfers.find(MessageId.fromHex(s.messageId())).toCompletableFuture().get().orElseThrow();
                    assertThat(t.failure()).as("reason of %s", s.messageId()).hasValueSatisfying(r -> assertThat(r)
                            .startsWith("OVER_GAS_CAP: ").contains("max-gas-limit " + MAX_GAS_LIMIT));
                    assertThat(t.destinationTx()).as("no transaction was ever signed for %s", s.messageId()).isEmpty();
                    JsonNode view = NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + s.messageId());
                    assertThat(view.path("status").asText()).isEqualTo("UNDELIVERABLE");
                    assertThat(view.path("failureReason").asText()).startsWith("OVER_GAS_CAP: ");
                }
                for (TokenTraffic.Sent s : reverting) {
                    Transfer t = transfers.find(MessageId.fromHex(s.messageId())).toCompletableFuture().get().orElseThrow();
                    assertThat(t.failure()).as("revert of %s", s.messageId()).isPresent();
                    assertThat(net.traffic.statusOnDestination(s)).as("gateway status of %s (2 = failed)", s.messageId()).isEqualTo(2);
                }
                // the second node counted the poison messages it decided (the first node's are in its own registry)
                assertThat(NodeApi.metric(node, "courier_transfers_undeliverable_total", "reason=\"over_gas_cap\""))
                        .isGreaterThanOrEqualTo(1.0);

                Map<String, Integer> executions = net.executionsOnDestinations();
                for (TokenTraffic.Sent s : ordinary) {
                    assertThat(executions.get(s.messageId())).as("MessageExecuted events of %s", s.messageId()).isEqualTo(1);
                }
                for (TokenTraffic.Sent s : reverting) {
                    assertThat(executions.get(s.messageId())).as("MessageExecuted (failed) of %s", s.messageId()).isEqualTo(1);
                }
                for (TokenTraffic.Sent s : overCap) {
                    assertThat(executions).as("never executed: %s", s.messageId()).doesNotContainKey(s.messageId());
                }
                net.assertBalances(ordinary);

                // no nonce gap: everything the signer took is mined, nothing waits behind a hole
                String signer = LocalChain.account(DemoNetwork.SUBMITTER).getAddress();
                BigInteger mined = net.beta.web3j().ethGetTransactionCount(signer, DefaultBlockParameterName.LATEST).send().getTransactionCount();
                BigInteger pending = net.beta.web3j().ethGetTransactionCount(signer, DefaultBlockParameterName.PENDING).send().getTransactionCount();
                assertThat(mined).as("beta signer mined nonce").isEqualTo(pending);

                LOG.info("TIMING poison IT: network up {} ms; first delivery {} ms after; all {} ordinary delivered {} ms after "
                                + "the restart began; poison settled {} ms later; total {} ms",
                        ms(networkUp - started), ms(firstDelivered - networkUp), ordinary.size(), ms(allDelivered - firstDelivered),
                        ms(settled - allDelivered), ms(System.nanoTime() - started));
            }
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }

    private static TokenTraffic.Sent lock(RelayNetwork net, int units) throws Exception {
        return net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.valueOf(units)));
    }

    /** Non-zero bytes: each costs 16 gas of calldata in the execute. */
    private static byte[] payload(int size) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) 0x5a);
        return b;
    }

    /** A mint instruction, but from the user rather than alpha's bridge: beta's bridge reverts with UnknownSender. */
    private static byte[] bridgePayload(String to) {
        return Numeric.hexStringToByteArray(FunctionEncoder.encodeConstructor(List.of(new Uint8(1), new Address(to), new Uint256(1))));
    }

    private static TokenTraffic.Sent send(Gateway gateway, String recipient, byte[] payload) throws Exception {
        TransactionReceipt receipt = gateway.send(BigInteger.valueOf(RelayNetwork.BETA), recipient, payload, BigInteger.ZERO).send();
        List<Gateway.MessageSentEventResponse> events = Gateway.getMessageSentEvents(receipt);
        assertThat(events).as("MessageSent of %s", receipt.getTransactionHash()).hasSize(1);
        return new TokenTraffic.Sent(Numeric.toHexString(events.get(0).id), RelayNetwork.ALPHA, RelayNetwork.BETA,
                receipt.getTransactionHash(), BigInteger.ZERO, events.get(0).nonce.longValueExact());
    }

    /** One byte over the cap: the gateway refuses it at send with its custom error, so no message exists. */
    private static void assertSendRefusedAboveTheCap(RelayNetwork net, Gateway gateway, Credentials user, int cap) throws Exception {
        String data = gateway.send(BigInteger.valueOf(RelayNetwork.BETA), user.getAddress(), payload(cap + 1), BigInteger.ZERO)
                .encodeFunctionCall();
        EthCall call = net.alpha.web3j().ethCall(Transaction.createEthCallTransaction(user.getAddress(), gateway.getContractAddress(), data),
                DefaultBlockParameterName.LATEST).send();
        String selector = Hash.sha3String("PayloadTooLarge(uint256,uint256)").substring(0, 10);
        String revert = call.hasError() ? String.valueOf(call.getError().getData()) : String.valueOf(call.getRevertReason()) + call.getValue();
        assertThat(revert).as("revert of a %d-byte send", cap + 1).contains(selector);
    }
}
