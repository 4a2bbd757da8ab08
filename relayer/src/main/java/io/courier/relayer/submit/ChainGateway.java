package io.courier.relayer.submit;

import io.courier.chain.CallRequest;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.GatewayCalldata;
import io.courier.chain.GatewayEvents;
import io.courier.chain.LogFilter;
import io.courier.chain.message.Address;
import io.courier.chain.message.CrossChainMessage;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

/** {@link DestinationGateway} over the destination's {@link ChainClient}, calling from the submitter's signer. */
final class ChainGateway implements DestinationGateway {

    private static final String HANDLER_GAS_LIMIT_CALL = FunctionEncoder.encode(new Function("handlerGasLimit", List.of(), List.of()));
    private static final String VALIDATOR_SET_CALL = FunctionEncoder.encode(new Function("validatorSet", List.of(), List.of()));
    // where an execution by someone else is looked for: the last LOOKBACK_WINDOWS x LOOKBACK_BLOCKS blocks
    private static final int LOOKBACK_WINDOWS = 10;
    private static final long LOOKBACK_BLOCKS = 2_000;

    private final ChainClient client;
    private final Address gateway;
    private final Address signer;

    ChainGateway(ChainClient client, Address gateway, Address signer) {
        this.client = client;
        this.gateway = gateway;
        this.signer = signer;
    }

    @Override
    public Address address() {
        return gateway;
    }

    @Override
    public CompletionStage<Long> handlerGasLimit() {
        return read(HANDLER_GAS_LIMIT_CALL).thenApply(hex -> Numeric.toBigInt(hex).longValueExact());
    }

    @Override
    public CompletionStage<GatewayCalldata.ValidatorSet> validatorSet() {
        return read(VALIDATOR_SET_CALL).thenApply(ChainGateway::validatorSet);
    }

    /** {@code validatorSet()}'s answer: ABI {@code bytes} holding the packed set ({@link GatewayCalldata.ValidatorSet#fromPacked}). */
    static GatewayCalldata.ValidatorSet validatorSet(String abiHex) {
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<Type> out = FunctionReturnDecoder.decode(abiHex, Utils.convert(List.of(new TypeReference<DynamicBytes>() {})));
        return GatewayCalldata.ValidatorSet.fromPacked(((DynamicBytes) out.get(0)).getValue());
    }

    @Override
    public CompletionStage<Status> status(CrossChainMessage m) {
        // the gateway keeps replay state per source route and nonce (ADR 008): asked by the message's fields
        String call = FunctionEncoder.encode(new Function("messageStatus", List.of(new Uint256(m.srcChainId()),
                new org.web3j.abi.datatypes.Address(m.srcGateway()), new Uint64(m.nonce()), new Bytes32(m.id().bytes())), List.of()));
        return read(call).thenApply(hex -> Status.of(Numeric.toBigInt(hex).intValueExact()));
    }

    @Override
    public CompletionStage<Execution> execution(CrossChainMessage m) {
        return status(m).thenCompose(status -> status == Status.NONE
                ? CompletableFuture.completedFuture(new Execution.NotExecuted())
                : client.head().thenCompose(head -> findExecution(m, head.number(), 0)).thenCompose(log -> log.isEmpty()
                        ? CompletableFuture.completedFuture(new Execution.OutOfSight(LOOKBACK_WINDOWS * LOOKBACK_BLOCKS))
                        : client.transactionNonce(log.get().txHash()).thenApply(nonce -> nonce.isPresent()
                                ? new Execution.By(log.get().txHash(), nonce.get())
                                : new Execution.Unidentified(log.get().txHash()))));
    }

    /** The latest execution of {@code m} within the lookback, searched back window by window from {@code to}. */
    private CompletionStage<Optional<ChainLog>> findExecution(CrossChainMessage m, long to, int window) {
        if (window >= LOOKBACK_WINDOWS || to < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long from = Math.max(0, to - LOOKBACK_BLOCKS + 1);
        CompletionStage<List<ChainLog>> own = client.logs(LogFilter.of(gateway, List.of(GatewayEvents.MESSAGE_EXECUTED_TOPIC,
                GatewayEvents.MESSAGE_DELIVERED_TOPIC), from, to).withTopic1(m.id().toHex()));
        CompletionStage<List<ChainLog>> checkpoints = client.logs(LogFilter.of(gateway,
                        List.of(GatewayEvents.CHECKPOINT_EXECUTED_TOPIC), from, to).withTopic1(GatewayEvents.uintTopic(m.srcChainId())))
                .thenApply(logs -> logs.stream().filter(l -> GatewayEvents.checkpointCovers(l, gateway, m)).toList());
        return own.thenCombine(checkpoints, (a, b) -> {
                    List<ChainLog> all = new ArrayList<>(a);
                    all.addAll(b);
                    all.sort(Comparator.comparingLong(ChainLog::blockNumber));
                    return all;
                })
                .thenCompose(logs -> logs.isEmpty() ? findExecution(m, from - 1, window + 1)
                        : CompletableFuture.completedFuture(Optional.of(logs.get(logs.size() - 1))));
    }

    @Override
    public CompletionStage<Preflight> preflight(String calldata, Optional<BigInteger> gasLimit) {
        CallRequest call = CallRequest.to(gateway, calldata).from(signer);
        return client.call(gasLimit.map(call::withGas).orElse(call)).<Preflight>thenApply(ok -> new Preflight.Passes())
                .exceptionallyCompose(e -> unwrap(e) instanceof ChainRpcException rpc && rpc.kind() == ChainRpcException.Kind.REVERTED
                        ? CompletableFuture.completedFuture(new Preflight.Reverts(rpc.revertReason().or(rpc::revertData)
                                .orElse(rpc.getMessage() == null ? rpc.toString() : rpc.getMessage())))
                        : CompletableFuture.failedFuture(unwrap(e)));
    }

    private CompletionStage<String> read(String calldata) {
        return client.call(CallRequest.to(gateway, calldata).from(signer));
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}
