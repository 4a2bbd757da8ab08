package io.courier.relayer.api;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one reader behind every events stream: whatever many streams follow a transfer (or a source transaction),
 * the node reads it once per {@code poll}, and its history only when it changed, then hands the result to every
 * stream that follows it. A key nobody follows any more is dropped; with no key at all the feed does not run.
 *
 * <p>A round reads the followed keys with at most {@code parallelism} reads in flight (the API's CQL session has a
 * small budget of its own), and the next round starts {@code poll} after the previous one ended, so rounds never
 * overlap. A read that fails (the store overloaded, say) is tried again next round; the streams just wait.
 *
 * <p>Listeners are called on the thread that completed the read (a driver thread) and must not block: the events
 * route offers the update to its stream's queue.
 */
final class TransferFeed {

    private static final Logger log = LoggerFactory.getLogger(TransferFeed.class);

    /** What a stream follows. */
    sealed interface Key permits ById, BySourceTx {}

    /** One transfer, known yet or not. */
    record ById(MessageId id) implements Key {}

    /** The transfers of one source transaction, as many as the node has indexed. */
    record BySourceTx(long chainId, TxHash txHash) implements Key {}

    /** Called with everything its key has, as read now (possibly nothing yet), after the first read and every change. */
    interface Listener extends Consumer<List<EventCursor.Snapshot>> {}

    /** Stops a listener's updates (idempotent). */
    interface Subscription {
        void cancel();
    }

    /** Runs a task after a delay; the feed's clock, a fake in tests. */
    interface Ticker {
        void schedule(Duration delay, Runnable task);

        /** One daemon thread shared by every feed of the process, gone when idle (no feed running). */
        static Ticker daemon() {
            return (delay, task) -> DAEMON.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
        }
    }

    private static final ScheduledThreadPoolExecutor DAEMON = daemonScheduler();

    private final class Watch {
        final Key key;
        final Set<Listener> listeners = new LinkedHashSet<>();
        Map<MessageId, EventCursor.Snapshot> current = Map.of();
        boolean read;      // a read has answered: current is what the key has
        boolean reading;   // a read is in flight: a round skips the key

        Watch(Key key) {
            this.key = key;
        }
    }

    private final TransferQueries queries;
    private final Duration poll;
    private final Ticker ticker;
    private final int parallelism;
    private final Map<Key, Watch> watches = new LinkedHashMap<>();
    private boolean ticking;

    TransferFeed(TransferQueries queries, Duration poll, Ticker ticker, int parallelism) {
        this.queries = Objects.requireNonNull(queries, "queries");
        this.poll = Objects.requireNonNull(poll, "poll");
        this.ticker = Objects.requireNonNull(ticker, "ticker");
        if (parallelism < 1 || poll.isNegative() || poll.isZero()) {
            throw new IllegalArgumentException("feed parallelism must be >= 1 and poll positive, got " + parallelism
                    + " and " + poll);
        }
        this.parallelism = parallelism;
    }

    /**
     * Follows {@code key}: {@code listener} gets what the key has now (at once if another stream follows it already,
     * else after a read started now) and again after each change.
     */
    Subscription watch(Key key, Listener listener) {
        Objects.requireNonNull(listener, "listener");
        boolean fresh;
        List<EventCursor.Snapshot> now = null;
        boolean startTicking;
        synchronized (this) {
            Watch w = watches.get(key);
            fresh = w == null;
            if (fresh) {
                w = new Watch(key);
                watches.put(key, w);
            } else if (w.read) {
                now = List.copyOf(w.current.values());
            }
            w.listeners.add(listener);
            startTicking = !ticking;
            ticking = true;
        }
        if (now != null) {
            listener.accept(now);
        }
        if (fresh) {
            refresh(key);
        }
        if (startTicking) {
            ticker.schedule(poll, this::tick);
        }
        return new Subscription() {
            @Override
            public void cancel() {
                synchronized (TransferFeed.this) {
                    Watch w = watches.get(key);
                    if (w != null && w.listeners.remove(listener) && w.listeners.isEmpty()) {
                        watches.remove(key);
                    }
                }
            }
        };
    }

    /** Keys followed now. */
    synchronized int watched() {
        return watches.size();
    }

