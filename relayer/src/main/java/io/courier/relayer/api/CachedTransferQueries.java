package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStateMachine;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AddressPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link TransferQueries} in front of another (the store's) that makes the hot read, one transfer by id, cheap
 * (docs/ARCHITECTURE.md §6, "Reads by id"):
 * <ul>
 *   <li>a transfer in a status no event can leave ({@link #IMMUTABLE}: only {@code DELIVERED} today) is kept in a
 *       bounded, least-recently-used map for {@code ttl}, and served from there without a store read: it cannot
 *       change any more. Every other status is read from the store every time, so a poller never sees a stale
 *       status of a transfer that is still moving;</li>
 *   <li>concurrent {@link #find}s of one id share one store read: at most one read per id is in flight, and
 *       everyone who asks while it is answers with its result (a joined read may be one round trip older than the
 *       request, never older than the read the first caller started).</li>
 * </ul>
 * The other queries pass through ({@link #findBySourceTx} also fills the map with the immutable transfers it read).
 * Thread-safe; the map's lock is held only for a lookup or an insertion.
 */
public final class CachedTransferQueries implements TransferQueries {

    /**
     * The statuses the state machine allows no way out of: a transfer in one of them never changes again. Derived
     * from {@link TransferStateMachine}, not listed by hand: {@code REORGED} is terminal for the work indexes but a
     * re-included log revives it, {@code FAILED} and {@code UNDELIVERABLE} wait for an operator's retry, so none of
     * those may be cached.
     */
    public static final Set<TransferStatus> IMMUTABLE = immutableStatuses();

    /** At most {@code maxEntries} transfers, each kept at most {@code ttl}; {@code maxEntries = 0} turns caching off. */
    public record Settings(int maxEntries, Duration ttl) {
        public static final Settings DEFAULT = new Settings(10_000, Duration.ofHours(1));

        public Settings {
            Objects.requireNonNull(ttl, "ttl");
            if (maxEntries < 0) {
                throw new IllegalArgumentException("cache max-entries must be >= 0, got " + maxEntries);
            }
            if (ttl.isNegative() || ttl.isZero()) {
                throw new IllegalArgumentException("cache ttl must be positive, got " + ttl);
            }
        }
    }

    private record Entry(Transfer transfer, Instant expires) {}

    private final TransferQueries store;
    private final Settings settings;
    private final Clock clock;
    private final Map<MessageId, Entry> cache;
    private final ConcurrentHashMap<MessageId, CompletableFuture<Optional<Transfer>>> inFlight = new ConcurrentHashMap<>();

    public CachedTransferQueries(TransferQueries store, Settings settings, Clock clock) {
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        int max = settings.maxEntries();
        this.cache = new LinkedHashMap<>(Math.min(max, 1 << 16), 0.75f, true) { // access order: least recently read goes first
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, Entry> eldest) {
                return size() > max;
            }
        };
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        Optional<Transfer> cached = cached(id);
        if (cached.isPresent()) {
            return CompletableFuture.completedFuture(cached);
        }
        CompletableFuture<Optional<Transfer>> mine = new CompletableFuture<>();
        CompletableFuture<Optional<Transfer>> running = inFlight.putIfAbsent(id, mine);
        if (running != null) {
            return running.minimalCompletionStage(); // a caller cannot complete the shared read for the others
        }
        CompletionStage<Optional<Transfer>> read;
        try {
            read = store.find(id);
        } catch (RuntimeException e) { // a store that throws instead of failing its stage: the same for every joiner
            inFlight.remove(id, mine);
            mine.completeExceptionally(e);
            return mine.minimalCompletionStage();
        }
        read.whenComplete((found, error) -> {
            // off the map before completing: a caller arriving after this read answered starts a fresh one
            inFlight.remove(id, mine);
            if (error != null) {
                mine.completeExceptionally(error);
            } else {
                found.ifPresent(this::remember);
                mine.complete(found);
            }
        });
        return mine.minimalCompletionStage();
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long chainId, TxHash txHash) {
        return store.findBySourceTx(chainId, txHash).thenApply(found -> {
            found.forEach(this::remember);
            return found;
        });
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        return store.history(id);
    }

    @Override
    public CompletionStage<AddressPage> byAddress(Address address, Optional<TransferStatus> status, int limit,
                                                  Optional<String> cursor) {
        return store.byAddress(address, status, limit, cursor);
    }

    @Override
    public CompletionStage<List<Transfer>> stuck(int limit) {
        return store.stuck(limit);
    }

    /** Transfers held now (expired ones included until they are read or pushed out). */
    public int size() {
        synchronized (cache) {
            return cache.size();
        }
    }

    private Optional<Transfer> cached(MessageId id) {
        Instant now = clock.instant();
        synchronized (cache) {
            Entry e = cache.get(id);
            if (e == null) {
                return Optional.empty();
            }
            if (!now.isBefore(e.expires())) {
                cache.remove(id);
                return Optional.empty();
            }
            return Optional.of(e.transfer());
        }
    }

    private void remember(Transfer t) {
        if (!IMMUTABLE.contains(t.status()) || settings.maxEntries() == 0) {
            return; // a transfer that may still move is always read from the store
        }
        Entry e = new Entry(t, clock.instant().plus(settings.ttl()));
        synchronized (cache) {
            cache.put(t.id(), e);
        }
    }

    private static Set<TransferStatus> immutableStatuses() {
        Set<TransferStatus> immutable = EnumSet.noneOf(TransferStatus.class);
        for (TransferStatus s : TransferStatus.values()) {
            if (TransferStateMachine.INSTANCE.accepted(s).isEmpty()) {
                immutable.add(s);
            }
        }
        return java.util.Collections.unmodifiableSet(immutable);
    }
}
