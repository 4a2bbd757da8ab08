package io.courier.relayer.api;

import io.courier.chain.message.Address;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * An in-memory {@link TransferQueries} for the API's own tests (the Cassandra store is tested against a real
 * Cassandra in finality-tracker). Answers complete a little later on another thread, as the driver's do, and can
 * be made to fail, asynchronously or by throwing.
 */
final class InMemoryTransferQueries implements TransferQueries {

    private static final Executor LATER = CompletableFuture.delayedExecutor(2, TimeUnit.MILLISECONDS);

    private final Map<MessageId, Transfer> transfers = new ConcurrentHashMap<>();
    private final Map<MessageId, List<TransferHistoryEntry>> histories = new ConcurrentHashMap<>();
    final List<String> sourceTxQueries = new CopyOnWriteArrayList<>();
    private final Map<MessageId, java.util.concurrent.atomic.AtomicInteger> finds = new ConcurrentHashMap<>();
    private volatile RuntimeException failure;
    private volatile boolean throwSynchronously;

    InMemoryTransferQueries put(Transfer transfer, List<TransferHistoryEntry> history) {
        transfers.put(transfer.id(), transfer);
        histories.put(transfer.id(), List.copyOf(history));
        return this;
    }

    /** How many times {@link #find} was called for {@code id}: an events stream calls it once per poll. */
    int finds(MessageId id) {
        java.util.concurrent.atomic.AtomicInteger n = finds.get(id);
        return n == null ? 0 : n.get();
    }

    /** Every query fails with {@code error}: the stage completes exceptionally, or the call throws. */
    void failWith(RuntimeException error, boolean synchronously) {
        this.failure = error;
        this.throwSynchronously = synchronously;
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        finds.computeIfAbsent(id, k -> new java.util.concurrent.atomic.AtomicInteger()).incrementAndGet();
        return answer(() -> Optional.ofNullable(transfers.get(id)));
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long chainId, TxHash txHash) {
        sourceTxQueries.add(chainId + ":" + txHash);
        return answer(() -> {
            List<Transfer> found = new ArrayList<>();
            for (Transfer t : transfers.values()) {
                if (t.message().srcChainId() == chainId && t.source().txHash().equals(txHash)) {
                    found.add(t);
                }
            }
            found.sort(Comparator.comparingInt(t -> t.source().logIndex()));
            return found;
        });
    }

    /** Sender or recipient; newest first (then by id); the cursor is the index of the next one, as "2000-01.<i>.<id>". */
    @Override
    public CompletionStage<io.courier.finality.store.AddressPage> byAddress(Address address,
            Optional<io.courier.finality.TransferStatus> status, int limit, Optional<String> cursor) {
        return answer(() -> {
            List<Transfer> all = transfers.values().stream()
                    .filter(t -> t.message().sender().equalsIgnoreCase(address.toHex()) || t.message().recipient().equalsIgnoreCase(address.toHex()))
                    .filter(t -> status.map(s -> t.status() == s).orElse(true))
                    .sorted(java.util.Comparator.comparing(Transfer::createdAt).reversed().thenComparing(t -> t.id().toHex()))
                    .toList();
            int from = cursor.map(c -> Integer.parseInt(c.split("\\.")[1])).orElse(0);
            int to = Math.min(all.size(), from + limit);
            Optional<String> next = to < all.size() ? Optional.of("2000-01." + to + "." + all.get(to).id().toHex()) : Optional.empty();
            return new io.courier.finality.store.AddressPage(all.subList(Math.min(from, all.size()), to), next);
        });
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        return answer(() -> histories.getOrDefault(id, List.of()));
    }

    private <T> CompletionStage<T> answer(Supplier<T> value) {
        RuntimeException error = failure;
        if (error != null && throwSynchronously) {
            throw error;
        }
        return CompletableFuture.supplyAsync(() -> {
            if (error != null) {
                throw error;
            }
            return value.get();
        }, LATER);
    }
}
