package io.courier.finality.cassandra;

import static io.courier.finality.Fixtures.DST_CHAIN;
import static io.courier.finality.Fixtures.T0;
import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.chain.message.TxHash;
import io.courier.finality.Fixtures;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.finality.store.UnfinalizedTransfer;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@link TransferStore#relocate} and {@link TransferStore#markReorged} (ADR 003) against a real Cassandra. */
@CassandraTest
class TransferRelocationIT {

    /** Every test uses its own source chain, so unfinalized rows never mix. */
    private static final AtomicLong CHAINS = new AtomicLong(50_000);

    private static CqlSession session;
    private static CqlSession otherSession;
    private static TransferStore store;
    private static TransferStore otherNode;

    @BeforeAll
    static void migrate(CqlSession cql, Keyspace keyspace, LocalCassandra node) {
        CourierSchema.of(cql, keyspace.name()).migrate();
        session = cql;
        store = CassandraStores.prepare(cql, keyspace.name()).transfers();
        otherSession = node.newSession(keyspace.name());
        otherNode = CassandraStores.prepare(otherSession, keyspace.name()).transfers();
    }

    @AfterAll
    static void closeOtherNode() {
        if (otherSession != null) {
            otherSession.close();
        }
    }

    @Test
    void aReincludedLogMovesTheTransferAndItsIndexRow() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 200, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        await(store.updateConfirmations(t.id(), 4));
        SourceRef reincluded = new SourceRef(t.source().txHash(), 202, Fixtures.blockHash(), 3);

        Transfer moved = applied(store.relocate(t.id(), reincluded, at(10)));

