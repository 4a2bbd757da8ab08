package io.courier.chain.web3j;

import io.courier.chain.CallRequest;
import io.courier.chain.LogFilter;
import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;

import io.courier.chain.message.Hex;

import io.courier.chain.RpcFailure;

import io.courier.chain.RpcCall;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.EndpointHealth;
import io.courier.chain.FeeHistory;
import io.courier.chain.RpcObserver;
import io.courier.chain.TxReceipt;

import io.courier.chain.ChainRpcException.Kind;
import java.math.BigInteger;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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

    private static final Logger log = LoggerFactory.getLogger(Web3jChainClient.class);

    private final ChainClientSettings settings;
    private final EndpointSelector endpoints;
    private final RpcInvoker invoker;
    private final ScheduledExecutorService scheduler;
    private Map<String, ChainClient> perEndpoint; // made on first use, closed with this client

    /**
     * @param scheduler runs retry delays; owned by the caller (shared by clients, not shut down by {@link #close()})
     */
    public Web3jChainClient(ChainClientSettings settings, EndpointSelector endpoints, ScheduledExecutorService scheduler) {
        this.settings = Objects.requireNonNull(settings, "settings");
        this.endpoints = Objects.requireNonNull(endpoints, "endpoints");
        this.scheduler = Objects.requireNonNull(scheduler, "scheduler");
        this.invoker = new RpcInvoker(settings, endpoints, scheduler,
                new RpcErrorClassifier(), () -> ThreadLocalRandom.current().nextDouble());
    }

    /**
     * A client of the settings' HTTP endpoints ({@link ChainClientSettings#rpcUrls()}, one or several) through an
     * {@link EndpointPool}, so every chain has {@link #endpointHealth()}. With one URL it retries exactly as the
     * plain {@link SingleEndpoint} did; the differences are that a Retry-After is honoured (waited out within
     * {@link EndpointPoolSettings#maxWait()}, else the call fails {@link Kind#RATE_LIMITED} without resending)
     * and that a request budget applies if one is configured.
     */
    public static Web3jChainClient create(ChainClientSettings settings, ScheduledExecutorService scheduler) {
        return new Web3jChainClient(settings, EndpointPool.http(settings), scheduler);
    }

    @Override
    public long chainId() {
        return settings.chainId();
    }

    @Override
    public String name() {
        return settings.name();
    }

    /**
     * Asks every endpoint (retries included). Fails with {@link Kind#WRONG_CHAIN} when any endpoint serves another
     * chain (the pool then never uses that endpoint), and with the error of the first endpoint when none could be
     * asked. An endpoint that could not be reached while another answered correctly is logged and stays in the
     * pool unverified: this check runs when the node starts, when a missing endpoint is better than a missing chain.
     */
    @Override
    public CompletionStage<Void> verifyChainId() {
        List<RpcEndpoint> all = endpoints.endpoints();
        if (all.size() == 1) {
            return verifyChainIdOf(all.get(0));
        }
        List<CompletableFuture<Throwable>> checks = all.stream()
                .map(endpoint -> verifyChainIdOf(endpoint).handle((ok, error) -> unwrap(error)))
                .toList();
        return CompletableFuture.allOf(checks.toArray(CompletableFuture[]::new)).thenCompose(done -> {
            List<Throwable> errors = checks.stream().map(CompletableFuture::join).toList();
            for (Throwable error : errors) {
                if (error instanceof ChainRpcException rpc && rpc.kind() == Kind.WRONG_CHAIN) {
                    return CompletableFuture.failedFuture(rpc);
                }
            }
            if (errors.stream().allMatch(Objects::nonNull)) {
                return CompletableFuture.failedFuture(errors.get(0));
            }
            for (int i = 0; i < all.size(); i++) {
                if (errors.get(i) != null) {
                    log.warn("chain {}: chain id of endpoint {} not verified: {}", settings.name(), all.get(i).label(),
                            errors.get(i).getMessage());
                }
            }
            return CompletableFuture.completedFuture(null);
        });
    }

    private CompletableFuture<Void> verifyChainIdOf(RpcEndpoint endpoint) {
        return invoker.invoke(RpcCall.of("eth_chainId"), w -> w.ethChainId(), (answered, r) -> {
            if (r.getChainId() == null || r.getChainId().longValueExact() != settings.chainId()) {
                throw new FailureSignal(RpcFailure.of(Kind.WRONG_CHAIN, "endpoint " + answered.label() + " serves chain id "
                        + r.getChainId() + ", configured " + settings.chainId()));
            }
            return null;
        }, endpoint);
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /** Also tells the endpoint selector the head of the endpoint that answered (for stale endpoint demotion). */
    @Override
    public CompletionStage<BlockHeader> head() {
        return invoker.invoke(RpcCall.of("eth_getBlockByNumber"),
                w -> w.ethGetBlockByNumber(DefaultBlockParameterName.LATEST, false),
                (endpoint, r) -> {
                    BlockHeader head = Web3jResponses.header(r)
                            .orElseThrow(() -> new FailureSignal(RpcFailure.of(Kind.NOT_FOUND, "no latest block")));
                    endpoints.reportHead(endpoint, head.number());
                    return head;
                }, null);
    }

    @Override
    public CompletionStage<Optional<BlockHeader>> blockByTag(String tag) {
        DefaultBlockParameterName name;
        try {
            name = DefaultBlockParameterName.fromString(tag);
        } catch (IllegalArgumentException e) {
            return invalid(RpcCall.of("eth_getBlockByNumber"), "unknown block tag '" + tag + "'");
        }
        return invoker.invoke(RpcCall.of("eth_getBlockByNumber"), w -> w.ethGetBlockByNumber(name, false),
                Web3jResponses::header);
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
    public CompletionStage<List<ChainLog>> logs(LogFilter f) {
        RpcCall call = RpcCall.blocks("eth_getLogs", f.fromBlock(), f.toBlock());
        EthFilter filter = new EthFilter(DefaultBlockParameter.valueOf(BigInteger.valueOf(f.fromBlock())),
                DefaultBlockParameter.valueOf(BigInteger.valueOf(f.toBlock())), f.address().toHex());
        if (!f.topic0s().isEmpty()) {
            filter.addOptionalTopics(f.topic0s().toArray(String[]::new)); // one position, any of these values
        } else if (f.topic1().isPresent()) {
            filter.addNullTopic();
        }
        f.topic1().ifPresent(filter::addSingleTopic);
        return invoker.invoke(call, w -> w.ethGetLogs(filter), Web3jResponses::logs);
    }

    @Override
    public CompletionStage<Optional<Long>> transactionNonce(TxHash tx) {
        return invoker.invoke(RpcCall.tx("eth_getTransactionByHash", tx.toHex()), w -> w.ethGetTransactionByHash(tx.toHex()),
                r -> r.getTransaction().map(t -> t.getNonce().longValueExact()));
    }

    @Override
    public CompletionStage<Optional<String>> transactionInput(TxHash tx) {
        return invoker.invoke(RpcCall.tx("eth_getTransactionByHash", tx.toHex()), w -> w.ethGetTransactionByHash(tx.toHex()),
                r -> r.getTransaction().map(t -> t.getInput()));
    }

    @Override
    public CompletionStage<Optional<TxReceipt>> receipt(TxHash tx) {
        return invoker.invoke(RpcCall.tx("eth_getTransactionReceipt", tx.toHex()),
                w -> w.ethGetTransactionReceipt(tx.toHex()),
                r -> r.getTransactionReceipt().map(Web3jResponses::receipt));
    }

    @Override
    public CompletionStage<Optional<Map<TxHash, Address>>> transactionSenders(long number) {
        if (number < 0) {
            return invalid(RpcCall.atBlock("eth_getBlockByNumber", number), "block number must be >= 0");
        }
        return invoker.invoke(RpcCall.atBlock("eth_getBlockByNumber", number),
                w -> w.ethGetBlockByNumber(DefaultBlockParameter.valueOf(BigInteger.valueOf(number)), true),
                Web3jResponses::senders);
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
    public CompletionStage<BigInteger> gasPrice() {
        return invoker.invoke(RpcCall.of("eth_gasPrice"), w -> w.ethGasPrice(), r -> r.getGasPrice());
    }

    @Override
    public CompletionStage<Long> nonce(Address account, boolean pending) {
        DefaultBlockParameterName tag = pending ? DefaultBlockParameterName.PENDING : DefaultBlockParameterName.LATEST;
        return invoker.invoke(RpcCall.of("eth_getTransactionCount"), w -> w.ethGetTransactionCount(account.toHex(), tag),
                r -> r.getTransactionCount().longValueExact());
    }

    @Override
    public CompletionStage<BigInteger> balance(Address account) {
        return invoker.invoke(RpcCall.of("eth_getBalance"),
                w -> w.ethGetBalance(account.toHex(), DefaultBlockParameterName.LATEST), r -> r.getBalance());
    }

    @Override
    public CompletionStage<String> call(CallRequest call) {
        String from = call.from().map(Address::toHex).orElse(null);
        Transaction tx = call.gas().isPresent()
                ? Transaction.createFunctionCallTransaction(from, null, null, call.gas().get(), call.to().toHex(), call.value(), call.data())
                : Transaction.createEthCallTransaction(from, call.to().toHex(), call.data());
        return invoker.invoke(RpcCall.of("eth_call"), w -> w.ethCall(tx, DefaultBlockParameterName.LATEST), Web3jResponses::callResult);
    }

    @Override
    public CompletionStage<BigInteger> estimateGas(CallRequest call) {
        String from = call.from().map(Address::toHex).orElse(null);
        return invoker.invoke(RpcCall.of("eth_estimateGas"),
                w -> w.ethEstimateGas(Transaction.createFunctionCallTransaction(from, null, null, null,
                        call.to().toHex(), call.value(), call.data())),
                r -> r.getAmountUsed());
    }

    @Override
    public CompletionStage<TxHash> sendRawTransaction(String signedHex) {
        // the hash is known before sending, so every error can name the transaction
        String txHash = Hash.sha3(signedHex);
        return invoker.invoke(RpcCall.tx("eth_sendRawTransaction", txHash), w -> w.ethSendRawTransaction(signedHex),
                        r -> Web3jResponses.txHash(r.getTransactionHash() == null ? txHash : r.getTransactionHash()))
                .exceptionallyCompose(error -> confirmAlreadyKnown(txHash, error));
    }

    /**
     * Nodes disagree on how to refuse a transaction they already have: geth says "already known" while it is
     * pooled and "nonce too low" once mined; Ganache says "transaction underpriced" for a pooled duplicate (it
     * sees a replacement without a fee bump). The submitter must not bump fees or resync nonces for its own
     * transaction, so on those two answers one lookup by hash decides: if the node has this very transaction,
     * the kind is {@link Kind#ALREADY_KNOWN}; otherwise the original error stands.
     */
    private CompletionStage<TxHash> confirmAlreadyKnown(String txHash, Throwable error) {
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
    public List<EndpointHealth> endpointHealth() {
        return endpoints.health();
    }

    @Override
    public boolean anyEndpointHealthy() {
        return endpoints.anyHealthy();
    }

    /**
     * One client per endpoint, each pinned to it: no failover and no retry (a quorum read is redundant already, and
     * a retry would only delay the other endpoints' votes), answers still counted in the pool's health and heads.
     * With one endpoint: this client, retries included.
     */
    @Override
    public synchronized Map<String, ChainClient> perEndpoint() {
        if (perEndpoint == null) {
            List<RpcEndpoint> all = endpoints.endpoints();
            Map<String, ChainClient> made = new LinkedHashMap<>();
            if (all.size() == 1) {
                made.put(all.get(0).label(), this);
            } else {
                ChainClientSettings once = settings.withBackoff(settings.backoff().withMaxAttempts(1));
                for (RpcEndpoint endpoint : all) {
                    made.put(endpoint.label(), new Web3jChainClient(once, new PinnedEndpoint(endpoint, endpoints), scheduler));
                }
            }
            perEndpoint = Collections.unmodifiableMap(made);
        }
        return perEndpoint;
    }

    @Override
    public void close() {
        synchronized (this) {
            if (perEndpoint != null) {
                perEndpoint.values().stream().filter(c -> c != this).forEach(ChainClient::close);
            }
        }
        invoker.close();
        endpoints.close();
    }

    @Override
    public String toString() {
        return "Web3jChainClient[" + settings.name() + ", chainId=" + settings.chainId() + ", "
                + endpoints.endpoints().stream().map(RpcEndpoint::label).collect(Collectors.joining(" ")) + "]";
    }
}
