package io.courier.finality.store;

import static io.courier.finality.store.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.finality.ChainCursor;
import io.courier.finality.Fixtures;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import java.time.Instant;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@CassandraTest
class CursorStoreIT {

    private static CursorStore cursors;

    @BeforeAll
    static void migrate(CqlSession session, Keyspace keyspace) {
        CourierSchema.of(session, keyspace.name()).migrate();
        cursors = CassandraStores.prepare(session, keyspace.name()).cursors();
    }

    @Test
    void roundTrip() {
        ChainCursor cursor = new ChainCursor(1001, 12_345, Fixtures.hash(), 12_300, Instant.parse("2026-11-01T10:00:00.123Z"));
        await(cursors.save(cursor));
        assertThat(await(cursors.load(1001))).contains(cursor);
    }

    @Test
    void lastWriteWinsAndMayMoveBackAfterAReorg() {
        await(cursors.save(new ChainCursor(2002, 500, Fixtures.hash(), 480, Instant.parse("2026-11-01T10:00:00Z"))));
        ChainCursor rewound = new ChainCursor(2002, 495, Fixtures.hash(), 480, Instant.parse("2026-11-01T10:00:05Z"));
        await(cursors.save(rewound));
        assertThat(await(cursors.load(2002))).contains(rewound);
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
