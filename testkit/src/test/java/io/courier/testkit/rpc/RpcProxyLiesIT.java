package io.courier.testkit.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;

/**
 * The proxy's lies against a real Ganache: each one is seen by a plain Web3j client pointed at the proxy and not by
 * one pointed at the chain, ends when switched off, and a test's inventor or rewriter that fails costs its own call
 * an error and nothing else. The chain mines only when a test sends a transaction, so heads are exact.
 */
@ExtendWith(LocalChainExtension.class)
class RpcProxyLiesIT {

    private static final long CHAIN_ID = 4271;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String TOPIC_REAL = "0x" + "11".repeat(32);
    private static final String TOPIC_SENT = "0x" + "5e".repeat(32);
    private static final String TOPIC_ID = "0x" + "1d".repeat(32);
    private static final String OTHER_ADDRESS = "0x" + "ab".repeat(20);

    private static final HttpClient HTTP =
            HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();

    private LocalChain chain;
    private Web3j honest;
    private RpcProxy proxy;
    private Web3j client;

    @BeforeEach
    void startProxy(@Chain(id = CHAIN_ID) LocalChain localChain) {
        chain = localChain;
        honest = chain.web3j();
        proxy = RpcProxy.start(chain.rpcUrl());
        client = Web3j.build(new HttpService(proxy.url()));
    }

    @AfterEach
    void stopProxy() {
        client.shutdown();
        proxy.close();
    }

    // ---- (a) invented logs ------------------------------------------------------------------------------------

    @Test
    void inventedLogsJoinARealBlockThroughTheProxyOnly() throws Exception {
        TransactionReceipt emitted = emitLog(LocalChain.account(6), TOPIC_REAL);
        long block = emitted.getBlockNumber().longValue();
        String address = emitted.getContractAddress();
        InventedLog forged = new InventedLog(address, List.of(TOPIC_SENT, TOPIC_ID), "0xc0ffee", block,
                emitted.getBlockHash(), InventedLog.madeUpHash("forged"), 1, 1);
        InventedLog elsewhere = new InventedLog(OTHER_ADDRESS, List.of(TOPIC_SENT), "0x", block, emitted.getBlockHash(),
                InventedLog.madeUpHash("elsewhere"), 2, 2);
        InventedLog later = new InventedLog(address, List.of(TOPIC_SENT), "0x", block + 100, "0x" + "42".repeat(32),
                InventedLog.madeUpHash("later"), 0, 0);
        AtomicReference<LogQuery> asked = new AtomicReference<>();
        proxy.inventLogs(query -> {
            asked.set(query);
            return List.of(later, elsewhere, forged);
        });

        EthFilter exact = new EthFilter(at(block), at(block), address);
        List<Log> lied = logs(client, exact);
        assertThat(lied).extracting(Log::getTransactionHash)
                .containsExactly(emitted.getTransactionHash(), forged.transactionHash());
        Log seen = lied.get(1);
        assertThat(seen.getBlockNumber().longValue()).isEqualTo(block);
        assertThat(seen.getBlockHash()).as("a real block's hash").isEqualTo(emitted.getBlockHash());
        assertThat(seen.getAddress()).isEqualTo(address);
        assertThat(seen.getTopics()).containsExactly(TOPIC_SENT, TOPIC_ID);
        assertThat(seen.getData()).isEqualTo("0xc0ffee");
        assertThat(seen.getLogIndex()).isOne();
        assertThat(seen.getTransactionIndex()).isOne();
        assertThat(seen.isRemoved()).isFalse();
        assertThat(asked.get()).isEqualTo(new LogQuery(block, block, null, List.of(address), List.of()));
        assertThat(logs(honest, exact)).extracting(Log::getTransactionHash).containsExactly(emitted.getTransactionHash());
        assertThat(honest.ethGetTransactionByHash(forged.transactionHash()).send().getTransaction())
                .as("the chain never had the forged transaction").isEmpty();

        // topic filters, as Courier asks: one position, any of some values
        assertThat(logs(client, new EthFilter(at(block), at(block), address).addSingleTopic(TOPIC_REAL)))
                .extracting(Log::getTransactionHash).containsExactly(emitted.getTransactionHash());
        assertThat(logs(client, new EthFilter(at(block), at(block), address).addSingleTopic(TOPIC_SENT)))
                .extracting(Log::getTransactionHash).containsExactly(forged.transactionHash());
        assertThat(logs(client, new EthFilter(at(block), at(block), address).addOptionalTopics(TOPIC_REAL, TOPIC_SENT)))
                .hasSize(2);
        assertThat(logs(client, new EthFilter(at(block), at(block), address).addNullTopic().addSingleTopic(TOPIC_ID)))
                .extracting(Log::getTransactionHash).containsExactly(forged.transactionHash());
        // several addresses: merged and sorted by block, then log index
        assertThat(logs(client, new EthFilter(at(block), at(block), List.of(address, OTHER_ADDRESS))))
                .extracting(l -> l.getLogIndex().intValue()).containsExactly(0, 1, 2);
        // a range without the block: nothing invented, not even the log of a block above the head
        assertThat(logs(client, new EthFilter(at(0), at(block - 1), address))).isEmpty();
        // tags are resolved to the range the node answers
        assertThat(logs(client, new EthFilter(DefaultBlockParameterName.EARLIEST, DefaultBlockParameterName.LATEST, address)))
                .hasSize(2);
        assertThat(asked.get().fromBlock()).isZero();
        assertThat(asked.get().toBlock()).isEqualTo(chain.blockNumber());
        // a query by block hash (EIP-234)
        assertThat(logs(client, new EthFilter(emitted.getBlockHash(), address))).hasSize(2);
        assertThat(asked.get().blockHash()).isEqualTo(emitted.getBlockHash());
        assertThat(proxy.injected(FaultKind.INVENTED_LOG)).isEqualTo(7);

        proxy.stopInventingLogs();
        assertThat(logs(client, exact)).extracting(Log::getTransactionHash).containsExactly(emitted.getTransactionHash());
        assertThat(proxy.injected(FaultKind.INVENTED_LOG)).isEqualTo(7);
    }

