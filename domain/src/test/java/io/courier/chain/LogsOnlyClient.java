package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;


import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * A {@link ChainClient} double for log scanning: one log per block, and a node that refuses queries spanning
 * more than {@code maxSpan} blocks, as providers do. Answers are already complete, like a cache would give.
 */
final class LogsOnlyClient implements ChainClient {

    static final Address ADDRESS = Address.fromHex("0x00000000000000000000000000000000000000aa");

    private final long maxSpan;
    final List<BlockRange> queries = new ArrayList<>();
    Function<BlockRange, ChainRpcException> failure = range -> null;

    LogsOnlyClient(long maxSpan) {
        this.maxSpan = maxSpan;
    }

    static ChainLog logAt(long block) {
        String hash = String.format("0x%064x", block);
        return new ChainLog(ADDRESS, List.of(hash), "0x", block, BlockHash.fromHex(hash), TxHash.fromHex(hash), 0, false);
    }

    static ChainRpcException error(ChainRpcException.Kind kind, BlockRange range) {
        return new ChainRpcException("test", 1, RpcCall.blocks("eth_getLogs", range.from(), range.to()),
                RpcFailure.of(kind, "refused"), 1, null);
    }

    @Override
    public CompletionStage<List<ChainLog>> logs(LogFilter filter) {
        long fromBlock = filter.fromBlock();
        long toBlock = filter.toBlock();
        BlockRange range = new BlockRange(fromBlock, toBlock);
        queries.add(range);
        ChainRpcException injected = failure.apply(range);
        if (injected != null) {
            return CompletableFuture.failedFuture(injected);
        }
        if (range.size() > maxSpan) {
            return CompletableFuture.failedFuture(error(ChainRpcException.Kind.RANGE_TOO_LARGE, range));
        }
        List<ChainLog> logs = new ArrayList<>();
        for (long b = fromBlock; b <= toBlock; b++) {
            logs.add(logAt(b));
        }
        return CompletableFuture.completedFuture(logs);
    }

    @Override public long chainId() { return 1; }
    @Override public String name() { return "test"; }
    @Override public CompletionStage<Void> verifyChainId() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BlockHeader> head() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<BlockHeader>> blockByNumber(long number) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<BlockHeader>> blockByTag(String tag) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<TxReceipt>> receipt(TxHash tx) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<FeeHistory> feeHistory(int blocks, List<Double> percentiles) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> maxPriorityFeePerGas() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> gasPrice() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Long> nonce(Address account, boolean pending) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<Long>> transactionNonce(TxHash tx) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<String>> transactionInput(TxHash tx) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<Map<TxHash, Address>>> transactionSenders(long number) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> balance(Address account) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<String> call(CallRequest call) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> estimateGas(CallRequest call) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<TxHash> sendRawTransaction(String signedHex) { throw new UnsupportedOperationException(); }
    @Override public void close() { }
}
