package io.courier.chain;

import io.courier.chain.ChainRpcException.Kind;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import org.web3j.crypto.Hash;
import org.web3j.protocol.core.DefaultBlockParameter;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.EthFilter;
import org.web3j.protocol.core.methods.request.Transaction;

/**
 * {@link ChainClient} over web3j's {@code sendAsync}, with a bound on calls in flight, a timeout per request,
 * bounded retries of transient failures (see {@link RpcErrorClassifier}) and an {@link RpcObserver}.
 */
public final class Web3jChainClient implements ChainClient {

    private final ChainClientSettings settings;
    private final EndpointSelector endpoints;
    private final RpcInvoker invoker;

    /**
     * @param scheduler runs retry delays; owned by the caller (shared by clients, not shut down by {@link #close()})
     */
    public Web3jChainClient(ChainClientSettings settings, EndpointSelector endpoints, ScheduledExecutorService scheduler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.invoker = new RpcInvoker(settings, endpoints, Objects.requireNonNull(scheduler, "scheduler"),
                new RpcErrorClassifier(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /** A client of the settings' single HTTP endpoint. */
    public static Web3jChainClient create(ChainClientSettings settings, ScheduledExecutorService scheduler) {
        return new Web3jChainClient(settings, SingleEndpoint.http(settings.rpcUrl(), settings.timeout()), scheduler);
    }

    @Override
    public long chainId() {
        return settings.chainId();
    }

    @Override
    public String name() {
        return settings.name();
    }

    @Override
    public CompletionStage<Void> verifyChainId() {
        return invoker.invoke(RpcCall.of("eth_chainId"), w -> w.ethChainId(), r -> {
            if (r.getChainId() == null || r.getChainId().longValueExact() != settings.chainId()) {
                throw RpcFailure.of(Kind.WRONG_CHAIN, "endpoint " + settings.endpointLabel() + " serves chain id "
                        + r.getChainId() + ", configured " + settings.chainId()).signal();
            }
            return null;
        });
    }

    @Override
    public CompletionStage<BlockHeader> head() {
        return invoker.invoke(RpcCall.of("eth_getBlockByNumber"),
                w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                r -> Web3jResponses.header(r).orElseThrow(() -> RpcFailure.of(Kind.NOT_FOUND, "no latest block").signal()));
    }

    @Override
    public CompletionStage<Optional<BlockHeader>> blockByNumber(long number) {
        if (number < 0) {
            return invalid(RpcCall.atBlock("eth_getBlockByNumber", number), "block number must be >= 0");
        }
        return invoker.invoke(RpcCall.atBlock("eth_getBlockByNumber", number),
                w -> w.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), false),
                Web3jResponses::header);
    }

    @Override
    public CompletionStage<List<ChainLog>> logs(String address, List<String> topic0s, long fromBlock, long toBlock) {
        RpcCall call = RpcCall.blocks("eth_getLogs", fromBlock, toBlock);
        if (address == null || fromBlock < 0 || toBlock < fromBlock) {
            return invalid(call, "need an address and 0 <= fromBlock <= toBlock");
        }
        return invoker.invoke(call, w -> w.ethGetLogs(filter(address, topic0s, fromBlock, toBlock)), Web3jResponses::logs);
    }

    private static EthFilter filter(String address, List<String> topic0s, long fromBlock, long toBlock) {
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(fromBlock)),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(toBlock)), address);
        if (!topic0s.isEmpty()) {
            filter.addOptionalTopics(topic0s.toArray(String[]::new)); // one position, any of these values
        }
        return filter;
    }

    @Override
    public CompletionStage<Optional<TxReceipt>> receipt(String txHash) {
        return invoker.invoke(RpcCall.tx("eth_getTransactionReceipt", txHash),
                w -> w.ethGetTransactionReceipt(txHash),
                r -> r.getTransactionReceipt().map(Web3jResponses::receipt));
    }

    @Override
    public CompletionStage<FeeHistory> feeHistory(int blocks, List<Double> percentiles) {
        if (blocks < 1) {
            return invalid(RpcCall.of("eth_feeHistory"), "blocks must be >= 1");
        }
        return invoker.invoke(RpcCall.of("eth_feeHistory"),
                w -> w.ethFeeHistory(blocks, DefaultBlockParameterName.LATEST, percentiles),
                Web3jResponses::feeHistory);
    }

    @Override
    public CompletionStage<BigInteger> maxPriorityFeePerGas() {
        return invoker.invoke(RpcCall.of("eth_maxPriorityFeePerGas"), w -> w.ethMaxPriorityFeePerGas(),
                r -> r.getMaxPriorityFeePerGas());
    }

    @Override
    public CompletionStage<Long> nonce(String address, boolean pending) {
        DefaultBlockParameterName tag = pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST;
        return invoker.invoke(RpcCall.of("eth_getTransactionCount"), w -> w.ethGetTransactionCount(address, tag),
                r -> r.getTransactionCount().longValueExact());
    }

    @Override
    public CompletionStage<BigInteger> balance(String address) {
        return invoker.invoke(RpcCall.of("eth_getBalance"),
                w -> w.ethGetBalance(address, DefaultBlockParameterName.LATEST), r -> r.getBalance());
    }

    @Override
    public CompletionStage<String> call(String to, String data, String from) {
        return invoker.invoke(RpcCall.of("eth_call"),
                w -> w.ethCall(Transaction.createEthCallTransaction(from, to, data), DefaultBlockParameterName.LATEST),
                Web3jResponses::callResult);
    }

    @Override
    public CompletionStage<BigInteger> estimateGas(String from, String to, String data, BigInteger value) {
        return invoker.invoke(RpcCall.of("eth_estimateGas"),
                w -> w.ethEstimateGas(Transaction.createFunctionCallTransaction(from, null, null, null, to, value, data)),
                r -> r.getAmountUsed());
    }

    @Override
    public CompletionStage<String> sendRawTransaction(String signedHex) {
        // the hash is known before sending, so every error can name the transaction
        String txHash = Hash.sha3(signedHex);
        return invoker.invoke(RpcCall.tx("eth_sendRawTransaction", txHash), w -> w.ethSendRawTransaction(signedHex),
                        r -> r.getTransactionHash() == null ? txHash : Hex.normalize(r.getTransactionHash()))
                .exceptionallyCompose(error -> confirmAlreadyKnown(txHash, error));
    }

    /**
     * Nodes disagree on how to refuse a transaction they already have: geth says "already known" while it is
     * pooled and "nonce too low" once mined; Ganache says "transaction underpriced" for a pooled duplicate (it
     * sees a replacement without a fee bump). The submitter must not bump fees or resync nonces for its own
     * transaction, so on those two answers one lookup by hash decides: if the node has this very transaction,
     * the kind is {@link Kind#ALREADY_KNOWN}; otherwise the original error stands.
     */
    private CompletionStage<String> confirmAlreadyKnown(String txHash, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (!(cause instanceof ChainRpcException rpc) || (rpc.kind() != Kind.UNDERPRICED && rpc.kind() != Kind.NONCE_TOO_LOW)) {
            return CompletableFuture.failedFuture(cause);
        }
        return invoker.invoke(RpcCall.tx("eth_getTransactionByHash", txHash), w -> w.ethGetTransactionByHash(txHash),
                        r -> r.getTransaction().isPresent())
                .handle((known, lookupError) -> {
                    if (Boolean.TRUE.equals(known)) {
                        RpcFailure alreadyKnown = new RpcFailure(Kind.ALREADY_KNOWN, "the node already has this transaction"
                                + " (it answered " + rpc.kind() + ")", rpc.rpcCode().orElse(null), null);
                        throw new ChainRpcException(settings.name(), settings.chainId(), rpc.call(), alreadyKnown,
                                rpc.attempts(), rpc);
                    }
                    throw rpc; // unknown to the node, or the lookup failed: the original answer stands
                });
    }

    private <T> CompletionStage<T> invalid(RpcCall call, String detail) {
        return CompletableFuture.failedFuture(new ChainRpcException(settings.name(), settings.chainId(), call,
                RpcFailure.of(Kind.INVALID_REQUEST, detail), 0, null));
    }

    /** Calls holding a slot of the in-flight bound right now. */
    public int callsInFlight() {
        return invoker.inFlight();
    }

    @Override
    public void close() {
        invoker.close();
        endpoints.close();
    }

    @Override
    public String toString() {
        return "Web3jChainClient[" + settings.name() + ", chainId=" + settings.chainId() + ", " + settings.endpointLabel() + "]";
    }
}
