package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.typesafe.config.ConfigFactory;
import io.courier.demo.TokenTraffic;
import io.courier.finality.TransferStatus;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.utils.Numeric;

/**
 * Self-relay: the node's submitter refuses to send anything (its gas cap is below what any execute needs), so an
 * attested transfer stays undelivered; a plain client that knows nothing of Courier but the answer of
 * {@code GET /v1/transfers/{id}/attestation} sends the destination transaction itself, and the gateway delivers.
 * Before attestation the route answers 409, for an unknown id 404 (both checked against openapi.yaml by NodeApi).
 */
@CassandraTest
class SelfRelayIT {

    /** An account of the local chains' mnemonic that neither the demo nor the node uses: the dApp's own. */
    private static final int DAPP_ACCOUNT = 7;
    private static final int CONFIRMATIONS = 2;
    private static final ObjectMapper JSON = new ObjectMapper();

    @Test
    void aPlainClientDeliversAnAttestedMessageWithOnlyTheRoutesAnswer(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                     @TempDir Path dir) throws Exception {
        // blockTime 0: a block per transaction, so the source is final only when the test mines
        try (RelayNetwork net = RelayNetwork.start("selfrelay", 0, RelayNetwork.ALPHA, RelayNetwork.BETA)) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), CONFIRMATIONS);
            Map<String, Object> courier = RelayNetwork.courier(map);
            @SuppressWarnings("unchecked")
            Map<String, Object> submitter = new LinkedHashMap<>((Map<String, Object>) courier.get("submitter"));
            submitter.put("max-gas-limit", 50_000); // below any execute: the submitter refuses every destination, signs nothing
            courier.put("submitter", submitter);
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                TokenTraffic.Sent sent = net.traffic.lock(RelayNetwork.ALPHA, RelayNetwork.BETA, RelayNetwork.UNIT.multiply(BigInteger.valueOf(5)));
                String route = node.apiUrl() + "/v1/transfers/" + sent.messageId() + "/attestation";

                RelayNetwork.awaitStatus(node.transfers(), List.of(sent), TransferStatus.SENT, Duration.ofSeconds(60));
                HttpResponse<String> early = NodeApi.get(route);
                assertThat(early.statusCode()).isEqualTo(409);
                assertThat(JSON.readTree(early.body()).path("transferStatus").asText()).isEqualTo("SENT");
                assertThat(NodeApi.get(node.apiUrl() + "/v1/transfers/0x" + "00".repeat(32) + "/attestation").statusCode()).isEqualTo(404);

                net.alpha.mine(CONFIRMATIONS + 1);
                RelayNetwork.awaitStatus(node.transfers(), List.of(sent), TransferStatus.ATTESTED, Duration.ofSeconds(60));
                HttpResponse<String> ready = NodeApi.get(route);
                assertThat(ready.statusCode()).isEqualTo(200);
                JsonNode execute = JSON.readTree(ready.body()).path("execute");
                assertThat(net.traffic.statusOnDestination(sent)).as("nobody delivered it yet").isEqualTo(0);

                // the dApp: its own Web3j on the destination's RPC, its own funded account, and only to/data/chainId
                Web3j web3 = Web3j.build(new HttpService(net.beta.rpcUrl()));
                try {
                    TransactionReceipt receipt = sendRaw(web3, LocalChain.account(DAPP_ACCOUNT), execute.path("chainId").asLong(),
                            execute.path("to").asText(), execute.path("data").asText());
                    assertThat(receipt.isStatusOK()).as("execute receipt %s", receipt).isTrue();

                    assertThat(net.traffic.statusOnDestination(sent)).as("the gateway's messageStatus: Delivered").isEqualTo(1);
                    assertThat(net.traffic.wrappedBalance(RelayNetwork.BETA, RelayNetwork.ALPHA)).isEqualTo(sent.amount());
                    assertThat(net.executionsOnDestinations()).containsEntry(sent.messageId(), 1);
                    // the same calldata again is a replay: the gateway refuses it (an eth_call reverts)
                    EthCall replay = web3.ethCall(Transaction.createEthCallTransaction(LocalChain.account(DAPP_ACCOUNT).getAddress(),
                            execute.path("to").asText(), execute.path("data").asText()), DefaultBlockParameterName.LATEST).send();
                    assertThat(replay.isReverted() || replay.hasError()).as("replayed execute: %s", replay.getResult()).isTrue();
                } finally {
                    web3.shutdown();
                }
            }
        }
    }

    /** A signed legacy transaction (EIP-155) from {@code from}, mined and its receipt read. */
    private static TransactionReceipt sendRaw(Web3j web3, Credentials from, long chainId, String to, String data) throws Exception {
        BigInteger nonce = web3.ethGetTransactionCount(from.getAddress(), DefaultBlockParameterName.PENDING).send().getTransactionCount();
        BigInteger gasPrice = web3.ethGasPrice().send().getGasPrice();
        RawTransaction tx = RawTransaction.createTransaction(nonce, gasPrice, BigInteger.valueOf(1_500_000), to, BigInteger.ZERO, data);
        String signed = Numeric.toHexString(TransactionEncoder.signMessage(tx, chainId, from));
        var sent = web3.ethSendRawTransaction(signed).send();
        assertThat(sent.hasError()).as("eth_sendRawTransaction: %s", sent.getError() == null ? "" : sent.getError().getMessage()).isFalse();
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            Optional<TransactionReceipt> receipt = web3.ethGetTransactionReceipt(sent.getTransactionHash()).send().getTransactionReceipt();
            if (receipt.isPresent()) {
                return receipt.get();
            }
            Thread.sleep(100);
        }
        throw new AssertionError("transaction " + sent.getTransactionHash() + " not mined within 30 s");
    }
}
