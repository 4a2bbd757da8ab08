package io.courier.relayer.fakes;

import io.courier.chain.message.Address;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.MessageId;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AddressPage;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.finality.store.UnfinalizedTransfer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;

/**
 * An in-memory {@link TransferStore} with only what the chain watcher calls. The {@code unfinalized} index is
 * derived from the SENT transfers. Every call the watcher makes is recorded for assertions.
 */
public final class FakeTransferStore implements TransferStore {

    public record Confirmation(MessageId id, long seen) {}

    public final Interventions script = new Interventions();
    public final List<MessageId> observedCalls = new CopyOnWriteArrayList<>();
    public final List<Long> unfinalizedFrom = new CopyOnWriteArrayList<>();
    public final List<Confirmation> confirmations = new CopyOnWriteArrayList<>();
    public final List<MessageId> finalizeCalls = new CopyOnWriteArrayList<>();
    public final List<MessageId> relocateCalls = new CopyOnWriteArrayList<>();
    /** The addresses of each transfer's latest {@link #indexAddresses} write. */
    public final Map<MessageId, Set<Address>> indexed = new ConcurrentHashMap<>();
    private final Map<MessageId, Transfer> transfers = new ConcurrentHashMap<>();

    public Optional<Transfer> get(MessageId id) {
        return Optional.ofNullable(transfers.get(id));
    }

    public List<Transfer> all() {
        return List.copyOf(transfers.values());
    }

    @Override
    public CompletionStage<Boolean> recordObserved(Transfer transfer) {
        return script.call("recordObserved", () -> {
            observedCalls.add(transfer.id());
            return CompletableFuture.completedFuture(transfers.putIfAbsent(transfer.id(), transfer) == null);
        });
    }

    @Override
    public CompletionStage<TransitionOutcome> transition(MessageId id, TransferStatus expected, TransferEvent event, Instant at) {
        return script.call("transition", () -> {
            if (event instanceof TransferEvent.Finalized) {
                finalizeCalls.add(id);
            }
            synchronized (this) {
                Transfer t = transfers.get(id);
                if (t == null) {
                    return CompletableFuture.completedFuture(new TransitionOutcome.NotFound(id));
                }
                if (t.status() != expected) {
                    return CompletableFuture.completedFuture(new TransitionOutcome.Conflict(id, t.status()));
                }
                Transfer next = t.next(event, at);
                transfers.put(id, next);
                return CompletableFuture.completedFuture(new TransitionOutcome.Applied(next));
            }
        });
    }

    @Override
    public synchronized CompletionStage<TransitionOutcome> relocate(MessageId id, SourceRef newSource, Instant at) {
        relocateCalls.add(id);
        Transfer t = transfers.get(id);
        if (t == null) {
            return CompletableFuture.completedFuture(new TransitionOutcome.NotFound(id));
        }
        if (t.source().equals(newSource)) {
            return CompletableFuture.completedFuture(new TransitionOutcome.AlreadyApplied(t));
        }
        if (t.status() != TransferStatus.SENT && t.status() != TransferStatus.REORGED) {
            return CompletableFuture.completedFuture(new TransitionOutcome.Conflict(id, t.status()));
        }
        Transfer moved = new Transfer(t.id(), t.message(), TransferStatus.SENT, newSource, t.confirmationsRequired(), 0,
                t.stageTimes(), null, null, t.createdAt(), at);
        transfers.put(id, moved);
        return CompletableFuture.completedFuture(new TransitionOutcome.Applied(moved));
    }

    @Override
    public synchronized CompletionStage<TransitionOutcome> markReorged(UnfinalizedTransfer row, TransferEvent.Reorged event, Instant at) {
        Transfer t = transfers.get(row.id());
        if (t == null) {
            return CompletableFuture.completedFuture(new TransitionOutcome.NotFound(row.id()));
        }
        if (t.status() != TransferStatus.SENT || !t.source().blockHash().equals(row.blockHash())) {
            return CompletableFuture.completedFuture(new TransitionOutcome.Conflict(row.id(), t.status()));
        }
        Transfer next = t.next(event, at);
        transfers.put(row.id(), next);
        return CompletableFuture.completedFuture(new TransitionOutcome.Applied(next));
    }

    @Override
    public CompletionStage<Void> updateConfirmations(MessageId id, long seen) {
        return script.call("updateConfirmations", () -> {
            confirmations.add(new Confirmation(id, seen));
            transfers.computeIfPresent(id, (k, t) -> t.withConfirmationsSeen(seen));
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        return CompletableFuture.completedFuture(get(id));
    }

    @Override
    public CompletionStage<Void> indexAddresses(Transfer t, Set<Address> addresses) {
        indexed.put(t.id(), Set.copyOf(addresses));
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<UnfinalizedTransfer>> unfinalized(long srcChain, long fromBlock) {
        return script.call("unfinalized", () -> {
            unfinalizedFrom.add(fromBlock);
            return CompletableFuture.completedFuture(transfers.values().stream()
                    .filter(t -> t.status() == TransferStatus.SENT && t.message().srcChainId() == srcChain
                            && t.source().blockNumber() >= fromBlock)
                    .map(t -> new UnfinalizedTransfer(srcChain, t.source().blockNumber(), t.id(), t.source().blockHash(),
                            t.confirmationsRequired()))
                    .sorted(Comparator.comparingLong(UnfinalizedTransfer::blockNumber))
                    .toList());
        });
    }

    // ── not used by the watcher ──────────────────────────────────────────────────────────────────────────

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long srcChain, TxHash txHash) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<AddressPage> byAddress(Address address, YearMonth newest, int months, Optional<String> cursor,
                                                  int limit, Predicate<Transfer> filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Transfer>> open(long dstChain, LocalDate fromDay, LocalDate toDay, int limit) {
        throw new UnsupportedOperationException();
    }

    /** How many times the watcher asked to move {@code id} to another block. */
    public long relocations(MessageId id) {
        return relocateCalls.stream().filter(id::equals).count();
    }
}
