package io.courier.relayer.api;

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
    private volatile RuntimeException failure;
    private volatile boolean throwSynchronously;

    InMemoryTransferQueries put(Transfer transfer, List<TransferHistoryEntry> history) {
        transfers.put(transfer.id(), transfer);
        histories.put(transfer.id(), List.copyOf(history));
        return this;
    }

    /** Every query fails with {@code error}: the stage completes exceptionally, or the call throws. */
    void failWith(RuntimeException error, boolean synchronously) {
        this.failure = error;
        this.throwSynchronously = synchronously;
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        return answer(() -> Optional.ofNullable(transfers.get(id)));
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long chainId, String txHash) {
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
