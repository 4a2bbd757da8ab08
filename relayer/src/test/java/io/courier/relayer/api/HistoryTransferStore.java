package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * An in-memory {@link TransferStore} with what the admin actions use: find, history, and a conditional transition
 * that writes a history row as the Cassandra store does ({@code from}, {@code to}, the event's cause). The rest is
 * not supported.
 */
final class HistoryTransferStore implements TransferStore {

    private final Map<MessageId, Fixtures.Stored> rows = new ConcurrentHashMap<>();
    /** Runs just before a transition is applied: a test moves the transfer there to lose a race. */
    volatile Runnable beforeTransition = () -> { };

    HistoryTransferStore put(Fixtures.Stored stored) {
        rows.put(stored.transfer().id(), stored);
        return this;
    }

    Fixtures.Stored get(MessageId id) {
        return rows.get(id);
    }

    @Override
    public synchronized CompletionStage<TransitionOutcome> transition(MessageId id, TransferStatus expected, TransferEvent event,
                                                                      Instant at) {
        beforeTransition.run();
        Fixtures.Stored s = rows.get(id);
        if (s == null) {
            return CompletableFuture.completedFuture(new TransitionOutcome.NotFound(id));
        }
        if (s.transfer().status() != expected) {
            return CompletableFuture.completedFuture(new TransitionOutcome.Conflict(id, s.transfer().status()));
        }
        Fixtures.Stored next = s.then(event, at);
        rows.put(id, next);
        return CompletableFuture.completedFuture(new TransitionOutcome.Applied(next.transfer()));
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        return CompletableFuture.completedFuture(Optional.ofNullable(rows.get(id)).map(Fixtures.Stored::transfer));
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        Fixtures.Stored s = rows.get(id);
        return CompletableFuture.completedFuture(s == null ? List.of() : new ArrayList<>(s.history()));
    }

    @Override
    public CompletionStage<Boolean> recordObserved(Transfer transfer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<TransitionOutcome> relocate(MessageId id, SourceRef newSource, Instant at) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<TransitionOutcome> markReorged(UnfinalizedTransfer row, TransferEvent.Reorged event, Instant at) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> updateConfirmations(MessageId id, long seen) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long srcChain, TxHash txHash) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<Void> indexAddresses(Transfer t, Set<Address> addresses) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<AddressPage> byAddress(Address address, YearMonth newest, int months, Optional<String> cursor,
                                                  int limit, Predicate<Transfer> filter) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<UnfinalizedTransfer>> unfinalized(long srcChain, long fromBlock) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletionStage<List<Transfer>> open(long dstChain, LocalDate fromDay, LocalDate toDay, int limit) {
        throw new UnsupportedOperationException();
    }
}
