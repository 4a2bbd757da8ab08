package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.typesafe.config.ConfigFactory;
import io.courier.contracts.Gateway;
import io.courier.demo.DemoNetwork;
import io.courier.testkit.LocalChain;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.demo.TokenTraffic;
import io.courier.finality.Transfer;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.crypto.Sign;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * A burst of 128 token transfers on one route, sent while the node is down, delivered through the node in batches
 * (docs/adr/009-batched-delivery.md): each executed exactly once on chain by any path, balances add up, and the
 * destination transactions are few, with the cheaper paths' gas per message. Prints the transactions and their gas.
 */
@CassandraTest
class BatchDeliveryIT {

    private static final int MESSAGES = 128;

    @Test
    void aBurstOf128IsDeliveredInAFewCheckpointTransactionsEachMessageOnce(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                          @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("batch")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            @SuppressWarnings("unchecked")
            Map<String, Object> submitter = new HashMap<>((Map<String, Object>) RelayNetwork.courier(map).get("submitter"));
            // time for the attester to sign the whole burst before the submitter plans it
            submitter.put("batch", Map.of("max-messages", MESSAGES, "max-wait", "5s"));
            RelayNetwork.courier(map).put("submitter", submitter);
            var config = net.nodeConfig(ConfigFactory.parseMap(map));

            // node down: the whole burst is final before anything is attested
            List<BigInteger> amounts = new ArrayList<>();
            for (int i = 0; i < MESSAGES; i++) {
                amounts.add(RelayNetwork.UNIT.multiply(BigInteger.valueOf(i + 1)));
            }
            List<TokenTraffic.Sent> burst = net.traffic.lockBurst(RelayNetwork.ALPHA, RelayNetwork.BETA, amounts);
            Map<TxHash, Integer> byTx = new HashMap<>();
            Map<TxHash, TokenTraffic.Sent> oneOfEach = new HashMap<>();
            int checkpointsVerified = 0;
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                RelayNetwork.awaitDelivered(node.transfers(), burst, Duration.ofSeconds(240));
                for (TokenTraffic.Sent s : burst) {
                    TxHash tx = find(node, s).destinationTx().orElseThrow();
                    byTx.merge(tx, 1, Integer::sum);
                    oneOfEach.putIfAbsent(tx, s);
                }
                // what an integrator can check with the node's answer and the destination chain alone
                for (TokenTraffic.Sent s : oneOfEach.values()) {
                    checkpointsVerified += verifyOffChain(net, node, s) ? 1 : 0;
                }
            }
            assertThat(checkpointsVerified).as("checkpoint deliveries verified off chain").isPositive();

            Map<String, Integer> executions = net.executionsOnDestinations();
            assertThat(burst).allSatisfy(s -> assertThat(executions.get(s.messageId())).as("executions of %s", s.messageId()).isEqualTo(1));
            net.assertBalances(burst);

