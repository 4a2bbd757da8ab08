package io.courier.chain.web3j;

import io.courier.chain.LogFilter;

import io.courier.chain.CallRequest;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.Address;

import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.TxReceipt;

import static io.courier.chain.web3j.ScriptedService.error;
import static io.courier.chain.web3j.ScriptedService.fail;
import static io.courier.chain.web3j.ScriptedService.result;
import static io.courier.chain.web3j.ClientStages.await;
import static io.courier.chain.web3j.ClientStages.failure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.ChainRpcException.Kind;
import java.math.BigInteger;
import java.net.ConnectException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Utf8String;
import org.web3j.crypto.Hash;
import org.web3j.protocol.exceptions.ClientConnectionException;

/** The request pipeline (limiter, timeout, retries, classification, observer) over a scripted transport. */
class Web3jChainClientTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 3);

    private final ScriptedService node = new ScriptedService();
    private final RecordingScheduler scheduler = new RecordingScheduler();
    private final List<String> observed = new CopyOnWriteArrayList<>();
    private ChainClientSettings settings = ChainClientSettings.of("testnet", 1001, "http://127.0.0.1:1/key")
            .withBackoff(BACKOFF)
            .withTimeout(Duration.ofSeconds(5))
            .withObserver((chain, endpoint, method, outcome, nanos) -> observed.add(chain + " " + endpoint + " " + method + " " + outcome));
    private Web3jChainClient client;

    private Web3jChainClient client() {
        if (client == null) {
            client = new Web3jChainClient(settings, SingleEndpoint.of("scripted", node), scheduler);
        }
        return client;
    }

    @AfterEach
    void tearDown() {
        if (client != null) {
            client.close();
        }
        scheduler.shutdownNow();
    }

    @Test
    void transientFailuresAreRetriedWithTheBackoffDelays() {
        node.then(fail(new ConnectException("Connection refused")))
                .then(error(-32000, "header not found"))
                .then(result("\"0x10\""));
        assertThat(await(client().nonce(Address.fromHex("0x00000000000000000000000000000000000000aa"), false))).isEqualTo(16L);
        assertThat(node.requests).hasSize(3);
        assertThat(scheduler.delaysNanos).containsExactly(100_000_000L, 200_000_000L);
        assertThat(observed).containsExactly(
                "testnet scripted eth_getTransactionCount transient",
                "testnet scripted eth_getTransactionCount transient",
                "testnet scripted eth_getTransactionCount ok");
    }

    @Test
    void everyAttemptIsObservedUnderTheCallersContextWhicheverThreadRunsIt() {
        io.opentelemetry.context.ContextKey<String> transfer = io.opentelemetry.context.ContextKey.named("transfer");
        List<String> seen = new CopyOnWriteArrayList<>();
        settings = settings.withObserver((chain, endpoint, method, outcome, nanos) ->
                seen.add(outcome + " " + io.opentelemetry.context.Context.current().get(transfer)));
        node.then(fail(new ConnectException("Connection refused"))).then(result("\"0x10\""));
        CompletableFuture<Long> nonce;
        try (io.opentelemetry.context.Scope ignored = io.opentelemetry.context.Context.current().with(transfer, "0xabc").makeCurrent()) {
            nonce = client().nonce(Address.fromHex("0x00000000000000000000000000000000000000aa"), false).toCompletableFuture();
        }
        assertThat(await(nonce)).isEqualTo(16L);
        assertThat(seen).containsExactly("transient 0xabc", "ok 0xabc");
        assertThat(io.opentelemetry.context.Context.current().get(transfer)).isNull();
    }

    @Test
    void retriesAreBoundedAndTheErrorNamesChainMethodAndAttempts() {
        node.always(fail(new ClientConnectionException("Invalid response received: 503; Service Unavailable")));
        ChainRpcException e = failure(client().blockByNumber(12));
        assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
        assertThat(e.attempts()).isEqualTo(3);
        assertThat(node.requests).hasSize(3);
        assertThat(e).hasMessageContaining("chain testnet (1001)").hasMessageContaining("eth_getBlockByNumber block 12")
                .hasMessageContaining("after 3 attempts").hasMessageContaining("503");
        assertThat(e.chainName()).isEqualTo("testnet");
        assertThat(e.call().block()).hasValue(12);
    }

    @Test
    void rateLimitsAreRetried() {
        node.then(fail(new ClientConnectionException("Invalid response received: 429; slow down"))).then(result("\"0x1\""));
        assertThat(await(client().balance(Address.fromHex("0x00000000000000000000000000000000000000aa")))).isEqualTo(BigInteger.ONE);
        assertThat(observed).first().asString().endsWith("rate_limited");
    }

    @Test
    void revertsAreNotRetriedAndCarryTheirData() {
        node.always(error(-32000, "VM Exception while processing transaction: revert", "\"0xdeadbeef\""));
        ChainRpcException e = failure(client().call(CallRequest.to(Address.fromHex("0x00000000000000000000000000000000000000aa"), "0x")));
        assertThat(e.kind()).isEqualTo(Kind.REVERTED);
        assertThat(e.revertData()).hasValue("0xdeadbeef");
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(node.requests).hasSize(1);
        assertThat(observed).containsExactly("testnet scripted eth_call reverted");
    }

    @Test
    void aRevertReturnedAsAResultIsStillARevert() {
        String revert = "0x08c379a0" + FunctionEncoder.encodeConstructor(List.of(new Utf8String("nope")));
        node.then(result("\"" + revert + "\""));
        ChainRpcException e = failure(client().call(CallRequest.to(Address.fromHex("0x00000000000000000000000000000000000000aa"), "0x")));
        assertThat(e.kind()).isEqualTo(Kind.REVERTED);
        assertThat(e.revertReason()).hasValue("nope");
    }

    private static final String SIGNED = "0x02f86b8203e9018459682f00850c570bd200825208940000000000000000000000000000000000000001"
            + "0180c001a0" + "11".repeat(32) + "a0" + "22".repeat(32);

    @Test
    void nonceErrorsOfASendAreNotRetriedAndNameTheTransaction() {
        node.then(error(-32000, "nonce too low")).then(result("null")); // the node does not know this transaction
        ChainRpcException e = failure(client().sendRawTransaction(SIGNED));
        assertThat(e.kind()).isEqualTo(Kind.NONCE_TOO_LOW);
        assertThat(e.call().tx()).hasValue(Hash.sha3(SIGNED));
        assertThat(e).hasMessageContaining("tx " + Hash.sha3(SIGNED));
        assertThat(node.requests).hasSize(2);
        assertThat(node.requests.get(1)).contains("eth_getTransactionByHash").contains(Hash.sha3(SIGNED));
    }

    @Test
    void aRefusedSendOfATransactionTheNodeHasIsAlreadyKnown() {
        String tx = "{\"hash\":\"" + Hash.sha3(SIGNED) + "\",\"nonce\":\"0x1\",\"blockHash\":null,\"blockNumber\":null,"
                + "\"from\":\"0x00000000000000000000000000000000000000aa\",\"to\":\"0x0000000000000000000000000000000000000001\","
                + "\"value\":\"0x1\",\"gas\":\"0x5208\",\"input\":\"0x\"}";
        node.then(error(-32003, "transaction underpriced")).then(result(tx)); // Ganache's answer to a pooled duplicate
        ChainRpcException e = failure(client().sendRawTransaction(SIGNED));
        assertThat(e.kind()).isEqualTo(Kind.ALREADY_KNOWN);
        assertThat(e).hasMessageContaining("answered UNDERPRICED");
        assertThat(e.getCause()).isInstanceOf(ChainRpcException.class);
    }

    @Test
    void alreadyKnownNeedsNoLookup() {
        node.then(error(-32000, "already known"));
        assertThat(failure(client().sendRawTransaction(SIGNED)).kind()).isEqualTo(Kind.ALREADY_KNOWN);
        assertThat(node.requests).hasSize(1);
    }

    @Test
    void aFailedLookupKeepsTheOriginalAnswer() {
        settings = settings.withBackoff(Backoff.none());
        node.then(error(-32000, "replacement transaction underpriced")).then(fail(new ConnectException("gone")));
        assertThat(failure(client().sendRawTransaction(SIGNED)).kind()).isEqualTo(Kind.UNDERPRICED);
    }

    @Test
    void sendReturnsTheNodesHash() {
        String hash = "0x" + "AB".repeat(32);
        node.then(result("\"" + hash + "\""));
        assertThat(await(client().sendRawTransaction("0x01"))).isEqualTo(TxHash.fromHex(hash.toLowerCase()));
        // a node answering something that is not a transaction hash is a bad answer, named as such
        node.then(result("\"0xABCDEF\""));
        assertThat(failure(client().sendRawTransaction("0x01")).kind()).isEqualTo(Kind.BAD_RESPONSE);
    }

    @Test
    void theHeadCarriesTheBlockGasLimitWhenTheNodeGivesIt() {
        String hash = "\"0x" + "11".repeat(32) + "\"";
        String parent = "\"0x" + "22".repeat(32) + "\"";
        node.then(result("{\"number\":\"0x10\",\"hash\":" + hash + ",\"parentHash\":" + parent
                + ",\"timestamp\":\"0x5\",\"gasLimit\":\"0x1c9c380\"}"));
        assertThat(await(client().head()).gasLimit()).hasValue(30_000_000L);
        node.then(result("{\"number\":\"0x10\",\"hash\":" + hash + ",\"parentHash\":" + parent + ",\"timestamp\":\"0x5\"}"));
        assertThat(await(client().head()).gasLimit()).isEmpty();
    }

    @Test
    void aMissingLatestBlockIsNotFoundButAMissingNumberedBlockIsEmpty() {
        node.then(result("null")).then(result("null"));
        assertThat(failure(client().head()).kind()).isEqualTo(Kind.NOT_FOUND);
        assertThat(await(client().blockByNumber(1_000_000))).isEmpty();
    }

    @Test
    void aBlocksSendersComeFromItsFullTransactionsAndBareHashesAreABadAnswer() {
        String block = "{\"number\":\"0x10\",\"hash\":\"0x" + "11".repeat(32) + "\",\"parentHash\":\"0x" + "22".repeat(32)
                + "\",\"timestamp\":\"0x5\",\"transactions\":[%s]}";
        String tx = "{\"hash\":\"0x" + "0F".repeat(32) + "\",\"from\":\"0xAA00000000000000000000000000000000000001\",\"nonce\":\"0x0\"}";
        node.then(result(String.format(block, tx))).then(result("null")).then(result(String.format(block, "\"0x" + "0f".repeat(32) + "\"")));

        assertThat(await(client().transactionSenders(16))).contains(java.util.Map.of(TxHash.fromHex("0x" + "0f".repeat(32)),
                Address.fromHex("0xaa00000000000000000000000000000000000001")));
        assertThat(node.requests.get(0)).contains("\"method\":\"eth_getBlockByNumber\"").contains("[\"0x10\",true]");
        assertThat(await(client().transactionSenders(1_000_000))).isEmpty();
        ChainRpcException bare = failure(client().transactionSenders(16));
        assertThat(bare.kind()).isEqualTo(Kind.BAD_RESPONSE);
        assertThat(bare).hasMessageContaining("without full transactions");
    }

    @Test
    void wrongChainIdIsDetected() {
        node.then(result("\"0x3e9\"")).then(result("\"0x1\""));
        assertThat(await(client().verifyChainId())).isNull();
        ChainRpcException e = failure(client().verifyChainId());
        assertThat(e.kind()).isEqualTo(Kind.WRONG_CHAIN);
        assertThat(e).hasMessageContaining("serves chain id 1, configured 1001").hasMessageNotContaining("key");
    }

    @Test
    void logsAreMappedNormalisedAndInChainOrder() {
        String topic = "0x" + "ab".repeat(32);
        String logB = "{\"address\":\"0xAA00000000000000000000000000000000000001\",\"topics\":[\"" + topic.toUpperCase().replace("0X", "0x")
                + "\"],\"data\":\"0x\",\"blockNumber\":\"0x5\",\"blockHash\":\"0x" + "05".repeat(32)
                + "\",\"transactionHash\":\"0x" + "0F".repeat(32) + "\",\"logIndex\":\"0x1\",\"removed\":false}";
        String logA = logB.replace("\"logIndex\":\"0x1\"", "\"logIndex\":\"0x0\"");
        node.then(result("[" + logB + "," + logA + "]"));
        List<ChainLog> logs = await(client().logs(LogFilter.of(Address.fromHex("0xaa00000000000000000000000000000000000001"), List.of(topic), 5, 5)));
        assertThat(logs).extracting(ChainLog::logIndex).containsExactly(0L, 1L);
        assertThat(logs.get(0).address()).isEqualTo(Address.fromHex("0xaa00000000000000000000000000000000000001"));
        assertThat(logs.get(0).topics()).containsExactly(topic);
        assertThat(logs.get(0).txHash()).isEqualTo(TxHash.fromHex("0x" + "0f".repeat(32)));
        assertThat(node.requests.get(0)).contains("\"fromBlock\":\"0x5\"").contains("\"topics\":[[\"" + topic + "\"]]");
    }

    @Test
    void tooLargeLogRangesAreReportedForThePlanner() {
        node.always(error(-32005, "query returned more than 10000 results"));
        ChainRpcException e = failure(client().logs(LogFilter.of(Address.fromHex("0xaa00000000000000000000000000000000000001"), List.of(), 0, 99_999)));
        assertThat(e.kind()).isEqualTo(Kind.RANGE_TOO_LARGE);
        assertThat(e).hasMessageContaining("eth_getLogs blocks 0..99999");
        assertThat(node.requests).hasSize(1);
    }

    @Test
    void invalidArgumentsFailWithoutARequest() {
        // an inverted block range cannot even be expressed: the filter refuses it before any client sees it
        assertThatThrownBy(() -> LogFilter.of(Address.fromHex("0xaa00000000000000000000000000000000000001"), List.of(), 10, 9))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("10..9");
        assertThat(failure(client().feeHistory(0, List.of())).kind()).isEqualTo(Kind.INVALID_REQUEST);
        assertThat(node.requests).isEmpty();
    }

    @Test
    void receiptsAreMapped() {
        String tx = "0x" + "01".repeat(32);
        node.then(result("{\"transactionHash\":\"" + tx + "\",\"blockHash\":\"0x" + "02".repeat(32) + "\",\"blockNumber\":\"0x7\",\"gasUsed\":\"0x5208\","
                + "\"effectiveGasPrice\":\"0x3b9aca00\",\"status\":\"0x0\",\"logs\":[]}"));
        TxReceipt receipt = await(client().receipt(TxHash.fromHex(tx))).orElseThrow();
        assertThat(receipt.status()).isEqualTo(TxReceipt.Status.REVERTED);
        assertThat(receipt.blockNumber()).isEqualTo(7);
        assertThat(receipt.feePaid()).hasValue(BigInteger.valueOf(21_000L * 1_000_000_000L));
        node.then(result("null"));
        assertThat(await(client().receipt(TxHash.fromHex(tx)))).isEqualTo(Optional.empty());
    }

    @Test
    void theGasPriceIsTheNodesAnswerInWeiAndIsRetriedLikeAnyRead() {
        node.then(error(-32000, "header not found")).then(result("\"0x4a817c800\""));
        assertThat(await(client().gasPrice())).isEqualTo(BigInteger.valueOf(20_000_000_000L));
        assertThat(node.requests).hasSize(2).allSatisfy(request -> assertThat(request).contains("\"method\":\"eth_gasPrice\""));
        assertThat(observed).containsExactly("testnet scripted eth_gasPrice transient", "testnet scripted eth_gasPrice ok");
    }

    @Test
    void callsBeyondTheBoundAndQueueAreRefusedAtOnce() throws Exception {
        settings = settings.withLimits(1, 1);
        CountDownLatch release = new CountDownLatch(1);
        node.always(request -> {
            awaitQuietly(release);
            return "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"0x1\"}";
        });
        CompletableFuture<BigInteger> first = client().balance(Address.fromHex("0x00000000000000000000000000000000000000aa")).toCompletableFuture();
        CompletableFuture<BigInteger> queued = client().balance(Address.fromHex("0x00000000000000000000000000000000000000aa")).toCompletableFuture();
        CompletableFuture<BigInteger> refused = client().balance(Address.fromHex("0x00000000000000000000000000000000000000aa")).toCompletableFuture();

        assertThat(refused).isCompletedExceptionally();
        ChainRpcException e = failure(refused);
        assertThat(e.kind()).isEqualTo(Kind.OVERLOADED);
        assertThat(e.attempts()).isZero();
        assertThat(observed).contains("testnet none eth_getBalance overloaded");
        assertThat(client().callsInFlight()).isEqualTo(1);

        release.countDown();
        assertThat(first.get(10, TimeUnit.SECONDS)).isEqualTo(BigInteger.ONE);
        assertThat(queued.get(10, TimeUnit.SECONDS)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void aSlowNodeTimesOutPerAttempt() {
        settings = settings.withTimeout(Duration.ofMillis(100)).withBackoff(BACKOFF.withMaxAttempts(2));
        CountDownLatch never = new CountDownLatch(1);
        node.always(request -> {
            awaitQuietly(never);
            return "{}";
        });
        ChainRpcException e = failure(client().maxPriorityFeePerGas());
        assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
        assertThat(e.attempts()).isEqualTo(2);
        never.countDown();
    }

    @Test
    void aThrowingObserverDoesNotBreakCalls() {
        settings = settings.withObserver((chain, endpoint, method, outcome, nanos) -> {
            throw new IllegalStateException("metrics down");
        });
        node.then(result("\"0x2\""));
        assertThat(await(client().nonce(Address.fromHex("0x00000000000000000000000000000000000000aa"), true))).isEqualTo(2L);
        assertThat(node.requests.get(0)).contains("\"pending\"");
    }

    @Test
    void aClosedClientRefusesCalls() {
        client().close();
        ChainRpcException e = failure(client().head());
        assertThat(e.kind()).isEqualTo(Kind.CLOSED);
        assertThat(node.requests).isEmpty();
    }

    @Test
    void settingsNeverPrintTheUrlPath() {
        assertThat(settings.toString()).contains("http://127.0.0.1:1").doesNotContain("key");
        assertThat(client().toString()).doesNotContain("key");
    }

    @Test
    void unexpectedCompletionExceptionsAreUnwrapped() {
        node.then(fail(new java.io.IOException("reset")));
        settings = settings.withBackoff(Backoff.none());
        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(
                () -> client().head().toCompletableFuture().join());
        assertThat(thrown).isInstanceOf(CompletionException.class).cause().isInstanceOf(ChainRpcException.class);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
