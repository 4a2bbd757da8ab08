package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.MessageId;
import io.courier.contracts.Gateway;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Payment policy end to end (issue 11, part 4), through a node whose oracle quotes from a static price and the chains'
 * gas prices: alpha -> beta is `required`, beta -> alpha `sponsored`. A message sent without payment ends UNDERPAID (and
 * stays undelivered); anyone's {@code payForGas} of what the API says is missing moves it on, and it is delivered exactly
 * once. A message that paid the quote with {@code send} is delivered as before; an unpaid one on the sponsored route too.
 */
@CassandraTest
class UnderpaidIT {

    private static final Duration DELIVERY = Duration.ofSeconds(150);
    /** Someone who neither sent the message nor runs Courier: a top-up is permissionless. */
    private static final int STRANGER = 7;

    @Test
    void anUnpaidMessageWaitsUnderpaidUntilATopUpAndIsThenDeliveredOnce(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                       @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("underpaid")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.courier(map).put("oracle", Map.of("poll-interval", "2s",
                    "native-assets", List.of(Map.of("chain-id", RelayNetwork.ALPHA, "asset", "ETH"),
                            Map.of("chain-id", RelayNetwork.BETA, "asset", "ETH")),
                    "assets", List.of(Map.of("name", "ETH", "min-sources", 1,
                            "sources", List.of(Map.of("type", "static", "name", "ops", "usd", "3000"))))));
            RelayNetwork.courier(map).put("payment", Map.of("policy", "required", "tolerance", "0.05", "routes",
                    List.of(Map.of("from", RelayNetwork.BETA, "to", RelayNetwork.ALPHA, "policy", "sponsored"))));
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                BigInteger quote = quote(node);

                TokenTraffic.Sent unpaid = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT);
                TokenTraffic.Sent paid = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.TWO),
                        quote.multiply(BigInteger.valueOf(6)).divide(BigInteger.valueOf(5)));
                TokenTraffic.Sent sponsored = net.traffic.lock(RelayNetwork.BETA, RelayNetwork.ALPHA, RelayNetwork.UNIT);

                RelayNetwork.awaitStatus(node.transfers(), List.of(unpaid), TransferStatus.UNDERPAID, DELIVERY);
                RelayNetwork.awaitDelivered(node.transfers(), List.of(paid, sponsored), DELIVERY);

                JsonNode held = NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + unpaid.messageId()); // checked against openapi.yaml
                JsonNode payment = held.path("payment");
                assertThat(payment.path("policy").asText()).isEqualTo("required");
                assertThat(payment.path("paid").asText()).isEqualTo("0");
                BigInteger required = new BigInteger(payment.path("required").asText());
                BigInteger missing = new BigInteger(payment.path("missing").asText());
                assertThat(required).isPositive();
                assertThat(missing).isEqualTo(required);
                String alphaGateway = net.network.on(RelayNetwork.ALPHA).gateway();
                assertThat(payment.path("topUp").path("gateway").asText()).isEqualToIgnoringCase(alphaGateway);
                assertThat(payment.path("topUp").path("chainId").asLong()).isEqualTo(RelayNetwork.ALPHA);
                assertThat(payment.path("topUp").path("function").asText()).isEqualTo("payForGas(bytes32)");

                // held while the others went through: never attested, never executed on beta
                assertThat(net.executionsOnDestinations().getOrDefault(unpaid.messageId(), 0)).isZero();
                assertThat(transfer(node, unpaid).status()).isEqualTo(TransferStatus.UNDERPAID);

                // anyone tops it up with what the API says is missing
                Instant toppingUp = Instant.now();
                Gateway asStranger = Gateway.load(alphaGateway, net.alpha.web3j(),
                        DemoNetwork.transactions(net.alpha, LocalChain.account(STRANGER)), DemoNetwork.gas());
                TransactionReceipt topUp = asStranger.payForGas(Numeric.hexStringToByteArray(unpaid.messageId()), missing).send();
                assertThat(topUp.isStatusOK()).isTrue();
                Instant toppedUp = Instant.now();

                RelayNetwork.awaitDelivered(node.transfers(), List.of(unpaid), DELIVERY);
                Instant delivered = Instant.now();
                assertThat(net.executionsOnDestinations().get(unpaid.messageId())).isEqualTo(1);
                assertThat(net.executionsOnDestinations().get(paid.messageId())).isEqualTo(1);
                assertThat(net.executionsOnDestinations().get(sponsored.messageId())).isEqualTo(1);

                assertThat(history(node, unpaid)).startsWith("SENT").endsWith("DELIVERED")
                        .containsSubsequence("SENT", "UNDERPAID", "FINALIZED", "ATTESTED", "SUBMITTED", "DELIVERED");
                assertThat(history(node, paid)).doesNotContain("UNDERPAID").endsWith("DELIVERED");
                assertThat(history(node, sponsored)).doesNotContain("UNDERPAID").endsWith("DELIVERED");
                JsonNode after = NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + unpaid.messageId()).path("payment");
                assertThat(after.path("paid").asText()).isEqualTo(missing.toString());
                assertThat(after.path("missing").asText()).isEqualTo("0");
                assertThat(NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + sponsored.messageId()).path("payment")
                        .path("policy").asText()).isEqualTo("sponsored");
                JsonNode paidView = NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + paid.messageId()).path("payment");
                assertThat(new BigInteger(paidView.path("paid").asText())).isGreaterThanOrEqualTo(quote);
                assertThat(paidView.path("missing").asText()).isEqualTo("0");

                Transfer done = transfer(node, unpaid);
                Instant underpaidAt = done.stageTime(TransferStatus.UNDERPAID).orElseThrow();
                Instant finalizedAt = done.stageTime(TransferStatus.FINALIZED).orElseThrow();
                Instant deliveredAt = done.stageTime(TransferStatus.DELIVERED).orElseThrow();
                System.out.printf("underpaid: %s quote %s wei; UNDERPAID at %s; top-up of %s wei sent %s, mined %s (%d ms); "
                                + "top-up -> FINALIZED %d ms; FINALIZED -> DELIVERED %d ms; top-up mined -> DELIVERED %d ms "
                                + "(seen by the test %d ms)%n", unpaid.messageId(), required, underpaidAt, missing, toppingUp,
                        toppedUp, Duration.between(toppingUp, toppedUp).toMillis(),
                        Duration.between(toppedUp, finalizedAt).toMillis(), Duration.between(finalizedAt, deliveredAt).toMillis(),
                        Duration.between(toppedUp, deliveredAt).toMillis(), Duration.between(toppedUp, delivered).toMillis());
            }
        }
    }

    /** The node's quote of alpha -> beta for the gateway's handler gas, once its oracle has polled. */
    private static BigInteger quote(CourierNode node) throws Exception {
        String url = node.apiUrl() + "/v1/quote?from=" + RelayNetwork.ALPHA + "&to=" + RelayNetwork.BETA + "&gasLimit="
                + DemoNetwork.HANDLER_GAS_LIMIT;
        Instant giveUp = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(giveUp)) {
            var response = NodeApi.get(url);
            if (response.statusCode() == 200) {
                return new BigInteger(new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get("fee").asText());
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the node never quoted alpha -> beta");
    }

    private static Transfer transfer(CourierNode node, TokenTraffic.Sent sent) throws Exception {
        return node.transfers().find(MessageId.fromHex(sent.messageId())).toCompletableFuture().get().orElseThrow();
    }

    private static List<String> history(CourierNode node, TokenTraffic.Sent sent) throws Exception {
        List<String> statuses = new ArrayList<>();
        NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + sent.messageId() + "/history").path("history")
                .forEach(e -> statuses.add(e.path("to").asText()));
        return statuses;
    }
}
