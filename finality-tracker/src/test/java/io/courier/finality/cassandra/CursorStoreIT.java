package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.finality.ChainCursor;
import io.courier.finality.Fixtures;
import io.courier.finality.store.CursorStore;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@CassandraTest
class CursorStoreIT {

    private static CursorStore cursors;
    private static CqlSession session;
    private static String keyspace;

    @BeforeAll
    static void migrate(CqlSession cql, Keyspace ks) {
        CourierSchema.of(cql, ks.name()).migrate();
        session = cql;
        keyspace = ks.name();
        cursors = CassandraStores.prepare(cql, keyspace).cursors();
    }

    @Test
    void roundTrip() {
        ChainCursor cursor = new ChainCursor(1001, 12_345, Fixtures.hash(), 12_300, Instant.parse("2026-11-01T10:00:00.123Z"),
                Fixtures.hash());
        await(cursors.save(cursor));
        assertThat(await(cursors.load(1001))).contains(cursor);
        assertThat(await(cursors.load(1001)).orElseThrow().finalizedBlockHash()).contains(cursor.finalizedHash());
    }

    @Test
    void lastWriteWinsAndMayMoveBackAfterAReorg() {
        await(cursors.save(new ChainCursor(2002, 500, Fixtures.hash(), 480, Instant.parse("2026-11-01T10:00:00Z"))));
        ChainCursor rewound = new ChainCursor(2002, 495, Fixtures.hash(), 480, Instant.parse("2026-11-01T10:00:05Z"));
        await(cursors.save(rewound));
        assertThat(await(cursors.load(2002))).contains(rewound);
    }

    @Test
    void aHaltSurvivesAReloadAndProgressSavesUntilAResume() {
        ChainCursor cursor = new ChainCursor(4004, 900, Fixtures.hash(), 880, Instant.parse("2026-11-01T10:00:00Z"));
        await(cursors.save(cursor));
        assertThat(await(cursors.load(4004)).orElseThrow().halted()).isFalse();

        Instant haltedAt = Instant.parse("2026-11-01T10:05:00.250Z");
        String reason = "reorg of depth 14 replaced block 887 at or below finalized height 888";
        assertThat(await(cursors.halt(4004, reason, haltedAt))).isTrue();

        // another store instance (a restarted node) reads the halt back
        CursorStore reloaded = CassandraStores.prepare(session, keyspace).cursors();
        assertThat(await(reloaded.load(4004))).contains(cursor.haltedFor(reason, haltedAt));
        // a watcher saving progress does not clear it, even with a cursor that says "running"
        ChainCursor progress = new ChainCursor(4004, 905, Fixtures.hash(), 880, Instant.parse("2026-11-01T10:06:00Z"));
        await(reloaded.save(progress));
        assertThat(await(reloaded.load(4004)).orElseThrow()).isEqualTo(progress.haltedFor(reason, progress.updatedAt()));

        Instant resumedAt = Instant.parse("2026-11-01T11:00:00Z");
        assertThat(await(cursors.resume(4004, resumedAt))).isTrue();
        assertThat(await(CassandraStores.prepare(session, keyspace).cursors().load(4004))).contains(progress.resumedAt(resumedAt));
        assertThat(await(cursors.resume(4004, resumedAt))).isTrue(); // idempotent
    }

    @Test
    void haltingAChainWithoutACursorWritesNothing() {
        assertThat(await(cursors.halt(5005, "deep reorg", Instant.parse("2026-11-01T10:00:00Z")))).isFalse();
        assertThat(await(cursors.resume(5005, Instant.parse("2026-11-01T10:00:00Z")))).isFalse();
        assertThat(await(cursors.load(5005))).isEmpty();
    }

    @Test
    void cursorsWrittenBeforeSchemaVersion2ReadAsRunning() {
        session.execute("INSERT INTO chain_cursors (chain_id, last_scanned_block, last_scanned_hash, finalized_height, "
                + "updated_at) VALUES (6006, 10, ?, 5, ?)", Fixtures.hash(), Instant.parse("2026-11-01T10:00:00Z"));
        ChainCursor loaded = await(cursors.load(6006)).orElseThrow();
        assertThat(loaded.halted()).isFalse();
        assertThat(loaded.haltReason()).isNull();
    }

    @Test
    void unknownChainHasNoCursor() {
        assertThat(await(cursors.load(424242))).isEmpty();
    }

    @Test
    void subMillisecondTimesAreCutToWhatCassandraKeeps() {
        Instant precise = Instant.parse("2026-11-01T10:00:00.123456789Z");
        await(cursors.save(new ChainCursor(3003, 1, Fixtures.hash(), 0, precise)));
        assertThat(await(cursors.load(3003)).orElseThrow().updatedAt()).isEqualTo(Instant.parse("2026-11-01T10:00:00.123Z"));
    }
}
