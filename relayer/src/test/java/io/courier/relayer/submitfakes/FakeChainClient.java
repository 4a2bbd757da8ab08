package io.courier.relayer.submitfakes;

import io.courier.chain.LogFilter;

import io.courier.chain.CallRequest;

import io.courier.chain.message.Address;

import io.courier.chain.message.BlockHash;

import io.courier.chain.message.TxHash;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.FeeHistory;
import io.courier.chain.GatewayEvents;
import io.courier.chain.RpcCall;
import io.courier.chain.RpcFailure;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.MessageId;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

/**
 * A destination chain as the submitter sees it: scripted nonces, receipts and broadcast results, every call
 * recorded. A script may return a future the test completes later ("controllable futures").
 */
public final class FakeChainClient implements ChainClient {

    public static final String HANDLER_GAS_LIMIT_SELECTOR = FunctionEncoder.encode(
            new org.web3j.abi.datatypes.Function("handlerGasLimit", List.of(), List.of()));
    /** {@code messageStatus(uint256 srcChainId, address srcGateway, uint64 nonce, bytes32 id)}. */
    private static final String VALIDATOR_SET_SELECTOR = FunctionEncoder.encode(
            new org.web3j.abi.datatypes.Function("validatorSet", List.of(), List.of()));
    private static final String MESSAGE_STATUS_SELECTOR = FunctionEncoder.encode(new org.web3j.abi.datatypes.Function(
            "messageStatus", List.of(new org.web3j.abi.datatypes.generated.Uint256(0), org.web3j.abi.datatypes.Address.DEFAULT,
                    new Uint64(0), new org.web3j.abi.datatypes.generated.Bytes32(new byte[32])), List.of())).substring(0, 10);

    private final long chainId;
    public final AtomicLong minedNonce = new AtomicLong();
    public final AtomicLong pendingNonce = new AtomicLong();
    public final AtomicLong head = new AtomicLong(100);
    /** The head block's gas limit; empty: the node does not say. */
    public volatile java.util.OptionalLong blockGasLimit = java.util.OptionalLong.empty();
    /** Raw transactions handed to {@link #sendRawTransaction}, in order. */
    public final List<String> sent = new CopyOnWriteArrayList<>();
    /** Transaction hashes asked for a receipt, in order. */
    public final List<TxHash> receiptCalls = new CopyOnWriteArrayList<>();
    /** Pre-flight {@code eth_call}s of execute calldata, in order. */
    public final List<String> preflights = new CopyOnWriteArrayList<>();
    public final Map<TxHash, TxReceipt> receipts = new ConcurrentHashMap<>();
    public volatile Function<String, CompletionStage<TxHash>> onSend = raw -> CompletableFuture.completedFuture(TxHash.fromHex(Hash.sha3(raw)));
    public volatile Function<TxHash, CompletionStage<Optional<TxReceipt>>> onReceipt =
            hash -> CompletableFuture.completedFuture(Optional.ofNullable(receipts.get(hash)));
    public volatile Function<String, CompletionStage<String>> onPreflight = data -> CompletableFuture.completedFuture("0x");
    public volatile Function<String, CompletionStage<Long>> onNonce = null;
    /** {@code eth_estimateGas} calls (a batch's pre-flight), their calldata in order. */
    public final List<String> estimates = new CopyOnWriteArrayList<>();
    public volatile Function<String, CompletionStage<BigInteger>> onEstimate = data -> CompletableFuture.completedFuture(BigInteger.valueOf(150_000));
    /** What the gateway answers to {@code validatorSet()}: the test validators, threshold 2 (as {@link Transfers#keys}). */
    public volatile io.courier.chain.GatewayCalldata.ValidatorSet validatorSet =
            new io.courier.chain.GatewayCalldata.ValidatorSet(2, Transfers.validatorSet());
    /** What the gateway answers to {@code handlerGasLimit()}. */
    public volatile long handlerGasLimit = 200_000;
    /** What {@code messageStatus} answers for every message: 0 None (never executed by anyone), 1 Delivered, 2 Failed. */
    public volatile int messageStatus = 0;

    public FakeChainClient(long chainId) {
        this.chainId = chainId;
    }

    public static ChainRpcException rpcError(ChainRpcException.Kind kind, String method) {
        return new ChainRpcException("fake", 0, RpcCall.of(method), new RpcFailure(kind, kind.name().toLowerCase(), null, null), 1, null);
    }

    /** A successful execute of {@code id} by the gateway in {@code block}: what makes a transfer DELIVERED. */
    public static TxReceipt delivered(TxHash txHash, MessageId id, Address gateway, long block) {
        String data = "0x" + FunctionEncoder.encodeConstructor(List.of(new Uint64(1), new Bool(true), new DynamicBytes(new byte[0])));
        ChainLog executed = new ChainLog(gateway, List.of(GatewayEvents.MESSAGE_EXECUTED_TOPIC, id.toHex(),
                Numeric.toHexStringWithPrefixZeroPadded(BigInteger.ONE, 64)), data, block, BlockHash.fromHex("0x" + "ee".repeat(32)), txHash, 0, false);
        return new TxReceipt(txHash, TxReceipt.Status.SUCCESS, block, BlockHash.fromHex("0x" + "ee".repeat(32)), BigInteger.valueOf(90_000),
                BigInteger.ONE, List.of(executed), null, null);
    }