            long gas = 0;
            for (Map.Entry<TxHash, Integer> e : byTx.entrySet()) {
                TransactionReceipt r = net.beta.web3j().ethGetTransactionReceipt(e.getKey().toHex()).send().getTransactionReceipt().orElseThrow();
                assertThat(r.isStatusOK()).isTrue();
                gas += r.getGasUsed().longValueExact();
                System.out.printf("batch delivery: %s carried %d messages, gas %d (%d a message)%n", e.getKey(), e.getValue(),
                        r.getGasUsed(), r.getGasUsed().longValueExact() / e.getValue());
            }
            System.out.printf("batch delivery: %d messages in %d destination transactions, %d gas a message%n", MESSAGES, byTx.size(),
                    gas / MESSAGES);
            assertThat(byTx.size()).as("destination transactions for %d messages", MESSAGES).isLessThanOrEqualTo(MESSAGES / 8);
            assertThat(byTx.values().stream().mapToInt(Integer::intValue).max().orElse(0)).as("the largest batch").isGreaterThanOrEqualTo(32);
        }
    }

    /**
     * Checks a delivered message as a security-minded integrator would, from {@code GET /v1/transfers/{id}/attestation}
     * (validated against openapi.yaml) and the destination gateway's own views: the message id folds through the
     * answer's Merkle path to the checkpoint root; the digest is the one the gateway computes for that range and root;
     * each signature recovers over it to one of the gateway's validators, at least a threshold of distinct ones.
     *
     * @return whether the delivery was a checkpoint (only those carry a root to check)
     */
    private static boolean verifyOffChain(RelayNetwork net, CourierNode node, TokenTraffic.Sent s) throws Exception {
        JsonNode answer = NodeApi.getJson(node.apiUrl() + "/v1/transfers/" + s.messageId() + "/attestation");
        JsonNode delivery = answer.path("delivery");
        assertThat(delivery.path("unavailable").isMissingNode()).as("delivery of %s: %s", s.messageId(), delivery).isTrue();
        if (!delivery.path("function").asText().equals("executeCheckpoint")) {
            return false;
        }
        JsonNode checkpoint = delivery.path("checkpoint");
        byte[] folded = Numeric.hexStringToByteArray(s.messageId());
        for (JsonNode step : checkpoint.path("proof")) {
            byte[] sibling = Numeric.hexStringToByteArray(step.path("sibling").asText());
            byte[] pair = new byte[64];
            boolean left = step.path("side").asText().equals("left");
            System.arraycopy(left ? sibling : folded, 0, pair, 0, 32);
            System.arraycopy(left ? folded : sibling, 0, pair, 32, 32);
            folded = Hash.sha3(pair);
        }
        assertThat(Numeric.toHexString(folded)).as("%s folded through its proof", s.messageId()).isEqualTo(checkpoint.path("root").asText());

        DemoNetwork.Deployment beta = net.network.on(RelayNetwork.BETA);
        Gateway gateway = Gateway.load(beta.gateway(), beta.chain().web3j(), DemoNetwork.transactions(beta.chain(),
                LocalChain.account(0)), DemoNetwork.gas());
        byte[] digest = gateway.checkpointDigest(BigInteger.valueOf(RelayNetwork.ALPHA), net.network.on(RelayNetwork.ALPHA).gateway(),
                BigInteger.valueOf(checkpoint.path("firstNonce").asLong()), BigInteger.valueOf(checkpoint.path("lastNonce").asLong()),
                Numeric.hexStringToByteArray(checkpoint.path("root").asText())).send();
        assertThat(Numeric.toHexString(digest)).as("the gateway's checkpointDigest").isEqualTo(checkpoint.path("digest").asText());
        java.util.Set<String> signers = new java.util.HashSet<>();
        for (JsonNode signature : delivery.path("signatures")) {
            byte[] rsv = Numeric.hexStringToByteArray(signature.path("signature").asText());
            Sign.SignatureData data = new Sign.SignatureData(rsv[64], java.util.Arrays.copyOfRange(rsv, 0, 32),
                    java.util.Arrays.copyOfRange(rsv, 32, 64));
            String signer = "0x" + Keys.getAddress(Sign.signedMessageHashToKey(digest, data));
            assertThat(gateway.isValidator(signer).send()).as("%s recovers to a validator of the gateway", signer).isTrue();
            assertThat(signature.path("signer").asText()).isEqualTo(signer);
            signers.add(signer);
        }
        assertThat(signers).hasSizeGreaterThanOrEqualTo(answer.path("threshold").asInt());
        return true;
    }

    /** The transfer as stored; a read that fails on a loaded machine (a Cassandra timeout) is asked again, a few times. */
    private static Transfer find(CourierNode node, TokenTraffic.Sent s) throws Exception {
        for (int attempt = 1; ; attempt++) {
            try {
                return node.transfers().find(MessageId.fromHex(s.messageId())).toCompletableFuture().get().orElseThrow();
            } catch (java.util.concurrent.ExecutionException e) {
                if (attempt == 5) {
                    throw e;
                }
                Thread.sleep(500L * attempt);
            }
        }
    }
}
