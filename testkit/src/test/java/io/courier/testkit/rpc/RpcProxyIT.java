package io.courier.testkit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.testkit.LocalChain;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import okhttp3.OkHttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.protocol.exceptions.ClientConnectionException;
import org.web3j.protocol.http.HttpService;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.Transfer;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;
import org.web3j.utils.Convert;

/**
 * The proxy between a Web3j client and a real Ganache: transparent by default, and each fault observed by the
 * client as what it claims to be. Rates are 0 or 1 except in one seeded check with wide bounds, so nothing here
 * depends on luck.
 */
class RpcProxyIT {

    private static final long CHAIN_ID = 4270;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String BLOCK_NUMBER = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_blockNumber\",\"params\":[]}";
    private static final String CHAIN_ID_CALL = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\",\"params\":[]}";

    private static LocalChain chain;
    private static HttpClient http;

    private RpcProxy proxy;
    private Web3j client;

    @BeforeAll
    static void startChain() {
        chain = LocalChain.start(LocalChain.Options.chainId(CHAIN_ID).name("rpc-proxy-it"));
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    }

    @AfterAll
    static void stopChain() {
        if (chain != null) {
            chain.close();
        }
    }

    @BeforeEach
    void startProxy() {
        proxy = RpcProxy.start(chain.rpcUrl());
        client = web3j(Duration.ofSeconds(10));
    }

    @AfterEach
    void stopProxy() {
        client.shutdown();
        proxy.close();
    }

    private Web3j web3j(Duration readTimeout) {
        OkHttpClient ok = new OkHttpClient.Builder().readTimeout(readTimeout).build();
        return Web3j.build(new HttpService(proxy.url(), ok));
    }

    private HttpResponse<String> post(String body) throws IOException, InterruptedException {
        return post(body, Duration.ofSeconds(10));
    }

