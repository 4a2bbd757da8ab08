package io.courier.relayer.fakes;

import io.courier.chain.BlockHeader;
import io.courier.chain.CallRequest;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.FeeHistory;
import io.courier.chain.LogFilter;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A source chain's endpoint that holds exactly the transfers it was told about ({@link #holds}): their receipts
 * (every transfer of one transaction in one receipt) and their blocks. It answers the reads that confirm a message;
 * anything else is unsupported.
 */
public final class SourceRecords implements ChainClient {

    private final long chainId;
    private final Map<TxHash, List<Transfer>> byTx = new ConcurrentHashMap<>();
    private final Map<Long, BlockHash> blocks = new ConcurrentHashMap<>();

    public SourceRecords(long chainId) {
        this.chainId = chainId;
    }

    /** The chain holds these transfers' transactions, logs and blocks as recorded. */
    public SourceRecords holds(Transfer... transfers) {
        for (Transfer t : transfers) {
            byTx.computeIfAbsent(t.source().txHash(), tx -> new java.util.concurrent.CopyOnWriteArrayList<>()).add(t);
            blocks.put(t.source().blockNumber(), t.source().blockHash());
        }
        return this;
    }

    @Override
    public CompletionStage<Optional<TxReceipt>> receipt(TxHash tx) {
        List<Transfer> in = byTx.get(tx);
        if (in == null || in.isEmpty()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        Transfer first = in.get(0);
        List<ChainLog> logs = new ArrayList<>();
        for (Transfer t : in) {
            logs.add(MessageSentLogs.of(t.message(), t.source().blockNumber(), t.source().blockHash(), tx, t.source().logIndex()));
        }
        return CompletableFuture.completedFuture(Optional.of(new TxReceipt(tx, TxReceipt.Status.SUCCESS,
                first.source().blockNumber(), first.source().blockHash(), BigInteger.valueOf(50_000), null, logs, null,
                Address.fromHex(first.message().sender()))));
    }

    @Override
    public CompletionStage<Optional<BlockHeader>> blockByNumber(long number) {
        BlockHash hash = blocks.get(number);
        return CompletableFuture.completedFuture(hash == null ? Optional.empty()
                : Optional.of(new BlockHeader(number, hash, BlockHash.fromHex("0x" + "00".repeat(32)), 0)));
    }

    @Override public long chainId() { return chainId; }
    @Override public String name() { return "records-" + chainId; }
    @Override public CompletionStage<Void> verifyChainId() { return CompletableFuture.completedFuture(null); }
    @Override public CompletionStage<BlockHeader> head() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<BlockHeader>> blockByTag(String tag) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<List<ChainLog>> logs(LogFilter filter) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<Long>> transactionNonce(TxHash tx) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<String>> transactionInput(TxHash tx) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<Map<TxHash, Address>>> transactionSenders(long number) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<FeeHistory> feeHistory(int blocks, List<Double> percentiles) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> maxPriorityFeePerGas() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> gasPrice() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Long> nonce(Address account, boolean pending) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> balance(Address account) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<String> call(CallRequest request) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> estimateGas(CallRequest request) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<TxHash> sendRawTransaction(String signedHex) { throw new UnsupportedOperationException(); }
    @Override public void close() {}
}
