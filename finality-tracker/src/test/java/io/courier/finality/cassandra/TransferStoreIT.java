package io.courier.finality.cassandra;

import static io.courier.finality.Fixtures.DST_CHAIN;
import static io.courier.finality.Fixtures.SRC_CHAIN;
import static io.courier.finality.Fixtures.T0;
import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;
import static org.assertj.core.api.Assertions.tuple;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Fixtures;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import io.courier.finality.TransitionRejectedException;
import io.courier.finality.store.AddressPage;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.finality.store.UnfinalizedTransfer;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@CassandraTest
class TransferStoreIT {

    /** Every test uses its own nonces, so transfers never collide within the class keyspace. */
    private static final AtomicLong NONCES = new AtomicLong(1);

    private static TransferStore store;
    private static TransferStore otherNode;
    private static CqlSession otherSession;
    private static CqlSession session;

    @BeforeAll
    static void migrate(CqlSession cql, Keyspace keyspace, LocalCassandra node) {
        CourierSchema.of(cql, keyspace.name()).migrate();
        session = cql;
        store = CassandraStores.prepare(cql, keyspace.name()).transfers();
        // a second "node": its own session and its own prepared statements
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
    void observingTwiceMakesOneTransfer() {
        Transfer t = observed(T0);
        assertThat(await(store.recordObserved(t))).isTrue();
        assertThat(await(store.recordObserved(t))).isFalse();
        assertThat(await(otherNode.recordObserved(Transfer.observed(t.message(), t.source(), 12, T0.plusSeconds(5)))))
                .isFalse();

        assertThat(await(store.find(t.id()))).contains(t);
        List<TransferHistoryEntry> history = await(store.history(t.id()));
        assertThat(history).containsExactly(new TransferHistoryEntry(T0, null, TransferStatus.SENT, t.observationCause()));
        assertThat(history.get(0).cause()).startsWith("observed in block 100 tx " + t.source().txHash());
    }

    @Test
    void happyPathWritesHistoryInOrderWithStageTimes() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));
        TxHash tx = Fixtures.txHash();
        TxHash bumped = Fixtures.txHash();

        Transfer finalized = applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), at(10)));
        assertThat(finalized.confirmationsSeen()).isEqualTo(12);
        applied(store.transition(t.id(), TransferStatus.FINALIZED, new TransferEvent.Attested(3), at(20)));
        applied(store.transition(t.id(), TransferStatus.ATTESTED, new TransferEvent.Submitted(tx, 41), at(30)));
        Transfer replaced = applied(store.transition(t.id(), TransferStatus.SUBMITTED,
                new TransferEvent.Replaced(bumped, 41), at(40)));
        assertThat(replaced.dstTxHash()).isEqualTo(bumped);
        Transfer delivered = applied(store.transition(t.id(), TransferStatus.SUBMITTED,
                new TransferEvent.Delivered(bumped, 900), at(50)));

        Transfer stored = await(store.find(t.id())).orElseThrow();
        assertThat(stored).isEqualTo(delivered);
        assertThat(stored.status()).isEqualTo(TransferStatus.DELIVERED);
        assertThat(stored.dstTxHash()).isEqualTo(bumped);
        assertThat(stored.updatedAt()).isEqualTo(at(50));
        assertThat(stored.stageTimes()).containsOnly(
                entry(TransferStatus.SENT, T0), entry(TransferStatus.FINALIZED, at(10)),
                entry(TransferStatus.ATTESTED, at(20)), entry(TransferStatus.SUBMITTED, at(30)),
                entry(TransferStatus.DELIVERED, at(50)));

        assertThat(await(store.history(t.id()))).extracting(TransferHistoryEntry::at, TransferHistoryEntry::from,
                TransferHistoryEntry::to).containsExactly(
                tuple(T0, null, TransferStatus.SENT),
                tuple(at(10), TransferStatus.SENT, TransferStatus.FINALIZED),
                tuple(at(20), TransferStatus.FINALIZED, TransferStatus.ATTESTED),
                tuple(at(30), TransferStatus.ATTESTED, TransferStatus.SUBMITTED),
                tuple(at(40), TransferStatus.SUBMITTED, TransferStatus.SUBMITTED),
                tuple(at(50), TransferStatus.SUBMITTED, TransferStatus.DELIVERED));
        assertThat(await(store.history(t.id())).get(5).cause()).isEqualTo("delivered by tx " + bumped + " in block 900");
    }

    @Test
    void wrongExpectedStatusIsAConflictAndWritesNothing() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));

        TransitionOutcome outcome = await(store.transition(t.id(), TransferStatus.FINALIZED,
                new TransferEvent.Attested(3), at(1)));

        assertThat(outcome).isEqualTo(new TransitionOutcome.Conflict(t.id(), TransferStatus.SENT));
        assertThat(await(store.history(t.id()))).hasSize(1);
        assertThat(await(store.find(t.id()))).contains(t);
    }

    @Test
    void forbiddenMoveFailsBeforeAnyWrite() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));

        assertThatThrownBy(() -> await(store.transition(t.id(), TransferStatus.SENT,
                new TransferEvent.Delivered(Fixtures.txHash(), 5), at(1))))
                .isInstanceOf(TransitionRejectedException.class)
                .hasMessageContaining(t.id().toHex()).hasMessageContaining("SENT").hasMessageContaining("Delivered");
        assertThat(await(store.history(t.id()))).hasSize(1);
    }

    @Test
    void unknownTransferIsNotFound() {
        MessageId unknown = Fixtures.message(NONCES.getAndIncrement()).id();
        assertThat(await(store.transition(unknown, TransferStatus.SENT, new TransferEvent.Finalized(1), at(1))))
                .isEqualTo(new TransitionOutcome.NotFound(unknown));
        assertThat(await(store.find(unknown))).isEmpty();
        assertThat(await(store.history(unknown))).isEmpty();
    }

    @Test
    void replayingAnAppliedEventIsReportedAsAlreadyApplied() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));
        applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), at(1)));

        // a restarted node replays its last step
        TransitionOutcome again = await(otherNode.transition(t.id(), TransferStatus.SENT,
                new TransferEvent.Finalized(12), at(2)));

        assertThat(again).isInstanceOf(TransitionOutcome.AlreadyApplied.class);
        assertThat(((TransitionOutcome.AlreadyApplied) again).current().status()).isEqualTo(TransferStatus.FINALIZED);
        assertThat(await(store.history(t.id()))).hasSize(2);
    }

    @Test
    void feeBumpReplacementIsAGuardedSelfLoop() {
        Transfer t = submitted(Fixtures.txHash());
        TxHash b = Fixtures.txHash();
        TxHash c = Fixtures.txHash();

        applied(store.transition(t.id(), TransferStatus.SUBMITTED, new TransferEvent.Replaced(b, 4), at(40)));
        assertThat(await(store.transition(t.id(), TransferStatus.SUBMITTED, new TransferEvent.Replaced(b, 4), at(41))))
                .isInstanceOf(TransitionOutcome.AlreadyApplied.class);
        applied(otherNode.transition(t.id(), TransferStatus.SUBMITTED, new TransferEvent.Replaced(c, 4), at(42)));

        assertThat(await(store.find(t.id())).orElseThrow().dstTxHash()).isEqualTo(c);
        assertThat(await(store.history(t.id())).stream().filter(e -> e.from() == TransferStatus.SUBMITTED)).hasSize(2);
    }

    @Test
    void concurrentTransitionsFromTheSameStatusApplyExactlyOnce() {
        for (int round = 0; round < 20; round++) {
            Transfer t = observed(T0);
            await(store.recordObserved(t));
            // two nodes decide differently at the same moment: finality on one, a reorg on the other
            CompletionStage<TransitionOutcome> a = store.transition(t.id(), TransferStatus.SENT,
                    new TransferEvent.Finalized(12), at(1));
            CompletionStage<TransitionOutcome> b = otherNode.transition(t.id(), TransferStatus.SENT,
                    new TransferEvent.Reorged("block hash changed at 100"), at(1));
            CompletionStage<TransitionOutcome> c = otherNode.transition(t.id(), TransferStatus.SENT,
                    new TransferEvent.Finalized(12), at(1));
            List<TransitionOutcome> outcomes = List.of(await(a), await(b), await(c));

            assertThat(outcomes).filteredOn(o -> o instanceof TransitionOutcome.Applied).as("round %d: %s", round, outcomes)
                    .hasSize(1);
            TransferStatus winner = await(store.find(t.id())).orElseThrow().status();
            for (TransitionOutcome o : outcomes) {
                if (o instanceof TransitionOutcome.Conflict conflict) {
                    assertThat(conflict.actual()).isEqualTo(winner);
                } else if (o instanceof TransitionOutcome.AlreadyApplied already) {
                    assertThat(already.current().status()).isEqualTo(winner);
                }
            }
            assertThat(await(store.history(t.id()))).as("round %d", round).hasSize(2);
        }
    }

    @Test
    void openTransfersLoseTheRowOnDelivery() {
        Instant created = Instant.parse("2026-10-05T23:59:00Z");
        Transfer t = submitted(Fixtures.txHash(), created);
        LocalDate day = LocalDate.of(2026, 10, 5);
        assertThat(await(store.open(DST_CHAIN, day, day))).extracting(Transfer::id).containsExactly(t.id());

        applied(store.transition(t.id(), TransferStatus.SUBMITTED,
                new TransferEvent.Delivered(t.dstTxHash(), 1000), created.plusSeconds(600)));

        assertThat(await(store.open(DST_CHAIN, day, day))).isEmpty();
        assertThat(countOpenRows(DST_CHAIN, day)).isZero();
    }

    @Test
    void failedTransfersStayOpenAndRetryClearsTheReason() {
        Instant created = Instant.parse("2026-10-06T08:00:00Z");
        Transfer t = submitted(Fixtures.txHash(), created);
        Transfer failed = applied(store.transition(t.id(), TransferStatus.SUBMITTED,
                new TransferEvent.ExecutionFailed("Gateway: recipient reverted", t.dstTxHash()), created.plusSeconds(60)));
        assertThat(failed.failure()).contains("Gateway: recipient reverted");
        LocalDate day = LocalDate.of(2026, 10, 6);
        assertThat(await(store.open(DST_CHAIN, day, day))).extracting(Transfer::status).containsExactly(TransferStatus.FAILED);

        Transfer retried = applied(store.transition(t.id(), TransferStatus.FAILED,
                new TransferEvent.RetryRequested("admin"), created.plusSeconds(120)));

        assertThat(retried.status()).isEqualTo(TransferStatus.ATTESTED);
        assertThat(await(store.find(t.id())).orElseThrow()).isEqualTo(retried);
        assertThat(retried.failure()).isEmpty();
    }

    @Test
    void openWalksDayBucketsOldestFirstUpToTheLimit() {
        long dst = 7_000 + NONCES.getAndIncrement();
        List<Transfer> made = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Instant created = Instant.parse("2026-09-0" + (i + 1) + "T12:00:00Z");
            Transfer t = Transfer.observed(Fixtures.message(SRC_CHAIN, dst, NONCES.getAndIncrement()),
                    Fixtures.source(100 + i), 12, created);
            await(store.recordObserved(t));
            made.add(t);
        }
        // one of them is finished: it leaves the index
        applied(store.transition(made.get(2).id(), TransferStatus.SENT, new TransferEvent.Reorged("gone"),
                made.get(2).createdAt().plusSeconds(1)));

        LocalDate from = LocalDate.of(2026, 8, 31);
        LocalDate to = LocalDate.of(2026, 9, 10);
        assertThat(await(store.open(dst, from, to))).extracting(Transfer::id)
                .containsExactly(made.get(0).id(), made.get(1).id(), made.get(3).id(), made.get(4).id());
        assertThat(await(store.open(dst, from, to, 2))).extracting(Transfer::id)
                .containsExactly(made.get(0).id(), made.get(1).id());
        assertThat(await(store.open(dst, LocalDate.of(2026, 9, 4), LocalDate.of(2026, 9, 4)))).extracting(Transfer::id)
                .containsExactly(made.get(3).id());
    }

    @Test
    void staleOpenRowsAreRepairedWhenRead() {
        Instant created = Instant.parse("2026-08-15T00:00:00Z");
        long dst = 8_000 + NONCES.getAndIncrement();
        Transfer t = Transfer.observed(Fixtures.message(SRC_CHAIN, dst, NONCES.getAndIncrement()), Fixtures.source(5), 12,
                created);
        await(store.recordObserved(t));
        applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Reorged("gone"), created.plusSeconds(1)));
        // a node stopped before its index clean-up: put the row back
        LocalDate day = LocalDate.ofInstant(created, ZoneOffset.UTC);
        session.execute("INSERT INTO open_transfers (dst_chain, day_bucket, created_at, message_id) VALUES (?, ?, ?, ?)",
                dst, day, created, ByteBuffer.wrap(t.id().bytes()));
        assertThat(countOpenRows(dst, day)).isEqualTo(1);

        assertThat(await(store.open(dst, day, day))).isEmpty();
        assertThat(countOpenRows(dst, day)).isZero();
    }

    @Test
    void unfinalizedLosesTheRowOnFinality() {
        long src = 9_000 + NONCES.getAndIncrement();
        Transfer a = Transfer.observed(Fixtures.message(src, DST_CHAIN, 1), Fixtures.source(200), 12, T0);
        Transfer b = Transfer.observed(Fixtures.message(src, DST_CHAIN, 2), Fixtures.source(201), 6, T0);
        await(store.recordObserved(a));
        await(store.recordObserved(b));
        assertThat(await(store.unfinalized(src))).containsExactly(
                new UnfinalizedTransfer(src, 200, a.id(), a.source().blockHash(), 12),
                new UnfinalizedTransfer(src, 201, b.id(), b.source().blockHash(), 6));
        assertThat(await(store.unfinalized(src, 201))).extracting(UnfinalizedTransfer::id).containsExactly(b.id());

        applied(store.transition(a.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), at(30)));

        assertThat(await(store.unfinalized(src))).extracting(UnfinalizedTransfer::id).containsExactly(b.id());
    }

    @Test
    void findsTransfersBySourceTransaction() {
        TxHash tx = Fixtures.txHash();
        BlockHash blockHash = Fixtures.blockHash();
        Transfer first = Transfer.observed(Fixtures.message(NONCES.getAndIncrement()),
                new SourceRef(tx, 300, blockHash, 4), 12, T0);
        Transfer second = Transfer.observed(Fixtures.message(NONCES.getAndIncrement()),
                new SourceRef(tx, 300, blockHash, 9), 12, T0);
        await(store.recordObserved(second));
        await(store.recordObserved(first));

        assertThat(await(store.findBySourceTx(SRC_CHAIN, tx))).containsExactly(first, second);
        assertThat(await(store.findBySourceTx(SRC_CHAIN, TxHash.fromHex(tx.toHex().toUpperCase().replace("0X", "0x"))))).hasSize(2);
        assertThat(await(store.findBySourceTx(SRC_CHAIN + 1, tx))).isEmpty();
        assertThat(await(store.findBySourceTx(SRC_CHAIN, Fixtures.txHash()))).isEmpty();
    }

    @Test
    void confirmationsAreAPlainUpdateWithoutHistory() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));
        await(store.updateConfirmations(t.id(), 5));
        assertThat(await(store.find(t.id())).orElseThrow().confirmationsSeen()).isEqualTo(5);
        assertThat(await(store.history(t.id()))).hasSize(1);
    }

    @Test
    void aStrayConfirmationUpdateDoesNotBlockTheObservation() {
        Transfer t = observed(T0);
        await(store.updateConfirmations(t.id(), 3)); // partition exists now, without a status
        assertThat(await(store.find(t.id()))).isEmpty();

        assertThat(await(store.recordObserved(t))).isTrue();
        assertThat(await(store.find(t.id())).orElseThrow().status()).isEqualTo(TransferStatus.SENT);
    }

    @Test
    void historyStaysInStatusOrderWhenClocksDisagree() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));
        // the node that finalizes has a clock 5 s behind the node that observed
        Transfer finalized = applied(otherNode.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12),
                T0.minusSeconds(5)));

        assertThat(finalized.updatedAt()).isEqualTo(T0.plusMillis(1));
        assertThat(await(store.history(t.id()))).extracting(TransferHistoryEntry::to)
                .containsExactly(TransferStatus.SENT, TransferStatus.FINALIZED);
    }

    @Test
    void underpaidAndTopUpRoundTrip() {
        Transfer t = observed(T0);
        await(store.recordObserved(t));
        applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), at(1)));
        applied(store.transition(t.id(), TransferStatus.FINALIZED,
                new TransferEvent.Underpaid(BigInteger.ONE, BigInteger.TEN), at(2)));
        Transfer toppedUp = applied(store.transition(t.id(), TransferStatus.UNDERPAID,
                new TransferEvent.TopUpSeen(BigInteger.TEN), at(3)));

        assertThat(toppedUp.status()).isEqualTo(TransferStatus.FINALIZED);
        assertThat(toppedUp.stageTime(TransferStatus.FINALIZED)).contains(at(3));
        assertThat(await(store.history(t.id())).get(2).cause()).isEqualTo("underpaid: paid 1 wei, quote 10 wei");
    }

    @Test
    void anAddressPagesNewestFirstAcrossMonthsWithACursorAndAFilter() {
        Address wallet = Address.fromHex("0x" + "5a".repeat(20));
        Address other = Address.fromHex("0x" + "6b".repeat(20));
        // five transfers over three months (Sept, Oct, Nov 2026), plus one in August beyond the look-back
        List<Transfer> mine = new java.util.ArrayList<>();
        for (Instant at : List.of(Instant.parse("2026-08-20T00:00:00Z"), Instant.parse("2026-09-03T10:00:00Z"),
                Instant.parse("2026-10-01T00:00:00Z"), Instant.parse("2026-10-31T23:59:59Z"),
                Instant.parse("2026-11-02T08:00:00Z"), Instant.parse("2026-11-15T09:30:00Z"))) {
            Transfer t = observed(at);
            await(store.indexAddresses(t, java.util.Set.of(Address.fromHex(wallet.toHex().toUpperCase().replace("0X", "0x")), Address.fromHex(t.message().sender()))));
            await(store.recordObserved(t));
            mine.add(t);
        }
        Transfer notMine = observed(Instant.parse("2026-11-10T00:00:00Z"));
        await(store.indexAddresses(notMine, java.util.Set.of(other)));
        await(store.recordObserved(notMine));
        java.time.YearMonth nov = java.time.YearMonth.of(2026, 11);

        AddressPage p1 = await(store.byAddress(wallet, nov, 3, java.util.Optional.empty(), 2, t -> true));
        assertThat(p1.transfers()).extracting(Transfer::id).containsExactly(mine.get(5).id(), mine.get(4).id());
        AddressPage p2 = await(store.byAddress(wallet, nov, 3, p1.next(), 2, t -> true));
        assertThat(p2.transfers()).extracting(Transfer::id).containsExactly(mine.get(3).id(), mine.get(2).id());
        AddressPage p3 = await(otherNode.byAddress(wallet, nov, 3, p2.next(), 2, t -> true));
        assertThat(p3.transfers()).extracting(Transfer::id).containsExactly(mine.get(1).id()); // August is out of range
        assertThat(p3.next()).isEmpty();

        // a filter keeps only what matches, the cursor still moves over the rest
        Transfer finalized = applied(store.transition(mine.get(3).id(), TransferStatus.SENT, new TransferEvent.Finalized(12),
                Instant.parse("2026-11-20T00:00:00Z")));
        AddressPage onlyFinalized = await(store.byAddress(wallet, nov, 3, java.util.Optional.empty(), 5,
                t -> t.status() == TransferStatus.FINALIZED));
        assertThat(onlyFinalized.transfers()).containsExactly(finalized);
        assertThat(await(store.byAddress(other, nov, 3, java.util.Optional.empty(), 5, t -> true)).transfers())
                .extracting(Transfer::id).containsExactly(notMine.id());
        assertThatThrownBy(() -> await(store.byAddress(wallet, nov, 3, java.util.Optional.of("page-2"), 2, t -> true)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("page-2");
    }

    @Test
    void aFilterThatSkipsMoreRowsThanAPageMayExamineGivesShortPagesWithCursorsThatReachTheMatches(Keyspace keyspace) {
        // a page of this store examines at most 5 index rows
        TransferStore bounded = CassandraStores.prepare(session, keyspace.name(), StoreOptions.defaults().maxAddressRows(5))
                .transfers();
        Address wallet = Address.fromHex("0x" + "7c".repeat(20));
        // twelve transfers in one month: the two oldest FINALIZED, the ten newer ones SENT
        List<Transfer> mine = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Transfer t = observed(Instant.parse("2026-11-01T00:00:00Z").plusSeconds(60L * i));
            await(store.indexAddresses(t, java.util.Set.of(wallet)));
            await(store.recordObserved(t));
            mine.add(i < 2 ? applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12),
                    Instant.parse("2026-11-20T00:00:00Z"))) : t);
        }
        java.time.YearMonth nov = java.time.YearMonth.of(2026, 11);
        java.util.function.Predicate<Transfer> finalized = t -> t.status() == TransferStatus.FINALIZED;

        // the ten SENT rows are newer: the first two pages examine five each, find nothing, and say where to go on
        AddressPage p1 = await(bounded.byAddress(wallet, nov, 1, Optional.empty(), 5, finalized));
        assertThat(p1.transfers()).isEmpty();
        assertThat(p1.next()).isPresent();
        AddressPage p2 = await(bounded.byAddress(wallet, nov, 1, p1.next(), 5, finalized));
        assertThat(p2.transfers()).isEmpty();
        assertThat(p2.next()).isPresent().isNotEqualTo(p1.next());
        AddressPage p3 = await(bounded.byAddress(wallet, nov, 1, p2.next(), 5, finalized));
        assertThat(p3.transfers()).containsExactly(mine.get(1), mine.get(0));
        assertThat(p3.next()).isEmpty();

        // without a filter the bound is never what ends a page: a full page of five, newest first
        assertThat(await(bounded.byAddress(wallet, nov, 1, Optional.empty(), 5, t -> true)).transfers())
                .extracting(Transfer::id).containsExactly(mine.get(11).id(), mine.get(10).id(), mine.get(9).id(),
                        mine.get(8).id(), mine.get(7).id());
    }

    // ------------------------------------------------------------------ helpers

    private static Transfer observed(Instant at) {
        return Fixtures.observed(NONCES.getAndIncrement(), 100, at);
    }

    private Transfer submitted(TxHash tx) {
        return submitted(tx, T0);
    }

    private Transfer submitted(TxHash tx, Instant created) {
        Transfer t = Fixtures.observed(NONCES.getAndIncrement(), 100, created);
        await(store.recordObserved(t));
        applied(store.transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(12), created.plusSeconds(1)));
        applied(store.transition(t.id(), TransferStatus.FINALIZED, new TransferEvent.Attested(3), created.plusSeconds(2)));
        return applied(store.transition(t.id(), TransferStatus.ATTESTED, new TransferEvent.Submitted(tx, 4),
                created.plusSeconds(3)));
    }

    private static long countOpenRows(long dst, LocalDate day) {
        return session.execute("SELECT count(*) FROM open_transfers WHERE dst_chain = ? AND day_bucket = ?", dst, day)
                .one().getLong(0);
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