        assertThat(moved.status()).isEqualTo(TransferStatus.SENT);
        assertThat(moved.source()).isEqualTo(reincluded);
        assertThat(moved.confirmationsSeen()).isZero();
        assertThat(moved.stageTime(TransferStatus.SENT)).contains(T0);
        assertThat(await(store.find(t.id()))).contains(moved);
        List<TransferHistoryEntry> history = await(store.history(t.id()));
        assertThat(history).hasSize(2);
        assertThat(history.get(1)).isEqualTo(new TransferHistoryEntry(at(10), TransferStatus.SENT, TransferStatus.SENT,
                "reorg: moved from block 200 (" + t.source().blockHash() + ") to block 202 (" + reincluded.blockHash()
                        + "), log 0 -> 3"));
        assertThat(await(store.unfinalized(src))).containsExactly(
                new UnfinalizedTransfer(src, 202, t.id(), reincluded.blockHash(), 12));
        assertThat(await(store.findBySourceTx(src, t.source().txHash()))).containsExactly(moved);
    }

    @Test
    void aReinclusionAtTheSameHeightRewritesTheRowInPlace() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 300, Fixtures.blockHash(), 1));
        long src = t.message().srcChainId();
        SourceRef sibling = new SourceRef(t.source().txHash(), 300, Fixtures.blockHash(), 1);

        applied(store.relocate(t.id(), sibling, at(1)));

        assertThat(await(store.unfinalized(src))).containsExactly(
                new UnfinalizedTransfer(src, 300, t.id(), sibling.blockHash(), 12));
    }

    @Test
    void anotherTransactionMovesTheSourceTxRow() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 400, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        SourceRef otherTx = new SourceRef(Fixtures.txHash(), 401, Fixtures.blockHash(), 0);

        Transfer moved = applied(store.relocate(t.id(), otherTx, at(1)));

        assertThat(await(store.findBySourceTx(src, otherTx.txHash()))).containsExactly(moved);
        assertThat(await(store.findBySourceTx(src, t.source().txHash()))).isEmpty();
        assertThat(bySourceRows(src, t.source().txHash())).isZero();
        assertThat(await(store.history(t.id())).get(1).cause()).contains(", tx " + t.source().txHash() + " -> " + otherTx.txHash());
    }

    @Test
    void aReplayIsAlreadyAppliedAndOnlySentTransfersMove() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 500, Fixtures.blockHash(), 0));
        SourceRef b = new SourceRef(t.source().txHash(), 501, Fixtures.blockHash(), 0);
        Transfer moved = applied(store.relocate(t.id(), b, at(1)));

        assertThat(await(otherNode.relocate(t.id(), b, at(2)))).isEqualTo(new TransitionOutcome.AlreadyApplied(moved));

        Transfer finalized = applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), at(3)));
        // a late replay of the same move is still recognised; a move elsewhere is refused
        assertThat(await(store.relocate(t.id(), b, at(4)))).isEqualTo(new TransitionOutcome.AlreadyApplied(finalized));
        SourceRef c = new SourceRef(t.source().txHash(), 502, Fixtures.blockHash(), 0);
        assertThat(await(store.relocate(t.id(), c, at(4))))
                .isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.FINALIZED));
        assertThat(await(store.history(t.id()))).hasSize(3);

        Transfer unknown = Fixtures.observed(1, 100, T0);
        assertThat(await(store.relocate(unknown.id(), c, at(5)))).isEqualTo(new TransitionOutcome.NotFound(unknown.id()));
    }

    @Test
    void twoNodesRelocatingToDifferentBlocksOneWinsAndTheRowsFollowTheWinner() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 600, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        SourceRef b = new SourceRef(t.source().txHash(), 601, Fixtures.blockHash(), 0);
        SourceRef c = new SourceRef(t.source().txHash(), 602, Fixtures.blockHash(), 0);

        // both saw the log leave block 600 and move on; the guarded form names the block it moves from
        CompletableFuture<TransitionOutcome> first = store.transition(t.id(), TransferStatus.SENT,
                new TransferEvent.Relocated(t.source(), b), at(1)).toCompletableFuture();
        CompletableFuture<TransitionOutcome> second = otherNode.transition(t.id(), TransferStatus.SENT,
                new TransferEvent.Relocated(t.source(), c), at(1)).toCompletableFuture();
        List<TransitionOutcome> outcomes = List.of(await(first), await(second));

        assertThat(outcomes).filteredOn(o -> o instanceof TransitionOutcome.Applied).hasSize(1);
        assertThat(outcomes).filteredOn(o -> o instanceof TransitionOutcome.Conflict)
                .containsExactly(new TransitionOutcome.Conflict(t.id(), TransferStatus.SENT));
        Transfer now = await(store.find(t.id())).orElseThrow();
        assertThat(now.source()).isIn(b, c);
        assertThat(await(store.unfinalized(src))).containsExactly(
                new UnfinalizedTransfer(src, now.source().blockNumber(), t.id(), now.source().blockHash(), 12));
        assertThat(await(store.history(t.id()))).hasSize(2);
    }

    @Test
    void aRelocatedEventThroughTransitionIsGuardedByItsFromBlock() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 700, Fixtures.blockHash(), 0));
        SourceRef b = new SourceRef(t.source().txHash(), 701, Fixtures.blockHash(), 0);
        SourceRef notWhereItIs = new SourceRef(t.source().txHash(), 699, Fixtures.blockHash(), 0);

        assertThat(await(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Relocated(notWhereItIs, b), at(1))))
                .isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.SENT));
        Transfer moved = applied(store.transition(t.id(), TransferStatus.SENT,
                new TransferEvent.Relocated(t.source(), b), at(2)));
        assertThat(moved.source()).isEqualTo(b);
    }

    @Test
    void markReorgedMovesASentTransferInTheRowsBlock() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 800, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        UnfinalizedTransfer row = await(store.unfinalized(src)).get(0);

        Transfer reorged = applied(store.markReorged(row, new TransferEvent.Reorged("block 800 orphaned"), at(1)));

        assertThat(reorged.status()).isEqualTo(TransferStatus.REORGED);
        assertThat(await(store.unfinalized(src))).isEmpty();
        assertThat(await(store.markReorged(row, new TransferEvent.Reorged("again"), at(2))))
                .isEqualTo(new TransitionOutcome.AlreadyApplied(reorged));
    }

    @Test
    void aReorgedTransferWhoseLogIsCanonicalAgainIsRevivedAsSentWithItsWorkRows() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 850, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        java.time.LocalDate day = java.time.LocalDate.ofInstant(t.createdAt(), java.time.ZoneOffset.UTC);
        UnfinalizedTransfer row = await(store.unfinalized(src)).get(0);
        applied(store.markReorged(row, new TransferEvent.Reorged("block 850 orphaned"), at(1)));
        assertThat(await(store.open(t.message().dstChainId(), day, day, 10_000))).extracting(Transfer::id).doesNotContain(t.id());
        // the same transaction, back from the mempool, mined in a later block
        SourceRef back = new SourceRef(t.source().txHash(), 857, Fixtures.blockHash(), 0);

        Transfer revived = applied(store.relocate(t.id(), back, at(2)));

        assertThat(revived.status()).isEqualTo(TransferStatus.SENT);
        assertThat(revived.source()).isEqualTo(back);
        assertThat(await(store.find(t.id()))).contains(revived);
        assertThat(await(store.unfinalized(src))).containsExactly(new UnfinalizedTransfer(src, 857, t.id(), back.blockHash(), 12));
        assertThat(await(store.open(t.message().dstChainId(), day, day, 10_000))).extracting(Transfer::id).contains(t.id());
        assertThat(await(store.history(t.id()))).extracting(TransferHistoryEntry::to)
                .containsExactly(TransferStatus.SENT, TransferStatus.REORGED, TransferStatus.SENT);
        // a replay is AlreadyApplied; a SENT transfer cannot be "revived" from REORGED
        assertThat(await(otherNode.relocate(t.id(), back, at(3)))).isEqualTo(new TransitionOutcome.AlreadyApplied(revived));
        assertThat(await(store.transition(t.id(), TransferStatus.REORGED,
                new TransferEvent.Relocated(back, new SourceRef(t.source().txHash(), 858, Fixtures.blockHash(), 0)), at(4))))
                .isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.SENT));
    }

    @Test
    void aStaleRowLeftByARelocationCannotReorgTheTransferAndIsRepaired() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 900, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        UnfinalizedTransfer oldRow = await(store.unfinalized(src)).get(0);
        SourceRef b = new SourceRef(t.source().txHash(), 903, Fixtures.blockHash(), 0);
        applied(store.relocate(t.id(), b, at(1)));
        // the clean-up of the old row was missed (the node stopped right after the relocation)
        insertUnfinalizedRow(oldRow);
        assertThat(await(store.unfinalized(src))).hasSize(2);

        assertThat(await(store.markReorged(oldRow, new TransferEvent.Reorged("block 900 orphaned"), at(2))))
                .isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.SENT));

        assertThat(await(store.find(t.id())).orElseThrow().status()).isEqualTo(TransferStatus.SENT);
        assertThat(await(store.unfinalized(src))).containsExactly(new UnfinalizedTransfer(src, 903, t.id(), b.blockHash(), 12));
    }

    @Test
    void aStaleRowAtTheSameHeightIsRewrittenNotDeleted() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 1_000, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        UnfinalizedTransfer oldRow = await(store.unfinalized(src)).get(0);
        SourceRef sibling = new SourceRef(t.source().txHash(), 1_000, Fixtures.blockHash(), 0);
        applied(store.relocate(t.id(), sibling, at(1)));
        insertUnfinalizedRow(oldRow); // as if the row had been read before the relocation rewrote it

        assertThat(await(store.markReorged(oldRow, new TransferEvent.Reorged("orphaned"), at(2))))
                .isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.SENT));

        assertThat(await(store.unfinalized(src))).containsExactly(
                new UnfinalizedTransfer(src, 1_000, t.id(), sibling.blockHash(), 12));
    }

    @Test
    void markReorgedLeavesTransfersThatMovedOnAlone() {
        Transfer t = observedIn(new SourceRef(Fixtures.txHash(), 1_100, Fixtures.blockHash(), 0));
        long src = t.message().srcChainId();
        UnfinalizedTransfer row = await(store.unfinalized(src)).get(0);
        applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), at(1)));
        insertUnfinalizedRow(row); // a clean-up that was missed

        assertThat(await(store.markReorged(row, new TransferEvent.Reorged("late"), at(2))))
                .isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.FINALIZED));
        assertThat(await(store.unfinalized(src))).isEmpty();
        Transfer unknown = Fixtures.observed(2, 100, T0);
        UnfinalizedTransfer orphanRow = new UnfinalizedTransfer(src, 5, unknown.id(), Fixtures.blockHash(), 12);
        assertThat(await(store.markReorged(orphanRow, new TransferEvent.Reorged("x"), at(3))))
                .isEqualTo(new TransitionOutcome.NotFound(unknown.id()));
    }

    // ------------------------------------------------------------------ helpers

    private static Transfer observedIn(SourceRef source) {
        long src = CHAINS.getAndIncrement();
        Transfer t = Transfer.observed(Fixtures.message(src, DST_CHAIN, 1), source, 12, T0);
        assertThat(await(store.recordObserved(t))).isTrue();
        return t;
    }

    private static void insertUnfinalizedRow(UnfinalizedTransfer row) {
        session.execute("INSERT INTO unfinalized_transfers (src_chain, block_number, message_id, block_hash, "
                + "confirmations_required) VALUES (?, ?, ?, ?, ?)", row.srcChain(), row.blockNumber(),
                ByteBuffer.wrap(row.id().bytes()), row.blockHash().toHex(), row.confirmationsRequired());
    }

    private static long bySourceRows(long src, TxHash tx) {
        return session.execute("SELECT count(*) FROM transfers_by_source_tx WHERE src_chain = ? AND src_tx_hash = ?",
                src, tx.toHex()).one().getLong(0);
    }

    private static Transfer applied(CompletionStage<TransitionOutcome> stage) {
        TransitionOutcome outcome = await(stage);
        assertThat(outcome).isInstanceOf(TransitionOutcome.Applied.class);
        return ((TransitionOutcome.Applied) outcome).updated();
    }

    private static Instant at(long seconds) {
        return T0.plusSeconds(seconds);
    }
}
