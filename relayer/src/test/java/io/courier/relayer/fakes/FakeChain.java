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
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A scripted chain for actor tests: blocks 0..head with hashes named after their branch, {@code MessageSent} logs
 * placed in blocks by the test, receipts for them, and a reorg that replaces every block from a height up. Records
 * the calls the watcher makes; {@link #script} holds or fails a call.
 */
public final class FakeChain implements ChainClient {

    public static final String GATEWAY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    public static final String SENDER = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    public static final String RECIPIENT = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    /** The account that signs every transaction of this chain (not the message's sender: a bridge contract sends). */
    public static final String SIGNER = "0x9965507d1a55bcc2695c58ba16fb37d819b0a4dc";

    public record LogQuery(long from, long to) {}

    public final Interventions script = new Interventions();
    public final List<Long> blockFetches = new CopyOnWriteArrayList<>();
    public final List<LogQuery> logQueries = new CopyOnWriteArrayList<>();
    /** Transactions asked for a receipt, in order. */
    public final List<TxHash> receiptReads = new CopyOnWriteArrayList<>();
    /** Blocks asked for their transactions' senders, in order. */
    public final List<Long> senderReads = new CopyOnWriteArrayList<>();

    private final long chainId;
    private final long dstChainId;
    private final List<BlockHeader> blocks = new ArrayList<>();
    private final Map<Long, List<ChainLog>> logsByBlock = new ConcurrentHashMap<>();
    private final Map<TxHash, TxReceipt> receipts = new ConcurrentHashMap<>();
    private int branch;

    public FakeChain(long chainId, long dstChainId, long head) {
        this.chainId = chainId;
        this.dstChainId = dstChainId;
        blocks.add(new BlockHeader(0, BlockHash.fromHex(hash(0, 0)), BlockHash.fromHex("0x" + "0".repeat(64)), 1_700_000_000L));
        mine(head);
    }

    /** Mines blocks up to {@code head}. */
    public synchronized void mine(long head) {
        while (blocks.size() <= head) {
            BlockHeader parent = blocks.get(blocks.size() - 1);
            long n = parent.number() + 1;
            blocks.add(new BlockHeader(n, BlockHash.fromHex(hash(n, branch)), parent.hash(), parent.timestamp() + 12));
        }
    }

    /** Replaces block {@code from} and everything above it with a new branch up to {@code newHead}; their logs go. */
    public synchronized void reorg(long from, long newHead) {
        reorg(from, newHead, false);
    }

    /**
     * As {@link #reorg(long, long)}, but the node keeps answering the old receipts, which still name the orphaned
     * blocks (Ganache does this after {@code evm_revert}; a lagging or lying endpoint can too).
     */
    public synchronized void reorgKeepingStaleReceipts(long from, long newHead) {
        reorg(from, newHead, true);
    }

    private void reorg(long from, long newHead, boolean keepReceipts) {
        branch++;
        while (blocks.size() > from) {
            BlockHeader gone = blocks.remove(blocks.size() - 1);
            List<ChainLog> logs = logsByBlock.remove(gone.number());
            if (logs != null && !keepReceipts) {
                logs.forEach(l -> receipts.remove(l.txHash()));
            }
        }
        mine(newHead);
    }

    public synchronized BlockHeader block(long number) {
        return blocks.get((int) number);
    }

    public synchronized long height() {
        return blocks.size() - 1;
    }

    /** Puts a valid {@code MessageSent} log with {@code nonce} in block {@code number} (in its own transaction). */
    public synchronized MessageId send(long number, long nonce) {
        return send(number, nonce, -1);
    }

    /** As {@link #send(long, long)}, with the log index an endpoint claims ({@code -1}: its real position). */
    public synchronized MessageId send(long number, long nonce, long claimedLogIndex) {
        CrossChainMessage m = new CrossChainMessage(chainId, GATEWAY, nonce, dstChainId, SENDER, RECIPIENT,
                ("payload " + nonce).getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        BlockHeader b = block(number);
        TxHash tx = TxHash.fromHex(String.format("0x%056x%08x", nonce, branch));
        List<ChainLog> inBlock = logsByBlock.computeIfAbsent(number, n -> new CopyOnWriteArrayList<>());
        ChainLog log = MessageSentLogs.of(m, number, b.hash(), tx, claimedLogIndex < 0 ? inBlock.size() : claimedLogIndex);
        inBlock.add(log);
        receipts.put(tx, new TxReceipt(tx, TxReceipt.Status.SUCCESS, number, b.hash(), BigInteger.valueOf(50_000), null,
                List.of(log), null, Address.fromHex(SIGNER)));
        return m.id();
    }

    /** Puts a {@code GasPaid(id, amount)} log of the gateway in block {@code number}, in a transaction of its own. */
    public synchronized TxHash payForGas(long number, MessageId id, java.math.BigInteger amount) {
        BlockHeader b = block(number);
        List<ChainLog> inBlock = logsByBlock.computeIfAbsent(number, n -> new CopyOnWriteArrayList<>());
        TxHash tx = TxHash.fromHex(String.format("0x%048x%08x%08x", 0xfeedL, number, inBlock.size() + 1000 * branch));
        inBlock.add(new ChainLog(Address.fromHex(GATEWAY), List.of(io.courier.chain.GatewayEvents.GAS_PAID_TOPIC, id.toHex()),
                String.format("0x%064x", amount), number, b.hash(), tx, inBlock.size(), false));
        return tx;
    }

    public long blockFetchesOf(long number) {
        return blockFetches.stream().filter(n -> n == number).count();
    }

    @Override
    public CompletionStage<BlockHeader> head() {
        return script.call("head", () -> CompletableFuture.completedFuture(block(height())));
    }

    @Override
    public CompletionStage<Optional<BlockHeader>> blockByNumber(long number) {
        return script.call("blockByNumber", () -> {
            blockFetches.add(number);
            synchronized (this) {
                return CompletableFuture.completedFuture(number <= height() ? Optional.of(block(number)) : Optional.empty());
            }
        });
    }

    @Override
    public CompletionStage<List<ChainLog>> logs(LogFilter filter) {
        long fromBlock = filter.fromBlock();
        long toBlock = filter.toBlock();
        return script.call("logs", () -> {
            logQueries.add(new LogQuery(fromBlock, toBlock));
            List<ChainLog> found = new ArrayList<>();
            for (long n = fromBlock; n <= toBlock; n++) {
                found.addAll(logsByBlock.getOrDefault(n, List.of()));
            }
            return CompletableFuture.completedFuture(found);
        });
    }

    @Override
    public CompletionStage<Optional<TxReceipt>> receipt(TxHash txHash) {
        receiptReads.add(txHash);
        return CompletableFuture.completedFuture(Optional.ofNullable(receipts.get(txHash)));
    }

    /** The transactions of the block's logs, each signed by {@link #SIGNER} (what their receipts say). */
    @Override
    public CompletionStage<Optional<Map<TxHash, Address>>> transactionSenders(long number) {
        return script.call("transactionSenders", () -> {
            senderReads.add(number);
            synchronized (this) {
                if (number > height()) {
                    return CompletableFuture.completedFuture(Optional.empty());
                }
                Map<TxHash, Address> senders = new java.util.HashMap<>();
                logsByBlock.getOrDefault(number, List.of()).forEach(l -> senders.put(l.txHash(), Address.fromHex(SIGNER)));
                return CompletableFuture.completedFuture(Optional.of(senders));
            }
        });
    }

    @Override public long chainId() { return chainId; }
    @Override public String name() { return "fake-" + chainId; }
    @Override public CompletionStage<Void> verifyChainId() { return CompletableFuture.completedFuture(null); }
    @Override public CompletionStage<Optional<BlockHeader>> blockByTag(String tag) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<Long>> transactionNonce(TxHash txHash) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Optional<String>> transactionInput(TxHash txHash) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<FeeHistory> feeHistory(int blocks, List<Double> percentiles) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> maxPriorityFeePerGas() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> gasPrice() { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<Long> nonce(Address account, boolean pending) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> balance(Address account) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<String> call(CallRequest request) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<BigInteger> estimateGas(CallRequest request) { throw new UnsupportedOperationException(); }
    @Override public CompletionStage<TxHash> sendRawTransaction(String signedHex) { throw new UnsupportedOperationException(); }
    @Override public void close() {}

    private static String hash(long number, int branch) {
        return String.format("0x%08x%056x", branch + 1, number);
    }
}
