package io.courier.relayer.submitfakes;

import io.courier.chain.message.Address;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.MessageId;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStateMachine;
import io.courier.finality.TransferStatus;
import io.courier.finality.Transition;
import io.courier.finality.TransitionRejectedException;
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
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Transfers in a map, moved by the real state machine, with the outcomes of the Cassandra store (Applied,
 * AlreadyApplied when the transfer is already where the event leads, Conflict, NotFound, and
 * {@link TransitionRejectedException} for a move the table forbids). {@link #onTransition} scripts a call's result.
 */
public final class InMemoryTransferStore implements TransferStore {

    /** One call of {@link #transition}. */
    public record TransitionCall(MessageId id, TransferStatus expected, TransferEvent event) {}

    private final Map<MessageId, Transfer> transfers = new ConcurrentHashMap<>();
    public final List<TransitionCall> transitionCalls = new CopyOnWriteArrayList<>();
    /** Returns the stage a transition call completes with instead of being applied; null: applied as usual. */
    public volatile Function<TransitionCall, CompletionStage<TransitionOutcome>> onTransition = c -> null;
    /** Calls of {@link #open}; {@link #onOpen} returns the stage one completes with instead (null: the transfers). */
    public final java.util.concurrent.atomic.AtomicInteger findCalls = new java.util.concurrent.atomic.AtomicInteger();
    public final java.util.concurrent.atomic.AtomicInteger openCalls = new java.util.concurrent.atomic.AtomicInteger();
    public volatile Function<Integer, CompletionStage<List<Transfer>>> onOpen = n -> null;

    public void put(Transfer t) {
        transfers.put(t.id(), t);
    }

    public Transfer get(MessageId id) {
        return transfers.get(id);
    }

    /** Applies the move as the store would, ignoring scripts (someone else's write). */
    public synchronized TransitionOutcome apply(MessageId id, TransferStatus expected, TransferEvent event, Instant at) {
        Transition rule = TransferStateMachine.INSTANCE.apply(expected, event);
        if (rule instanceof Transition.Rejected rejected) {
            throw new TransitionRejectedException(id, expected, event, rejected.reason());
        }
        Transfer current = transfers.get(id);
        if (current == null) {
            return new TransitionOutcome.NotFound(id);
        }
        if (current.status() != expected) {
            TransferStatus target = ((Transition.Moved) rule).to();
            boolean reached = event instanceof TransferEvent.Replaced r
                    ? current.status() == TransferStatus.SUBMITTED && r.newTxHash().equals(current.dstTxHash())
                    : current.status() == target;
            return reached ? new TransitionOutcome.AlreadyApplied(current) : new TransitionOutcome.Conflict(id, current.status());
        }
        Transfer next = current.next(event, at);
        transfers.put(id, next);
        return new TransitionOutcome.Applied(next);
    }

    @Override
    public CompletionStage<TransitionOutcome> transition(MessageId id, TransferStatus expected, TransferEvent event, Instant at) {
        TransitionCall call = new TransitionCall(id, expected, event);
        transitionCalls.add(call);
        CompletionStage<TransitionOutcome> scripted = onTransition.apply(call);
        if (scripted != null) {
            return scripted;
        }
        try {
            return CompletableFuture.completedFuture(apply(id, expected, event, at));
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        findCalls.incrementAndGet();
        return CompletableFuture.completedFuture(Optional.ofNullable(transfers.get(id)));
    }

    @Override
    public CompletionStage<List<Transfer>> open(long dstChain, LocalDate fromDay, LocalDate toDay, int limit) {
        CompletionStage<List<Transfer>> scripted = onOpen.apply(openCalls.incrementAndGet());
        if (scripted != null) {
            return scripted;
        }
        return CompletableFuture.completedFuture(transfers.values().stream()
                .filter(t -> t.message().dstChainId() == dstChain && !t.status().isTerminal())
                .sorted(Comparator.comparing(Transfer::createdAt)).limit(limit).toList());
    }

    @Override
    public CompletionStage<Boolean> recordObserved(Transfer transfer) {
        return CompletableFuture.completedFuture(transfers.putIfAbsent(transfer.id(), transfer) == null);
    }

    @Override
    public CompletionStage<TransitionOutcome> relocate(MessageId id, SourceRef newSource, Instant at) {
        return unsupported("relocate");
    }

    @Override
    public CompletionStage<TransitionOutcome> markReorged(UnfinalizedTransfer row, TransferEvent.Reorged event, Instant at) {
        return unsupported("markReorged");
    }

    @Override
    public CompletionStage<Void> updateConfirmations(MessageId id, long seen) {
        return unsupported("updateConfirmations");
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long srcChain, TxHash txHash) {
        return unsupported("findBySourceTx");
    }

    @Override
    public CompletionStage<Void> indexAddresses(Transfer t, Set<Address> addresses) {
        return unsupported("indexAddresses");
    }

    @Override
    public CompletionStage<AddressPage> byAddress(Address address, YearMonth newest, int months, Optional<String> cursor,
                                                  int limit, Predicate<Transfer> filter) {
        return unsupported("byAddress");
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        return unsupported("history");
    }

    @Override
    public CompletionStage<List<UnfinalizedTransfer>> unfinalized(long srcChain, long fromBlock) {
        return unsupported("unfinalized");
    }

    private static <T> CompletionStage<T> unsupported(String what) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException(what + " is not part of this fake"));
    }
}