    /** Reads every followed key once (those with a read in flight excepted); completes when all have answered. */
    CompletionStage<Void> pollOnce() {
        List<Key> keys;
        synchronized (this) {
            keys = new ArrayList<>(watches.keySet());
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        if (keys.isEmpty()) {
            done.complete(null);
            return done;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicInteger finished = new AtomicInteger();
        Runnable[] lane = new Runnable[1];
        lane[0] = () -> {
            int i = next.getAndIncrement();
            if (i >= keys.size()) {
                return;
            }
            refresh(keys.get(i)).whenComplete((ok, error) -> {
                if (finished.incrementAndGet() == keys.size()) {
                    done.complete(null);
                }
                lane[0].run();
            });
        };
        for (int i = 0; i < Math.min(parallelism, keys.size()); i++) {
            lane[0].run();
        }
        return done;
    }

    private void tick() {
        pollOnce().whenComplete((ok, error) -> {
            boolean again;
            synchronized (this) {
                again = !watches.isEmpty();
                ticking = again;
            }
            if (again) {
                ticker.schedule(poll, this::tick);
            }
        });
    }

    /** Reads {@code key} and publishes to its listeners if anything changed (always after its first read). */
    private CompletionStage<Void> refresh(Key key) {
        Map<MessageId, EventCursor.Snapshot> before;
        synchronized (this) {
            Watch w = watches.get(key);
            if (w == null || w.reading) {
                return CompletableFuture.completedFuture(null);
            }
            w.reading = true;
            before = w.current;
        }
        CompletionStage<List<Transfer>> read;
        try {
            if (key instanceof ById byId) {
                read = queries.find(byId.id()).thenApply(found -> found.map(List::of).orElse(List.of()));
            } else {
                BySourceTx tx = (BySourceTx) key;
                read = queries.findBySourceTx(tx.chainId(), tx.txHash());
            }
        } catch (RuntimeException e) {
            read = CompletableFuture.failedFuture(e);
        }
        return read.thenCompose(transfers -> withHistories(transfers, before))
                .handle((snapshots, error) -> {
                    List<Listener> toTell = List.of();
                    List<EventCursor.Snapshot> update = null;
                    synchronized (this) {
                        Watch w = watches.get(key);
                        if (w != null) {
                            w.reading = false;
                            if (error != null) {
                                log.debug("events feed: reading {} failed; next round tries again: {}", key, error.toString());
                            } else {
                                boolean changed = !w.read || snapshots.changed();
                                w.current = snapshots.byId();
                                w.read = true;
                                if (changed) {
                                    update = List.copyOf(w.current.values());
                                    toTell = List.copyOf(w.listeners);
                                }
                            }
                        }
                    }
                    for (Listener l : toTell) {
                        l.accept(update);
                    }
                    return null;
                });
    }

    private record Read(Map<MessageId, EventCursor.Snapshot> byId, boolean changed) {}

    /**
     * The snapshots of {@code transfers}: a transfer whose status and update time are those of {@code before} keeps
     * its history (no read) and counts as unchanged; any other has its history read.
     */
    private CompletionStage<Read> withHistories(List<Transfer> transfers, Map<MessageId, EventCursor.Snapshot> before) {
        List<CompletableFuture<EventCursor.Snapshot>> reads = new ArrayList<>();
        boolean[] changed = {transfers.size() != before.size()};
        for (Transfer t : transfers) {
            EventCursor.Snapshot known = before.get(t.id());
            if (known != null && known.transfer().status() == t.status() && known.transfer().updatedAt().equals(t.updatedAt())) {
                reads.add(CompletableFuture.completedFuture(new EventCursor.Snapshot(t, known.history())));
            } else {
                changed[0] = true;
                reads.add(queries.history(t.id()).thenApply(h -> new EventCursor.Snapshot(t, h)).toCompletableFuture());
            }
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            Map<MessageId, EventCursor.Snapshot> byId = new LinkedHashMap<>();
            for (CompletableFuture<EventCursor.Snapshot> r : reads) {
                EventCursor.Snapshot s = r.join();
                byId.put(s.transfer().id(), s);
            }
            return new Read(byId, changed[0]);
        });
    }

    private static ScheduledThreadPoolExecutor daemonScheduler() {
        ScheduledThreadPoolExecutor s = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "courier-api-events-feed");
            t.setDaemon(true);
            return t;
        });
        s.setKeepAliveTime(10, TimeUnit.SECONDS);
        s.allowCoreThreadTimeOut(true);
        s.setRemoveOnCancelPolicy(true);
        return s;
    }

    @Override
    public String toString() {
        return "TransferFeed[" + watched() + " keys, poll " + poll + "]";
    }
}