    /** The hashes of the transactions broadcast, in order. */
    public List<TxHash> sentHashes() {
        return sent.stream().map(raw -> TxHash.fromHex(Hash.sha3(raw))).toList();
    }

    @Override
    public long chainId() {
        return chainId;
    }

    @Override
    public String name() {
        return "fake-" + chainId;
    }

    @Override
    public CompletionStage<Void> verifyChainId() {
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<BlockHeader> head() {
        long n = head.get();
        return CompletableFuture.completedFuture(new BlockHeader(n, BlockHash.fromHex(hash(n)), BlockHash.fromHex(hash(n - 1)),
                1_700_000_000L + n, blockGasLimit));
    }

    private static String hash(long n) {
        return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(Math.max(0, n)), 64);
    }

    @Override
    public CompletionStage<Optional<BlockHeader>> blockByNumber(long number) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<BlockHeader>> blockByTag(String tag) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<List<ChainLog>> logs(LogFilter filter) {
        return CompletableFuture.completedFuture(List.of());
    }

    @Override
    public CompletionStage<Optional<Long>> transactionNonce(TxHash txHash) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<String>> transactionInput(TxHash txHash) {
        return CompletableFuture.completedFuture(Optional.empty());
    }

    @Override
    public CompletionStage<Optional<Map<TxHash, Address>>> transactionSenders(long number) {
        throw new UnsupportedOperationException("the submitter reads no block's senders");
    }

    @Override
    public CompletionStage<Optional<TxReceipt>> receipt(TxHash txHash) {
        receiptCalls.add(txHash);
        return onReceipt.apply(txHash);
    }

    /** What {@link #gasPrice()} answers: base fee + tip of the fee history below. */
    public static final BigInteger GAS_PRICE = BigInteger.TWO.multiply(BigInteger.TEN.pow(9));
    /** What {@code eth_getBalance} answers for the signer (100 ether). */
    public volatile BigInteger balanceWei = BigInteger.TEN.pow(20);
    public final java.util.concurrent.atomic.AtomicInteger balanceCalls = new java.util.concurrent.atomic.AtomicInteger();
    /** The priority fee the fee history shows (1 gwei); a test raises it to make a transaction in flight underpriced. */
    public volatile BigInteger marketTip = BigInteger.TEN.pow(9);
    /** Set: {@code eth_feeHistory} fails with it (a node before London has no such method). */
    public volatile Throwable feeHistoryError;
    public final java.util.concurrent.atomic.AtomicInteger feeHistoryCalls = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletionStage<FeeHistory> feeHistory(int blocks, List<Double> percentiles) {
        feeHistoryCalls.incrementAndGet();
        if (feeHistoryError != null) {
            return CompletableFuture.failedFuture(feeHistoryError);
        }
        BigInteger gwei = BigInteger.TEN.pow(9);
        return CompletableFuture.completedFuture(new FeeHistory(100, List.of(gwei, gwei), List.of(0.5), List.of(List.of(marketTip))));
    }

    @Override
    public CompletionStage<BigInteger> maxPriorityFeePerGas() {
        return CompletableFuture.completedFuture(BigInteger.TEN.pow(9));
    }

    /** Base fee + tip of the fee history above: what a node would suggest. */
    @Override
    public CompletionStage<BigInteger> gasPrice() {
        return CompletableFuture.completedFuture(GAS_PRICE);
    }

    @Override
    public CompletionStage<Long> nonce(Address account, boolean pending) {
        if (onNonce != null) {
            return onNonce.apply(pending ? "pending" : "latest");
        }
        return CompletableFuture.completedFuture(pending ? Math.max(pendingNonce.get(), minedNonce.get()) : minedNonce.get());
    }

    @Override
    public CompletionStage<BigInteger> balance(Address account) {
        balanceCalls.incrementAndGet();
        return CompletableFuture.completedFuture(balanceWei);
    }

    @Override
    public CompletionStage<String> call(CallRequest request) {
        String data = request.data();
        if (data.equalsIgnoreCase(HANDLER_GAS_LIMIT_SELECTOR)) {
            return CompletableFuture.completedFuture(Numeric.toHexStringWithPrefix(BigInteger.valueOf(handlerGasLimit)));
        }
        if (data.toLowerCase().startsWith(MESSAGE_STATUS_SELECTOR)) {
            return CompletableFuture.completedFuture(Numeric.toHexStringWithPrefix(BigInteger.valueOf(messageStatus)));
        }
        if (data.equalsIgnoreCase(VALIDATOR_SET_SELECTOR)) {
            return CompletableFuture.completedFuture(FunctionEncoder.encodeConstructor(List.of(new DynamicBytes(validatorSet.packed()))));
        }
        preflights.add(data);
        return onPreflight.apply(data);
    }

    @Override
    public CompletionStage<BigInteger> estimateGas(CallRequest request) {
        estimates.add(request.data());
        return onEstimate.apply(request.data());
    }

    @Override
    public CompletionStage<TxHash> sendRawTransaction(String signedHex) {
        sent.add(signedHex);
        return onSend.apply(signedHex);
    }

    @Override
    public void close() {}
}