    // ---- (b) a head far ahead ---------------------------------------------------------------------------------

    @Test
    void aHeadFarAheadComesWithAnInventedChainOnTopOfTheRealOne() throws Exception {
        long head = chain.blockNumber();
        String headHash = realBlock(head).getHash();
        proxy.claimHeadAhead(1000);

        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(head + 1000);
        assertThat(honest.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(head);
        EthBlock.Block latest = block(DefaultBlockParameterName.LATEST);
        assertThat(latest.getNumber().longValue()).isEqualTo(head + 1000);
        assertThat(honest.ethGetBlockByHash(latest.getHash(), false).send().getBlock()).isNull();
        assertThat(block(DefaultBlockParameterName.SAFE).getHash()).as("Ganache's safe is its latest").isEqualTo(latest.getHash());

        EthBlock.Block first = block(at(head + 1));
        EthBlock.Block second = block(at(head + 2));
        assertThat(first.getParentHash()).as("the invented chain grows on the real head").isEqualTo(headHash);
        assertThat(second.getParentHash()).isEqualTo(first.getHash());
        assertThat(block(at(head + 999)).getHash()).isEqualTo(latest.getParentHash());
        assertThat(block(at(head + 1)).getHash()).as("asked again, the same block").isEqualTo(first.getHash());
        assertThat(second.getTimestamp()).isGreaterThan(first.getTimestamp());
        assertThat(realBlock(head + 1)).isNull();
        assertThat(block(at(head + 1001))).as("above the claimed head").isNull();
        assertThat(block(at(head)).getHash()).as("real blocks stay true").isEqualTo(headHash);

        proxy.finalizedDepth(10);
        EthBlock.Block finalized = block(DefaultBlockParameterName.FINALIZED);
        assertThat(finalized.getNumber().longValue()).as("finalized moves with the claim").isEqualTo(head + 990);
        assertThat(finalized.getHash()).isEqualTo(block(at(head + 990)).getHash());
        assertThat(client.ethGetBalance(LocalChain.account(0).getAddress(), DefaultBlockParameterName.LATEST).send().hasError())
                .as("other methods see the real chain").isFalse();
        assertThat(proxy.injected(FaultKind.HEAD_AHEAD)).isEqualTo(9);

        proxy.claimHeadAhead(0);
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(head);
        assertThat(block(DefaultBlockParameterName.LATEST).getHash()).isEqualTo(headHash);
        assertThat(block(at(head + 1))).isNull();
        assertThat(proxy.injected(FaultKind.HEAD_AHEAD)).isEqualTo(9);
    }

    // ---- (c) forged receipts ----------------------------------------------------------------------------------

    @Test
    void receiptsAreForgedAndInventedForTransactionsThatNeverWere() throws Exception {
        TransactionReceipt real = new Transfer(honest, new RawTransactionManager(honest, LocalChain.account(7), CHAIN_ID))
                .sendFunds(LocalChain.account(8).getAddress(), BigDecimal.ONE, Convert.Unit.ETHER).send();
        String otherBlock = "0x" + "0b".repeat(32);
        InventedLog forgedLog = new InventedLog(OTHER_ADDRESS, List.of(TOPIC_SENT), "0x", real.getBlockNumber().longValue(),
                real.getBlockHash(), InventedLog.madeUpHash("never sent"), 0, 5);
        String from = LocalChain.account(9).getAddress();
        proxy.rewriteResult("eth_getTransactionReceipt", (params, result) -> {
            if (result instanceof ObjectNode receipt) {
                return receipt.put("status", "0x0").put("blockHash", otherBlock);
            }
            return params.path(0).asText().equals(forgedLog.transactionHash())
                    ? InventedLog.receiptOf(List.of(forgedLog), from, OTHER_ADDRESS) : result;
        });

        TransactionReceipt lied = receipt(client, real.getTransactionHash());
        assertThat(lied.isStatusOK()).isFalse();
        assertThat(lied.getBlockHash()).isEqualTo(otherBlock);
        assertThat(receipt(honest, real.getTransactionHash()).isStatusOK()).isTrue();
        assertThat(receipt(honest, real.getTransactionHash()).getBlockHash()).isEqualTo(real.getBlockHash());

        TransactionReceipt invented = receipt(client, forgedLog.transactionHash());
        assertThat(invented.isStatusOK()).isTrue();
        assertThat(invented.getBlockHash()).isEqualTo(real.getBlockHash());
        assertThat(invented.getFrom()).isEqualTo(from);
        assertThat(invented.getLogs()).singleElement().satisfies(l -> {
            assertThat(l.getTransactionHash()).isEqualTo(forgedLog.transactionHash());
            assertThat(l.getTopics()).containsExactly(TOPIC_SENT);
            assertThat(l.getLogIndex()).isEqualTo(5);
        });
        assertThat(honest.ethGetTransactionReceipt(forgedLog.transactionHash()).send().getTransactionReceipt()).isEmpty();
        assertThat(client.ethGetTransactionReceipt(InventedLog.madeUpHash("unknown")).send().getTransactionReceipt())
                .as("a null the rewriter leaves alone").isEmpty();
        assertThat(proxy.injected(FaultKind.REWRITTEN_RESULT)).isEqualTo(2);

        proxy.stopRewriting("eth_getTransactionReceipt");
        assertThat(receipt(client, real.getTransactionHash()).isStatusOK()).isTrue();
        assertThat(client.ethGetTransactionReceipt(forgedLog.transactionHash()).send().getTransactionReceipt()).isEmpty();
        assertThat(proxy.injected(FaultKind.REWRITTEN_RESULT)).isEqualTo(2);
    }

    @Test
    void clearFaultsEndsTheLiesToo() throws Exception {
        long head = chain.blockNumber();
        proxy.claimHeadAhead(5).inventLogs(q -> List.of()).rewriteResult("eth_chainId", (p, r) -> NullNode.instance);
        assertThat(proxy.faults().lies().any()).isTrue();
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(head + 5);
        assertThat(client.ethChainId().send().getResult()).isNull();

        proxy.clearFaults();
        assertThat(proxy.faults().lies()).isEqualTo(Lies.NONE);
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(head);
        assertThat(client.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(CHAIN_ID));
    }

    // ---- a lie that fails -------------------------------------------------------------------------------------

    @Test
    void aFailingLieFailsItsOwnCallOnlyNotTheBatchNorTheProxy() throws Exception {
        proxy.rewriteResult("eth_getTransactionReceipt", (p, r) -> {
                    throw new IllegalStateException("rewriter bug");
                })
                .rewriteResult("eth_getBalance", (p, r) -> null)
                .rewriteResult("eth_getCode", (p, r) -> JsonNodeFactory.instance.pojoNode(new Object())) // not writable
                .inventLogs(q -> null);
        String account = LocalChain.account(0).getAddress();
        String batch = "[" + call(1, "eth_getTransactionReceipt", "[\"" + InventedLog.madeUpHash("x") + "\"]")
                + "," + call(2, "eth_chainId", "[]")
                + "," + call(3, "eth_getBalance", "[\"" + account + "\",\"latest\"]")
                + "," + call(4, "eth_getCode", "[\"" + account + "\",\"latest\"]")
                + "," + call(5, "eth_getLogs", "[{\"fromBlock\":\"0x0\",\"toBlock\":\"latest\"}]") + "]";
        HttpResponse<String> response = post(batch);
        assertThat(response.statusCode()).isEqualTo(200);
        JsonNode answers = JSON.readTree(response.body());
        assertThat(answers).hasSize(5);
        assertThat(answers.get(1).get("id").asInt()).isEqualTo(2);
        assertThat(answers.get(1).get("result").asText()).isEqualTo("0x" + Long.toHexString(CHAIN_ID));
        String[] methods = {"eth_getTransactionReceipt", null, "eth_getBalance", "eth_getCode", "eth_getLogs"};
        for (int i : new int[] {0, 2, 3, 4}) {
            assertThat(answers.get(i).get("id").asInt()).isEqualTo(i + 1);
            assertThat(answers.get(i).has("result")).isFalse();
            assertThat(answers.get(i).get("error").get("code").asInt()).isEqualTo(-32603);
            assertThat(answers.get(i).get("error").get("message").asText()).contains(methods[i]);
        }

        var single = client.ethGetTransactionReceipt(InventedLog.madeUpHash("y")).send();
        assertThat(single.hasError()).isTrue();
        assertThat(single.getError().getCode()).isEqualTo(-32603);
        assertThat(single.getError().getMessage()).contains("rewriter bug");
        assertThat(proxy.injected(FaultKind.LIE_FAILED)).isEqualTo(5);

        assertThat(client.ethChainId().send().getChainId()).as("the proxy goes on").isEqualTo(BigInteger.valueOf(CHAIN_ID));
        proxy.clearLies();
        assertThat(client.ethGetBalance(account, DefaultBlockParameterName.LATEST).send().hasError()).isFalse();
        assertThat(client.ethGetTransactionReceipt(InventedLog.madeUpHash("y")).send().hasError()).isFalse();
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private static DefaultBlockParameter at(long number) {
        return DefaultBlockParameter.valueOf(BigInteger.valueOf(number));
    }

    private EthBlock.Block realBlock(long number) throws IOException {
        return honest.ethGetBlockByNumber(at(number), false).send().getBlock();
    }

    private EthBlock.Block block(DefaultBlockParameter number) throws IOException {
        EthBlock answer = client.ethGetBlockByNumber(number, false).send();
        assertThat(answer.hasError()).as("error %s", answer.getError() == null ? null : answer.getError().getMessage()).isFalse();
        return answer.getBlock();
    }

    private static List<Log> logs(Web3j web3j, EthFilter filter) throws IOException {
        EthLog answer = web3j.ethGetLogs(filter).send();
        assertThat(answer.hasError()).as("eth_getLogs error %s", answer.getError() == null ? null : answer.getError().getMessage())
                .isFalse();
        return answer.getLogs().stream().map(r -> (Log) r.get()).toList();
    }

    private static TransactionReceipt receipt(Web3j web3j, String tx) throws IOException {
        return web3j.ethGetTransactionReceipt(tx).send().getTransactionReceipt().orElseThrow();
    }

    private static String call(int id, String method, String params) {
        return "{\"jsonrpc\":\"2.0\",\"id\":" + id + ",\"method\":\"" + method + "\",\"params\":" + params + "}";
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url())).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /**
     * Deploys a contract whose constructor emits one log with {@code topic} ({@code PUSH32 topic PUSH1 0 PUSH1 0 LOG1
     * STOP}): a real log in a real block without a compiled contract. The receipt names the block and the address.
     */
    private TransactionReceipt emitLog(Credentials from, String topic) throws Exception {
        var sent = new RawTransactionManager(honest, from, CHAIN_ID).sendTransaction(BigInteger.valueOf(20_000_000_000L),
                BigInteger.valueOf(100_000), null, "0x7f" + topic.substring(2) + "60006000a100", BigInteger.ZERO, true);
        assertThat(sent.hasError()).as("deploy error %s", sent.getError() == null ? null : sent.getError().getMessage()).isFalse();
        TransactionReceipt receipt = new PollingTransactionReceiptProcessor(honest, 100, 300)
                .waitForTransactionReceipt(sent.getTransactionHash());
        assertThat(receipt.getLogs()).singleElement().satisfies(l -> assertThat(l.getTopics()).containsExactly(topic));
        return receipt;
    }
}
