package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The shared reader behind the events streams, over a counting fake store and a hand-driven ticker. */
class TransferFeedTest {

    private final CachedTransferQueriesTest.CountingQueries store = new CachedTransferQueriesTest.CountingQueries();
    private final ManualTicker ticker = new ManualTicker();
    private final TransferFeed feed = new TransferFeed(store, Duration.ofSeconds(1), ticker, 4);

    @Test
    void manyStreamsOfOneTransferCostOneReadPerRoundAndItsHistoryOnlyWhenItChanged() {
        Fixtures.Stored s = Fixtures.sent(70, 0);
        put(s);
        List<Recorder> streams = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            Recorder r = new Recorder();
            streams.add(r);
            feed.watch(new TransferFeed.ById(s.transfer().id()), r);
        }
        MessageId id = s.transfer().id();
        assertThat(store.finds(id)).as("the first read, started by the first stream").isEqualTo(1);
        for (int round = 0; round < 3; round++) {
            feed.pollOnce().toCompletableFuture().join();
        }
        assertThat(store.finds(id)).as("one read per round, whatever the number of streams").isEqualTo(4);
        assertThat(store.historyReads).as("the history is read when the transfer is new or changed only").hasSize(1);
        assertThat(streams).allSatisfy(r -> assertThat(r.statuses()).containsExactly(List.of(TransferStatus.SENT)));

        Fixtures.Stored finalized = s.then(new TransferEvent.Finalized(12), Fixtures.T0.plusSeconds(1));
        put(finalized);
        feed.pollOnce().toCompletableFuture().join();
        assertThat(store.historyReads).hasSize(2);
        assertThat(streams).allSatisfy(r -> assertThat(r.statuses())
                .containsExactly(List.of(TransferStatus.SENT), List.of(TransferStatus.FINALIZED)));
        assertThat(streams.get(0).updates.get(1).get(0).history()).hasSize(2);
    }

    @Test
    void aStreamJoiningAFollowedTransferGetsItsStateAtOnceWithoutARead() {
        Fixtures.Stored s = Fixtures.sent(71, 0);
        put(s);
        feed.watch(new TransferFeed.ById(s.transfer().id()), new Recorder());
        Recorder late = new Recorder();
        feed.watch(new TransferFeed.ById(s.transfer().id()), late);
        assertThat(late.statuses()).containsExactly(List.of(TransferStatus.SENT));
        assertThat(store.finds(s.transfer().id())).isEqualTo(1);
    }

    @Test
    void aTransferNotKnownYetIsReportedAsNothingThenAsSoonAsItAppears() {
        Fixtures.Stored s = Fixtures.sent(72, 0);
        Recorder r = new Recorder();
        feed.watch(new TransferFeed.ById(s.transfer().id()), r);
        feed.pollOnce().toCompletableFuture().join();
        assertThat(r.statuses()).containsExactly(List.of());
        put(s);
        feed.pollOnce().toCompletableFuture().join();
        assertThat(r.statuses()).containsExactly(List.of(), List.of(TransferStatus.SENT));
    }

    @Test
    void aSourceTransactionIsFollowedAsOneKeyWithAllItsTransfers() {
        Fixtures.Stored a = Fixtures.sent(73, 0);
        Fixtures.Stored b = Fixtures.sent(74, 1);
        Recorder r = new Recorder();
        feed.watch(new TransferFeed.BySourceTx(1001, TxHash.fromHex(Fixtures.SOURCE_TX)), r);
        put(a);
        store.bySourceTx = List.of(a.transfer());
        feed.pollOnce().toCompletableFuture().join();
        put(b);
        store.bySourceTx = List.of(a.transfer(), b.transfer());
        feed.pollOnce().toCompletableFuture().join();
        feed.pollOnce().toCompletableFuture().join();
        assertThat(r.statuses()).containsExactly(List.of(), List.of(TransferStatus.SENT),
                List.of(TransferStatus.SENT, TransferStatus.SENT));
    }

    @Test
    void aFailedReadTellsNobodyAndTheNextRoundReadsAgain() {
        Fixtures.Stored s = Fixtures.sent(75, 0);
        put(s);
        Recorder r = new Recorder();
        MessageId id = s.transfer().id();
        store.answerLater(id).completeExceptionally(new IllegalStateException("overloaded"));
        feed.watch(new TransferFeed.ById(id), r);
        assertThat(r.updates).isEmpty();
        store.answerNow(s.transfer());
        feed.pollOnce().toCompletableFuture().join();
        assertThat(r.statuses()).containsExactly(List.of(TransferStatus.SENT));
    }

    @Test
    void theFeedReadsOnlyWhileSomeoneFollowsAndDropsWhatNobodyFollows() {
        Fixtures.Stored s = Fixtures.sent(76, 0);
        put(s);
        TransferFeed.Subscription one = feed.watch(new TransferFeed.ById(s.transfer().id()), new Recorder());
        TransferFeed.Subscription two = feed.watch(new TransferFeed.ById(s.transfer().id()), new Recorder());
        assertThat(ticker.pending).hasSize(1);
        ticker.runNext(); // a round; someone still follows: the next is scheduled
        assertThat(ticker.pending).hasSize(1);
        one.cancel();
        assertThat(feed.watched()).isEqualTo(1);
        two.cancel();
        two.cancel();
        assertThat(feed.watched()).isZero();
        int reads = store.finds(s.transfer().id());
        ticker.runNext(); // the round finds nothing to read and does not schedule another
        assertThat(ticker.pending).isEmpty();
        assertThat(store.finds(s.transfer().id())).isEqualTo(reads);

        feed.watch(new TransferFeed.ById(s.transfer().id()), new Recorder());
        assertThat(ticker.pending).as("a new stream starts the rounds again").hasSize(1);
    }

    private void put(Fixtures.Stored s) {
        store.answerNow(s.transfer());
        store.histories.put(s.transfer().id(), s.history());
    }

    /** Records every update a stream would get. */
    private static final class Recorder implements TransferFeed.Listener {
        final List<List<EventCursor.Snapshot>> updates = new CopyOnWriteArrayList<>();

        @Override
        public void accept(List<EventCursor.Snapshot> snapshots) {
            updates.add(snapshots);
        }

        List<List<TransferStatus>> statuses() {
            return updates.stream().map(u -> u.stream().map(s -> s.transfer().status()).toList()).toList();
        }
    }

    /** Keeps scheduled tasks until the test runs them. */
    private static final class ManualTicker implements TransferFeed.Ticker {
        final List<Runnable> pending = new CopyOnWriteArrayList<>();

        @Override
        public void schedule(Duration delay, Runnable task) {
            pending.add(task);
        }

        void runNext() {
            pending.remove(0).run();
        }
    }

}