    private HttpResponse<String> post(String body, Duration timeout) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url()))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        return http.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static EthBlock.Block realBlock(long number) throws IOException {
        return chain.web3j().ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false)
                .send().getBlock();
    }

    private EthBlock.Block block(DefaultBlockParameter at) throws IOException {
        EthBlock answer = client.ethGetBlockByNumber(at, false).send();
        assertThat(answer.hasError()).as("error %s", answer.getError() == null ? null : answer.getError().getMessage()).isFalse();
        return answer.getBlock();
    }

    private static void assertError(Response<?> response, int code, String message) {
        assertThat(response.hasError()).as("expected error %d, got result %s", code, response.getResult()).isTrue();
        assertThat(response.getError().getCode()).isEqualTo(code);
        assertThat(response.getError().getMessage()).isEqualTo(message);
    }

    // ---- transparency -----------------------------------------------------------------------------------------

    @Test
    void forwardsTransparently() throws Exception {
        assertThat(client.ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(CHAIN_ID));
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(chain.blockNumber());

        String to = LocalChain.account(5).getAddress();
        BigInteger before = client.ethGetBalance(to, DefaultBlockParameterName.LATEST).send().getBalance();
        TransactionReceipt receipt = new Transfer(client, new RawTransactionManager(client, LocalChain.account(4), CHAIN_ID))
                .sendFunds(to, BigDecimal.ONE, Convert.Unit.ETHER).send();
        assertThat(receipt.isStatusOK()).isTrue();
        assertThat(chain.web3j().ethGetTransactionReceipt(receipt.getTransactionHash()).send().getTransactionReceipt())
                .hasValueSatisfying(real -> assertThat(real.getBlockHash()).isEqualTo(receipt.getBlockHash()));
        assertThat(client.ethGetBalance(to, DefaultBlockParameterName.LATEST).send().getBalance())
                .isEqualTo(before.add(Convert.toWei(BigDecimal.ONE, Convert.Unit.ETHER).toBigInteger()));

        HttpResponse<String> garbage = post("not json");
        assertThat(garbage.statusCode()).as("Ganache's own answer to garbage, passed through").isEqualTo(400);

        assertThat(proxy.forwarded()).isGreaterThanOrEqualTo(6);
        for (FaultKind kind : FaultKind.values()) {
            assertThat(proxy.injected(kind)).as(kind.name()).isZero();
        }
    }

    @Test
    void answersBatchesInOrderEvenWhenSomeCallsAreFaulted() throws Exception {
        String batch = "[{\"jsonrpc\":\"2.0\",\"id\":7,\"method\":\"eth_chainId\",\"params\":[]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":\"eight\",\"method\":\"eth_blockNumber\",\"params\":[]},"
                + "{\"jsonrpc\":\"2.0\",\"id\":9,\"method\":\"eth_getBlockByNumber\",\"params\":[\"finalized\",false]}]";
        JsonNode plain = JSON.readTree(post(batch).body());
        assertThat(plain.size()).isEqualTo(3);
        assertThat(plain.get(0).get("id").asInt()).isEqualTo(7);
        assertThat(plain.get(0).get("result").asText()).isEqualTo("0x" + Long.toHexString(CHAIN_ID));
        assertThat(plain.get(1).get("id").asText()).isEqualTo("eight");

        chain.mine(5);
        long head = chain.blockNumber();
        // a depth Ganache cannot fake: its own "finalized" is the latest block
        proxy.finalizedDepth(3).errorRate(1.0).methods(Set.of("eth_blockNumber"));
        JsonNode mixed = JSON.readTree(post(batch).body());
        assertThat(mixed.size()).isEqualTo(3);
        assertThat(mixed.get(0).get("result").asText()).isEqualTo("0x" + Long.toHexString(CHAIN_ID));
        assertThat(mixed.get(1).get("id").asText()).isEqualTo("eight");
        assertThat(mixed.get(1).get("error").get("code").asInt()).isEqualTo(-32603);
        assertThat(mixed.get(2).get("id").asInt()).isEqualTo(9);
        assertThat(mixed.get(2).get("result").get("number").asText())
                .as("the untargeted call's tag is rewritten too").isEqualTo("0x" + Long.toHexString(head - 3));
        assertThat(proxy.injected(FaultKind.ERROR)).isEqualTo(1);
    }

    @Test
    void servesConcurrentClientsWhileFaultsChange() throws Exception {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(8);
        try {
            var answers = new java.util.ArrayList<CompletableFuture<JsonNode>>();
            for (int i = 0; i < 200; i++) {
                String body = "{\"jsonrpc\":\"2.0\",\"id\":" + i + ",\"method\":\"eth_chainId\",\"params\":[]}";
                answers.add(CompletableFuture.supplyAsync(() -> {
                    try {
                        HttpResponse<String> response = post(body);
                        assertThat(response.statusCode()).isEqualTo(200);
                        return JSON.readTree(response.body());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }, pool));
                if (i % 20 == 10) {
                    proxy.errorRate(i % 40 == 10 ? 1.0 : 0.0); // flipped while requests are in flight
                }
            }
            long errors = 0;
            for (int i = 0; i < answers.size(); i++) {
                JsonNode answer = answers.get(i).get(10, TimeUnit.SECONDS);
                assertThat(answer.get("id").asInt()).isEqualTo(i);
                if (answer.has("error")) {
                    assertThat(answer.get("error").get("code").asInt()).isEqualTo(-32603);
                    errors++;
                } else {
                    assertThat(answer.get("result").asText()).isEqualTo("0x" + Long.toHexString(CHAIN_ID));
                }
            }
            assertThat(proxy.injected(FaultKind.ERROR)).isEqualTo(errors);
            assertThat(proxy.forwarded()).isEqualTo(200 - errors);
        } finally {
            pool.shutdownNow();
        }
    }

    // ---- block tags -------------------------------------------------------------------------------------------

    @Test
    void finalizedAndSafeAreHeadMinusDepth() throws Exception {
        chain.mine(12);
        proxy.finalizedDepth(4).safeDepth(2);
        long head = chain.blockNumber();

        EthBlock.Block finalized = block(DefaultBlockParameterName.FINALIZED);
        assertThat(finalized.getNumber().longValue()).isEqualTo(head - 4);
        assertThat(finalized.getHash()).isEqualTo(realBlock(head - 4).getHash());
        assertThat(block(DefaultBlockParameterName.SAFE).getNumber().longValue()).isEqualTo(head - 2);
        assertThat(block(DefaultBlockParameterName.LATEST).getNumber().longValue()).isEqualTo(head);

        chain.mine(3);
        Thread.sleep(Upstream.HEAD_TTL.toMillis() + 50); // past the proxy's head cache
        assertThat(block(DefaultBlockParameterName.FINALIZED).getNumber().longValue()).isEqualTo(head + 3 - 4);

        proxy.finalizedDepth(1_000_000);
        assertThat(block(DefaultBlockParameterName.FINALIZED).getNumber().longValue()).as("never below 0").isZero();

        proxy.clearBlockTagDepths();
        assertThat(block(DefaultBlockParameterName.FINALIZED).getNumber().longValue())
                .as("Ganache's own answer: finalized = latest").isEqualTo(head + 3);
    }

    @Test
    void tagsAreRewrittenInStateAndLogQueries() throws Exception {
        Credentials sender = LocalChain.account(7);
        String to = LocalChain.account(6).getAddress();
        BigInteger before = chain.web3j().ethGetBalance(to, DefaultBlockParameterName.LATEST).send().getBalance();
        BigInteger nonce = chain.web3j().ethGetTransactionCount(sender.getAddress(), DefaultBlockParameterName.LATEST)
                .send().getTransactionCount();
        new Transfer(chain.web3j(), new RawTransactionManager(chain.web3j(), sender, CHAIN_ID))
                .sendFunds(to, BigDecimal.ONE, Convert.Unit.ETHER).send(); // instamine: a block of its own
        BigInteger after = before.add(Convert.toWei(BigDecimal.ONE, Convert.Unit.ETHER).toBigInteger());
        String logger = deployLogger(sender); // the next block, with one log
        long head = chain.blockNumber();

        // finalized = the block before the transfer; Ganache alone would answer every query below at the head
        proxy.finalizedDepth(2);
        assertThat(client.ethGetBalance(to, DefaultBlockParameterName.FINALIZED).send().getBalance()).isEqualTo(before);
        assertThat(client.ethGetBalance(to, DefaultBlockParameterName.LATEST).send().getBalance()).isEqualTo(after);
        assertThat(client.ethGetTransactionCount(sender.getAddress(), DefaultBlockParameterName.FINALIZED).send()
                .getTransactionCount()).isEqualTo(nonce);
        assertThat(client.ethGetTransactionCount(sender.getAddress(), DefaultBlockParameterName.LATEST).send()
                .getTransactionCount()).isEqualTo(nonce.add(BigInteger.TWO));
        assertThat(logs(DefaultBlockParameterName.FINALIZED, DefaultBlockParameterName.FINALIZED, logger)).isZero();
        assertThat(logs(DefaultBlockParameter.valueOf(BigInteger.ZERO), DefaultBlockParameterName.FINALIZED, logger)).isZero();
        assertThat(logs(DefaultBlockParameterName.LATEST, DefaultBlockParameterName.LATEST, logger)).isOne();

        chain.mine(2);
        Thread.sleep(Upstream.HEAD_TTL.toMillis() + 50); // past the proxy's head cache
        assertThat(chain.blockNumber()).isEqualTo(head + 2);
        assertThat(client.ethGetBalance(to, DefaultBlockParameterName.FINALIZED).send().getBalance()).isEqualTo(after);
        assertThat(client.ethGetTransactionCount(sender.getAddress(), DefaultBlockParameterName.FINALIZED).send()
                .getTransactionCount()).isEqualTo(nonce.add(BigInteger.TWO));
        assertThat(logs(DefaultBlockParameterName.FINALIZED, DefaultBlockParameterName.FINALIZED, logger)).isOne();
        assertThat(logs(DefaultBlockParameterName.LATEST, DefaultBlockParameterName.LATEST, logger)).isZero();
    }

    /** How many logs {@code address} has in the block range, asked through the proxy. */
    private int logs(DefaultBlockParameter from, DefaultBlockParameter to, String address) throws IOException {
        var answer = client.ethGetLogs(new EthFilter(from, to, address)).send();
        assertThat(answer.hasError()).as("eth_getLogs error %s", answer.getError() == null ? null : answer.getError().getMessage())
                .isFalse();
        return answer.getLogs().size();
    }

    /**
     * Deploys a contract whose constructor emits one anonymous log ({@code PUSH1 0 PUSH1 0 LOG0 STOP}): a log in a
     * known block without any compiled contract. Returns the contract's address, which the log carries.
     */
    private static String deployLogger(Credentials from) throws Exception {
        var sent = new RawTransactionManager(chain.web3j(), from, CHAIN_ID).sendTransaction(
                BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(100_000), null, "0x60006000a000", BigInteger.ZERO, true);
        assertThat(sent.hasError()).as("deploy error %s", sent.getError() == null ? null : sent.getError().getMessage()).isFalse();
        TransactionReceipt receipt = new PollingTransactionReceiptProcessor(chain.web3j(), 100, 300)
                .waitForTransactionReceipt(sent.getTransactionHash());
        assertThat(receipt.getLogs()).hasSize(1);
        return receipt.getContractAddress();
    }

    // ---- faults -----------------------------------------------------------------------------------------------

    @Test
    void errorRateZeroAndOneAreExact() throws Exception {
        proxy.errorRate(1.0);
        for (int i = 0; i < 50; i++) {
            assertError(client.ethBlockNumber().send(), -32603, "internal error");
        }
        proxy.errorRate(0.0);
        for (int i = 0; i < 50; i++) {
            assertThat(client.ethBlockNumber().send().hasError()).isFalse();
        }
        assertThat(proxy.injected(FaultKind.ERROR)).isEqualTo(50);
        assertThat(proxy.forwarded()).isEqualTo(50);
    }

    @Test
    void seededErrorRateIsRepeatableAndRoughlyRight() throws Exception {
        proxy.errorRate(0.25).seed(42);
        boolean[] first = errorsOf(200);
        long failed = count(first);
        assertThat(failed).as("errors among 200 at p = 0.25 (expected 50)").isBetween(20L, 85L);
        assertThat(proxy.injected(FaultKind.ERROR)).isEqualTo(failed);

        proxy.seed(42);
        assertThat(errorsOf(200)).as("the same seed, the same faults").isEqualTo(first);
    }

    private boolean[] errorsOf(int requests) throws Exception {
        boolean[] errors = new boolean[requests];
        for (int i = 0; i < requests; i++) {
            JsonNode answer = JSON.readTree(post(CHAIN_ID_CALL).body());
            errors[i] = answer.has("error");
        }
        return errors;
    }

    private static long count(boolean[] values) {
        long n = 0;
        for (boolean v : values) {
            n += v ? 1 : 0;
        }
        return n;
    }

    @Test
    void methodFilterRestrictsFaults() throws Exception {
        proxy.errorRate(1.0).methods(Set.of("eth_call"));
        assertThat(client.ethChainId().send().hasError()).isFalse();
        assertThat(client.ethBlockNumber().send().hasError()).isFalse();
        Transaction call = Transaction.createEthCallTransaction(LocalChain.account(0).getAddress(),
                LocalChain.account(1).getAddress(), "0x");
        assertError(client.ethCall(call, DefaultBlockParameterName.LATEST).send(), -32603, "internal error");
        assertThat(proxy.injected(FaultKind.ERROR)).isEqualTo(1);
    }

    @Test
    void headerNotFoundHitsBlockLogAndCallQueriesOnly() throws Exception {
        proxy.headerNotFoundRate(1.0);
        assertError(client.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false).send(), -32000, "header not found");
        assertError(client.ethGetLogs(new EthFilter()).send(), -32000, "header not found");
        Transaction call = Transaction.createEthCallTransaction(LocalChain.account(0).getAddress(),
                LocalChain.account(1).getAddress(), "0x");
        assertError(client.ethCall(call, DefaultBlockParameterName.LATEST).send(), -32000, "header not found");
        assertThat(client.ethChainId().send().hasError()).isFalse();
        assertThat(client.ethGetBalance(LocalChain.account(0).getAddress(), DefaultBlockParameterName.LATEST).send().hasError())
                .isFalse();
        assertThat(proxy.injected(FaultKind.HEADER_NOT_FOUND)).isEqualTo(3);
    }

    @Test
    void timeoutHoldsUntilTheClientGivesUpThenDropsTheRequest() throws Exception {
        // a hold far longer than the client's patience: the client's own read timeout must be what ends the call
        proxy.timeoutRate(1.0, Duration.ofSeconds(60));
        Web3j impatient = web3j(Duration.ofMillis(500));
        try {
            long t0 = System.nanoTime();
            assertThatThrownBy(() -> impatient.ethBlockNumber().send()).isInstanceOf(InterruptedIOException.class);
            long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
            assertThat(took).as("not before the client's read timeout of 500 ms").isGreaterThanOrEqualTo(450L);
        } finally {
            impatient.shutdown();
        }

        // a patient client sees a short hold end first: the connection closes without an answer, not a timeout
        proxy.timeoutRate(1.0, Duration.ofMillis(300));
        long t0 = System.nanoTime();
        assertThatThrownBy(() -> post(BLOCK_NUMBER, Duration.ofSeconds(60)))
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).as("held at least 300 ms").isGreaterThanOrEqualTo(250L);
        assertThat(proxy.injected(FaultKind.TIMEOUT)).isEqualTo(2);

        proxy.timeoutRate(0.0, Duration.ZERO);
        assertThat(client.ethBlockNumber().send().hasError()).isFalse();
    }

    @Test
    void closingTheProxyEndsHeldRequests() throws Exception {
        proxy.timeoutRate(1.0, FaultPlan.MAX_HOLD);
        HttpRequest request = HttpRequest.newBuilder(URI.create(proxy.url()))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(BLOCK_NUMBER)).build();
        CompletableFuture<HttpResponse<String>> pending = http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (proxy.injected(FaultKind.TIMEOUT) == 0 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(proxy.injected(FaultKind.TIMEOUT)).isEqualTo(1);
        proxy.close();
        assertThatThrownBy(() -> pending.get(30, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class).hasCauseInstanceOf(IOException.class);
    }

    @Test
    void dropClosesTheConnectionWithoutAnyResponse() throws Exception {
        proxy.dropRate(1.0);
        assertThatThrownBy(() -> post(BLOCK_NUMBER))
                .as("EOF / reset, not an HTTP answer")
                .isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(proxy.injected(FaultKind.DROP)).isEqualTo(1);
        // OkHttp (Web3j) may retry a failed connection once; it still ends in an IOException
        assertThatThrownBy(() -> client.ethBlockNumber().send()).isInstanceOf(IOException.class);
        assertThat(proxy.injected(FaultKind.DROP)).isGreaterThanOrEqualTo(2);
        assertThat(proxy.forwarded()).isZero();

        proxy.dropRate(0.0);
        assertThat(post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
    }

    @Test
    void rateLimitAnswers429WithRetryAfter() throws Exception {
        proxy.rateLimitClock(() -> 0L); // the budget never refills while the test counts, however slow the machine
        proxy.rateLimit(0, Duration.ofMillis(1500));
        HttpResponse<String> refused = post(BLOCK_NUMBER);
        assertThat(refused.statusCode()).isEqualTo(429);
        assertThat(refused.headers().firstValue("Retry-After")).hasValue("2");
        JsonNode body = JSON.readTree(refused.body());
        assertThat(body.get("id").asInt()).isEqualTo(1);
        assertThat(body.get("error").get("code").asInt()).isEqualTo(-32005);

        proxy.rateLimit(1, Duration.ofSeconds(3));
        assertThat(post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
        HttpResponse<String> second = post(BLOCK_NUMBER);
        assertThat(second.statusCode()).isEqualTo(429);
        assertThat(second.headers().firstValue("Retry-After")).hasValue("3");
        assertThatThrownBy(() -> client.ethBlockNumber().send())
                .isInstanceOf(ClientConnectionException.class).hasMessageContaining("429");
        assertThat(proxy.injected(FaultKind.RATE_LIMIT)).isEqualTo(3);

        proxy.noRateLimit();
        assertThat(post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
    }

    @Test
    void staleHeadStaysPutWhileTheChainMoves() throws Exception {
        long frozen = chain.blockNumber();
        String frozenHash = realBlock(frozen).getHash();
        proxy.staleHead(true);
        chain.mine(3);

        assertThat(chain.blockNumber()).isEqualTo(frozen + 3);
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(frozen);
        EthBlock.Block latest = block(DefaultBlockParameterName.LATEST);
        assertThat(latest.getNumber().longValue()).isEqualTo(frozen);
        assertThat(latest.getHash()).isEqualTo(frozenHash);
        assertThat(block(DefaultBlockParameter.valueOf(BigInteger.valueOf(frozen + 1))))
                .as("the stale node has not seen the next block").isNull();
        assertThat(proxy.injected(FaultKind.STALE_HEAD)).isEqualTo(3);

        proxy.staleHead(false);
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(frozen + 3);
    }

    @Test
    void wrongMissingBlockInventsBlocksAboveTheHead() throws Exception {
        long head = chain.blockNumber();
        long missing = head + 5;
        assertThat(block(DefaultBlockParameter.valueOf(BigInteger.valueOf(missing)))).isNull();

        proxy.wrongMissingBlock(true);
        EthBlock.Block invented = block(DefaultBlockParameter.valueOf(BigInteger.valueOf(missing)));
        assertThat(invented).isNotNull();
        assertThat(invented.getNumber().longValue()).isEqualTo(missing);
        assertThat(invented.getHash()).matches("0x[0-9a-f]{64}");
        assertThat(invented.getParentHash()).matches("0x[0-9a-f]{64}");
        assertThat(invented.getTimestamp()).isPositive();
        assertThat(chain.web3j().ethGetBlockByHash(invented.getHash(), false).send().getBlock())
                .as("the real chain has no block with the invented hash").isNull();
        assertThat(realBlock(missing)).isNull();

        EthBlock.Block real = block(DefaultBlockParameter.valueOf(BigInteger.valueOf(head)));
        assertThat(real.getHash()).as("existing blocks stay true").isEqualTo(realBlock(head).getHash());
        assertThat(proxy.injected(FaultKind.WRONG_MISSING_BLOCK)).isEqualTo(1);
    }

    @Test
    void downAnswers503() throws Exception {
        proxy.down(true);
        assertThat(post(BLOCK_NUMBER).statusCode()).isEqualTo(503);
        assertThatThrownBy(() -> client.ethBlockNumber().send())
                .isInstanceOf(ClientConnectionException.class).hasMessageContaining("503");
        assertThat(proxy.injected(FaultKind.DOWN)).isEqualTo(2);
        assertThat(proxy.forwarded()).isZero();

        proxy.down(false);
        assertThat(post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
    }

    @Test
    void offlineRefusesConnectionsThenComesBackOnTheSamePort() throws Exception {
        String url = proxy.url();
        assertThat(client.ethBlockNumber().send().hasError()).isFalse();

        proxy.offline();
        assertThat(proxy.isOffline()).isTrue();
        assertThatThrownBy(() -> post(BLOCK_NUMBER)).isInstanceOf(ConnectException.class);
        assertThatThrownBy(() -> client.ethBlockNumber().send()).isInstanceOf(IOException.class);

        proxy.online();
        assertThat(proxy.isOffline()).isFalse();
        assertThat(proxy.url()).isEqualTo(url);
        assertThat(post(BLOCK_NUMBER).statusCode()).isEqualTo(200);
        assertThat(client.ethBlockNumber().send().getBlockNumber().longValue()).isEqualTo(chain.blockNumber());
    }
}
