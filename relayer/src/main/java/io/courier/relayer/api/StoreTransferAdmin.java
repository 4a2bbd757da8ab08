package io.courier.relayer.api;

import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStateMachine;
import io.courier.finality.TransferStatus;
import io.courier.finality.Transition;
import io.courier.finality.store.GasPaymentStore;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import java.math.BigInteger;
import java.time.Clock;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

/**
 * {@link TransferAdmin} over the {@link TransferStore}: reads the transfer, asks the state machine whether the action
 * is allowed in its status, then makes the move with the store's conditional transition (so an action racing the
 * relay, say a park while the submitter takes the transfer, either wins or is answered with the status that won).
 */
public final class StoreTransferAdmin implements TransferAdmin {

    private final TransferStore store;
    private final Optional<GasPaymentStore> payments;
    private final Clock clock;

    public StoreTransferAdmin(TransferStore store, Clock clock) {
        this(store, Optional.empty(), clock);
    }

    /** @param payments the node's payment records, to release on unpark an UNDERPAID transfer topped up while parked */
    public StoreTransferAdmin(TransferStore store, Optional<GasPaymentStore> payments, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.payments = Objects.requireNonNull(payments, "payments");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<Outcome> retry(MessageId id, String by, String reason) {
        return act(id, current -> CompletableFuture.completedFuture(Optional.of(new TransferEvent.RetryRequested(by, reason))));
    }

    @Override
    public CompletionStage<Outcome> park(MessageId id, String by, String reason) {
        return act(id, current -> CompletableFuture.completedFuture(Optional.of(new TransferEvent.Parked(by, reason))));
    }

    @Override
    public CompletionStage<Outcome> unpark(MessageId id, String by, String reason) {
        return act(id, current -> current.status() != TransferStatus.PARKED
                // any status will do: the machine refuses an unpark outside PARKED, and names it
                ? CompletableFuture.completedFuture(Optional.of(new TransferEvent.Unparked(by, reason, TransferStatus.ATTESTED)))
                : store.history(id).thenApply(history -> parkedFrom(history)
                        .map(from -> (TransferEvent) new TransferEvent.Unparked(by, reason, from))))
                .thenCompose(outcome -> outcome instanceof Done done && done.to() == TransferStatus.UNDERPAID && payments.isPresent()
                        ? releaseIfPaid(done, payments.get())
                        : CompletableFuture.completedFuture(outcome));
    }

    /**
     * Back in UNDERPAID: a top-up counted while it was parked moved nothing (the watcher judges top-ups of UNDERPAID
     * transfers only, and only when they are counted), so its payments are judged again here against the charge fixed
     * at finality; covered, it moves on to FINALIZED as the watcher would have moved it.
     */
    private CompletionStage<Outcome> releaseIfPaid(Done unparked, GasPaymentStore payments) {
        MessageId id = unparked.id();
        return store.find(id).thenCompose(found -> found.isEmpty() ? CompletableFuture.completedFuture((Outcome) unparked)
                : payments.account(id).thenCompose(account -> {
                    BigInteger paid = account.paidOn(found.get().message().srcChainId());
                    if (!account.charge().map(c -> c.coveredBy(paid)).orElse(false)) {
                        return CompletableFuture.completedFuture((Outcome) unparked);
                    }
                    return store.transition(id, TransferStatus.UNDERPAID, new TransferEvent.TopUpSeen(paid), clock.instant())
                            .thenApply(o -> o instanceof TransitionOutcome.Applied a
                                    ? (Outcome) new Done(id, unparked.from(), a.updated().status()) : unparked);
                }));
    }

    /**
     * The status the transfer was last parked from: the {@code from} of its newest history row into PARKED.
     * Empty when the history has none (it cannot be unparked then: nobody knows where it was).
     */
    static Optional<TransferStatus> parkedFrom(List<TransferHistoryEntry> history) {
        for (int i = history.size() - 1; i >= 0; i--) {
            TransferHistoryEntry e = history.get(i);
            if (e.to() == TransferStatus.PARKED && e.from() != TransferStatus.PARKED) {
                return e.previous();
            }
        }
        return Optional.empty();
    }

    /** The statuses in which {@code event} moves a transfer, per the state machine. */
    static Set<TransferStatus> allowedFor(TransferEvent event) {
        Set<TransferStatus> allowed = EnumSet.noneOf(TransferStatus.class);
        for (TransferStatus s : TransferStatus.values()) {
            if (event instanceof TransferEvent.Unparked) {
                if (s == TransferStatus.PARKED) {
                    allowed.add(s);
                }
            } else if (TransferStateMachine.INSTANCE.apply(s, event) instanceof Transition.Moved) {
                allowed.add(s);
            }
        }
        return allowed;
    }

    private CompletionStage<Outcome> act(MessageId id, Function<Transfer, CompletionStage<Optional<TransferEvent>>> eventFor) {
        return store.find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(new NotFound(id));
            }
            Transfer current = found.get();
            return eventFor.apply(current).thenCompose(event -> {
                if (event.isEmpty()) {
                    return CompletableFuture.completedFuture(new WrongState(id, current.status(), Set.of(),
                            "transfer " + id.toHex() + " is PARKED but its history names no status it was parked from"));
                }
                return move(current, event.get());
            });
        });
    }

    private CompletionStage<Outcome> move(Transfer current, TransferEvent event) {
        MessageId id = current.id();
        if (TransferStateMachine.INSTANCE.apply(current.status(), event) instanceof Transition.Rejected) {
            return CompletableFuture.completedFuture(wrongState(id, current.status(), event));
        }
        return store.transition(id, current.status(), event, clock.instant()).thenApply(outcome -> {
            if (outcome instanceof TransitionOutcome.Applied a) {
                return new Done(id, current.status(), a.updated().status());
            } else if (outcome instanceof TransitionOutcome.AlreadyApplied a) {
                return new Done(id, current.status(), a.current().status());
            } else if (outcome instanceof TransitionOutcome.Conflict c) {
                // another node or actor moved it between our read and our write: say where it is now
                return wrongState(id, c.actual(), event);
            }
            return new NotFound(id);
        });
    }

    static WrongState wrongState(MessageId id, TransferStatus actual, TransferEvent event) {
        Set<TransferStatus> allowed = allowedFor(event);
        String action = event instanceof TransferEvent.RetryRequested ? "retried"
                : event instanceof TransferEvent.Parked ? "parked" : "unparked";
        String detail = "transfer " + id.toHex() + " is " + actual + " and cannot be " + action + "; allowed only in "
                + allowed.stream().map(Enum::name).sorted().toList();
        if (actual == TransferStatus.SUBMITTED && event instanceof TransferEvent.Parked) {
            detail += " (its destination transaction is broadcast and cannot be recalled: wait for DELIVERED or FAILED)";
        }
        return new WrongState(id, actual, allowed, detail);
    }
}
