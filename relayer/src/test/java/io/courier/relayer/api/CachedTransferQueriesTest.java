package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AddressPage;
import io.courier.relayer.fakes.ManualClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The API's cache of transfers that cannot change, and the coalescing of concurrent reads of one id. */
class CachedTransferQueriesTest {

    private final ManualClock clock = new ManualClock(Fixtures.T0);
    private final CountingQueries store = new CountingQueries();

    @Test
    void onlyDeliveredIsImmutableBecauseEveryOtherStatusHasAWayOut() {
        assertThat(CachedTransferQueries.IMMUTABLE).containsExactly(TransferStatus.DELIVERED);
    }

    @Test
    void aTransferInAnyStatusButDeliveredIsReadFromTheStoreEveryTime() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        for (TransferStatus status : TransferStatus.values()) {
            Transfer t = inStatus(status, 100 + status.ordinal());
            store.answerNow(t);
            for (int i = 0; i < 3; i++) {
                assertThat(cached.find(t.id()).toCompletableFuture().join()).contains(t);
            }
            assertThat(store.finds(t.id())).as("store reads of a %s transfer read 3 times", status)
                    .isEqualTo(status == TransferStatus.DELIVERED ? 1 : 3);
        }
    }

    @Test
    void aTransferThatMovesOnIsNeverAnsweredFromAnEarlierRead() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        Fixtures.Stored s = Fixtures.sent(7, 0);
        List<Fixtures.Stored> steps = List.of(s, s = s.then(new TransferEvent.Finalized(12), Fixtures.T0.plusSeconds(1)),
                s = s.then(new TransferEvent.Attested(2), Fixtures.T0.plusSeconds(2)),
                s = s.then(new TransferEvent.Submitted(TxHash.fromHex(Fixtures.DEST_TX), 1), Fixtures.T0.plusSeconds(3)),
                s.then(new TransferEvent.ExecutionFailed("reverted", TxHash.fromHex(Fixtures.DEST_TX)), Fixtures.T0.plusSeconds(4)));
        for (Fixtures.Stored step : steps) {
            store.answerNow(step.transfer());
            assertThat(cached.find(step.transfer().id()).toCompletableFuture().join().orElseThrow().status())
                    .isEqualTo(step.transfer().status());
        }
        assertThat(cached.size()).isZero();
    }

    @Test
    void concurrentReadsOfOneIdShareOneStoreRead() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        Transfer t = Fixtures.sent(8, 0).transfer();
        CompletableFuture<Optional<Transfer>> pending = store.answerLater(t.id());

        List<CompletableFuture<Optional<Transfer>>> readers = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            readers.add(cached.find(t.id()).toCompletableFuture());
        }
        assertThat(store.finds(t.id())).as("reads in flight for one id").isEqualTo(1);
        assertThat(readers).noneMatch(CompletableFuture::isDone);

        pending.complete(Optional.of(t));
        assertThat(readers).allSatisfy(r -> assertThat(r.join()).contains(t));

        // the read answered: the next caller reads again (SENT may have moved on meanwhile)
        store.answerNow(t);
        cached.find(t.id()).toCompletableFuture().join();
        assertThat(store.finds(t.id())).isEqualTo(2);
    }

    @Test
    void readsOfDifferentIdsAreNotCoalesced() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        Transfer a = Fixtures.sent(9, 0).transfer();
        Transfer b = Fixtures.sent(10, 0).transfer();
        store.answerLater(a.id());
        store.answerLater(b.id());
        cached.find(a.id());
        cached.find(b.id());
        assertThat(store.finds(a.id())).isEqualTo(1);
        assertThat(store.finds(b.id())).isEqualTo(1);
    }

    @Test
    void aFailedReadFailsEveryoneWhoJoinedItAndIsNotRemembered() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        Transfer t = Fixtures.delivered(11).transfer();
        CompletableFuture<Optional<Transfer>> pending = store.answerLater(t.id());
        CompletableFuture<Optional<Transfer>> first = cached.find(t.id()).toCompletableFuture();
        CompletableFuture<Optional<Transfer>> second = cached.find(t.id()).toCompletableFuture();
        pending.completeExceptionally(new IllegalStateException("store down"));
        assertThatThrownBy(first::join).isInstanceOf(CompletionException.class).hasMessageContaining("store down");
        assertThatThrownBy(second::join).isInstanceOf(CompletionException.class).hasMessageContaining("store down");

        store.answerNow(t);
        assertThat(cached.find(t.id()).toCompletableFuture().join()).contains(t);
        assertThat(store.finds(t.id())).isEqualTo(2);
    }

    @Test
    void aStoreThatThrowsInsteadOfFailingItsStageLeavesNoReadInFlight() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        Transfer t = Fixtures.sent(12, 0).transfer();
        store.throwOnce(new IllegalStateException("throttled"));
        assertThatThrownBy(() -> cached.find(t.id()).toCompletableFuture().join()).hasMessageContaining("throttled");
        store.answerNow(t);
        assertThat(cached.find(t.id()).toCompletableFuture().join()).contains(t);
    }

    @Test
    void aDeliveredTransferIsKeptForItsTtlThenReadAgain() {
        CachedTransferQueries cached = new CachedTransferQueries(store,
                new CachedTransferQueries.Settings(10, Duration.ofMinutes(5)), clock);
        Transfer t = Fixtures.delivered(13).transfer();
        store.answerNow(t);
        cached.find(t.id()).toCompletableFuture().join();
        clock.advance(Duration.ofMinutes(5).minusMillis(1));
        cached.find(t.id()).toCompletableFuture().join();
        assertThat(store.finds(t.id())).isEqualTo(1);
        clock.advance(Duration.ofMillis(1));
        cached.find(t.id()).toCompletableFuture().join();
        assertThat(store.finds(t.id())).isEqualTo(2);
    }

    @Test
    void theCacheHoldsAtMostMaxEntriesPushingOutTheLeastRecentlyRead() {
        CachedTransferQueries cached = new CachedTransferQueries(store,
                new CachedTransferQueries.Settings(3, Duration.ofHours(1)), clock);
        List<Transfer> delivered = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Transfer t = Fixtures.delivered(20 + i).transfer();
            delivered.add(t);
            store.answerNow(t);
        }
        for (int i = 0; i < 3; i++) {
            cached.find(delivered.get(i).id()).toCompletableFuture().join();
        }
        cached.find(delivered.get(0).id()).toCompletableFuture().join(); // the first is now the most recently read
        cached.find(delivered.get(3).id()).toCompletableFuture().join(); // pushes out the second
        assertThat(cached.size()).isEqualTo(3);
        cached.find(delivered.get(0).id()).toCompletableFuture().join();
        cached.find(delivered.get(1).id()).toCompletableFuture().join();
        assertThat(store.finds(delivered.get(0).id())).isEqualTo(1);
        assertThat(store.finds(delivered.get(1).id())).isEqualTo(2);
    }

    @Test
    void zeroEntriesTurnsTheCacheOff() {
        CachedTransferQueries cached = new CachedTransferQueries(store,
                new CachedTransferQueries.Settings(0, Duration.ofHours(1)), clock);
        Transfer t = Fixtures.delivered(30).transfer();
        store.answerNow(t);
        cached.find(t.id()).toCompletableFuture().join();
        cached.find(t.id()).toCompletableFuture().join();
        assertThat(store.finds(t.id())).isEqualTo(2);
    }

    @Test
    void deliveredTransfersReadBySourceTransactionAreRememberedToo() {
        CachedTransferQueries cached = new CachedTransferQueries(store, CachedTransferQueries.Settings.DEFAULT, clock);
        Transfer delivered = Fixtures.delivered(31).transfer();
        Transfer sent = Fixtures.sent(32, 1).transfer();
        store.bySourceTx = List.of(delivered, sent);
        cached.findBySourceTx(1001, TxHash.fromHex(Fixtures.SOURCE_TX)).toCompletableFuture().join();
        store.answerNow(delivered);
        store.answerNow(sent);
        cached.find(delivered.id()).toCompletableFuture().join();
        cached.find(sent.id()).toCompletableFuture().join();
        assertThat(store.finds(delivered.id())).isZero();
        assertThat(store.finds(sent.id())).isEqualTo(1);
    }

    /** A transfer of nonce {@code nonce} in {@code status}, moved there by the state machine's own events. */
    static Transfer inStatus(TransferStatus status, long nonce) {
        Fixtures.Stored s = Fixtures.sent(nonce, 0);
        java.time.Instant at = Fixtures.T0;
        TxHash tx = TxHash.fromHex(Fixtures.DEST_TX);
        return switch (status) {
            case SENT -> s.transfer();
            case REORGED -> Fixtures.reorged(nonce).transfer();
            case FINALIZED -> s.then(new TransferEvent.Finalized(12), at.plusSeconds(1)).transfer();
            case UNDERPAID -> s.then(new TransferEvent.Finalized(12), at.plusSeconds(1))
                    .then(new TransferEvent.Underpaid(java.math.BigInteger.ONE, java.math.BigInteger.TEN), at.plusSeconds(2)).transfer();
            case ATTESTED -> s.then(new TransferEvent.Finalized(12), at.plusSeconds(1))
                    .then(new TransferEvent.Attested(2), at.plusSeconds(2)).transfer();
            case SUBMITTED -> inStatusAfter(TransferStatus.ATTESTED, nonce, new TransferEvent.Submitted(tx, 1));
            case DELIVERED -> inStatusAfter(TransferStatus.SUBMITTED, nonce, new TransferEvent.Delivered(tx, 9));
            case FAILED -> inStatusAfter(TransferStatus.SUBMITTED, nonce, new TransferEvent.ExecutionFailed("reverted", tx));
            case UNDELIVERABLE -> inStatusAfter(TransferStatus.ATTESTED, nonce,
                    new TransferEvent.Undeliverable(io.courier.finality.DeliveryObstacle.values()[0], "too large"));
            case PARKED -> inStatusAfter(TransferStatus.ATTESTED, nonce, new TransferEvent.Parked("ops", "hold"));
        };
    }

    private static Transfer inStatusAfter(TransferStatus before, long nonce, TransferEvent event) {
        Transfer t = inStatus(before, nonce);
        return t.next(event, t.updatedAt().plusSeconds(1));
    }

    /** Counts finds per id; answers at once, later (a future the test completes), or by throwing. */
    static final class CountingQueries implements TransferQueries {
        private final Map<MessageId, AtomicInteger> finds = new ConcurrentHashMap<>();
        private final Map<MessageId, Transfer> now = new ConcurrentHashMap<>();
        private final Map<MessageId, CompletableFuture<Optional<Transfer>>> later = new ConcurrentHashMap<>();
        final List<MessageId> historyReads = new CopyOnWriteArrayList<>();
        final Map<MessageId, List<TransferHistoryEntry>> histories = new ConcurrentHashMap<>();
        volatile List<Transfer> bySourceTx = List.of();
        private volatile RuntimeException throwOnce;

        void answerNow(Transfer t) {
            later.remove(t.id());
            now.put(t.id(), t);
        }

        CompletableFuture<Optional<Transfer>> answerLater(MessageId id) {
            CompletableFuture<Optional<Transfer>> f = new CompletableFuture<>();
            later.put(id, f);
            return f;
        }

        void throwOnce(RuntimeException e) {
            throwOnce = e;
        }

        int finds(MessageId id) {
            AtomicInteger n = finds.get(id);
            return n == null ? 0 : n.get();
        }

        @Override
        public CompletionStage<Optional<Transfer>> find(MessageId id) {
            RuntimeException e = throwOnce;
            if (e != null) {
                throwOnce = null;
                throw e;
            }
            finds.computeIfAbsent(id, k -> new AtomicInteger()).incrementAndGet();
            CompletableFuture<Optional<Transfer>> f = later.get(id);
            return f != null ? f : CompletableFuture.completedFuture(Optional.ofNullable(now.get(id)));
        }

        @Override
        public CompletionStage<List<Transfer>> findBySourceTx(long chainId, TxHash txHash) {
            return CompletableFuture.completedFuture(bySourceTx);
        }

        @Override
        public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
            historyReads.add(id);
            return CompletableFuture.completedFuture(histories.getOrDefault(id, List.of()));
        }

        @Override
        public CompletionStage<AddressPage> byAddress(Address address, Optional<TransferStatus> status, int limit,
                                                      Optional<String> cursor) {
            return CompletableFuture.completedFuture(new AddressPage(List.of(), Optional.empty()));
        }
    }

}
