package io.courier.finality.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.finality.store.CursorStore;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

@CassandraTest
class CourierSchemaIT {

    private static final Map<String, String> REPLICATION = Map.of("class", "SimpleStrategy", "replication_factor", "1");
    private static final List<String> TABLES = List.of("attestations", "chain_cursors", "gas_payments", "open_transfers", "pending_gas_payments", "schema_version", "transfers_by_address",
            "submissions", "transfers", "transfers_by_source_tx", "unfinalized_transfers");

    @Test
    void migratingTwiceAppliesOnceAndRecordsTheVersion(CqlSession session, Keyspace keyspace) {
        String ks = keyspace.name() + "_twice";
        CourierSchema schema = CourierSchema.of(session, ks).createKeyspace(REPLICATION).owner("node-a");

        CourierSchema.Result first = schema.migrate();
        CourierSchema.Result second = schema.migrate();

        assertThat(first).isEqualTo(new CourierSchema.Result(List.of(1, 2, 3, 4, 5), CourierSchema.LATEST_VERSION));
        assertThat(second).isEqualTo(new CourierSchema.Result(List.of(), CourierSchema.LATEST_VERSION));
        List<CourierSchema.AppliedMigration> rows = schema.appliedMigrations();
        assertThat(rows).hasSize(CourierSchema.MIGRATIONS.size());
        assertThat(rows).allMatch(CourierSchema.AppliedMigration::isApplied);
        CourierSchema.AppliedMigration v1 = rows.get(0);
        assertThat(v1.version()).isEqualTo(1);
        assertThat(v1.isApplied()).isTrue();
        assertThat(v1.owner()).isEqualTo("node-a");
        assertThat(v1.description()).isEqualTo(CourierSchema.MIGRATIONS.get(0).description());
        assertThat(v1.appliedAt()).isAfter(Instant.now().minusSeconds(120));
        assertThat(tables(session, ks)).containsExactlyInAnyOrderElementsOf(TABLES);
        assertThat(columns(session, ks, "chain_cursors")).contains("halted", "halt_reason", "finalized_hash");
        // and the stores can prepare against it
        CassandraStores.prepare(session, ks);
    }

    @Test
    void twoNodesStartingAtOnceApplyItOnce(LocalCassandra node, Keyspace keyspace) throws Exception {
        String ks = keyspace.name() + "_race";
        try (CqlSession a = node.newSession(); CqlSession b = node.newSession()) {
            CompletableFuture<CourierSchema.Result> first = CompletableFuture.supplyAsync(
                    () -> CourierSchema.of(a, ks).createKeyspace(REPLICATION).owner("node-a").migrate());
            CompletableFuture<CourierSchema.Result> second = CompletableFuture.supplyAsync(
                    () -> CourierSchema.of(b, ks).createKeyspace(REPLICATION).owner("node-b").migrate());
            CourierSchema.Result ra = first.get(120, TimeUnit.SECONDS);
            CourierSchema.Result rb = second.get(120, TimeUnit.SECONDS);

            assertThat(ra.version()).isEqualTo(CourierSchema.LATEST_VERSION);
            assertThat(rb.version()).isEqualTo(CourierSchema.LATEST_VERSION);
            // each migration is applied exactly once, by whichever node claimed it first (one node may take
            // migration 1 and the other migration 2: that interleaving is legitimate)
            List<Integer> applied = new java.util.ArrayList<>(ra.appliedNow());
            applied.addAll(rb.appliedNow());
            assertThat(applied).containsExactlyInAnyOrder(1, 2, 3, 4, 5);
            assertThat(tables(a, ks)).containsExactlyInAnyOrderElementsOf(TABLES);
        }
    }

    @Test
    void aClaimLeftByADeadNodeIsTakenOverAfterItsLease(CqlSession session, Keyspace keyspace) {
        String ks = keyspace.name() + "_takeover";
        CourierSchema schema = CourierSchema.of(session, ks).createKeyspace(REPLICATION);
        List<Migration> probe = List.of(new Migration(1, "probe table", List.of(
                "CREATE TABLE IF NOT EXISTS {ks}.probe (id int PRIMARY KEY)")));
        // create the keyspace and schema_version, then fake a claim by a node that died a while ago
        schema.withMigrations(List.of()).migrate();
        session.execute("INSERT INTO " + ks + ".schema_version (version, description, state, owner, claimed_at) "
                + "VALUES (1, 'probe table', 'APPLYING', 'dead-node', ?)", Instant.now().minusSeconds(600));

        CourierSchema.Result result = schema.withMigrations(probe).owner("node-b")
                .timing(Duration.ofSeconds(60), Duration.ofSeconds(30)).migrate();

        assertThat(result.appliedNow()).containsExactly(1);
        assertThat(schema.appliedMigrations().get(0).owner()).isEqualTo("node-b");
        assertThat(tables(session, ks)).contains("probe");
    }

    @Test
    void aLiveClaimIsWaitedForNotTakenOver(CqlSession session, Keyspace keyspace) throws Exception {
        String ks = keyspace.name() + "_wait";
        CourierSchema schema = CourierSchema.of(session, ks).createKeyspace(REPLICATION);
        List<Migration> probe = List.of(new Migration(1, "probe table", List.of(
                "CREATE TABLE IF NOT EXISTS {ks}.probe (id int PRIMARY KEY)")));
        schema.withMigrations(List.of()).migrate();
        session.execute("INSERT INTO " + ks + ".schema_version (version, description, state, owner, claimed_at) "
                + "VALUES (1, 'probe table', 'APPLYING', 'busy-node', ?)", Instant.now());

        CompletableFuture<CourierSchema.Result> waiting = CompletableFuture.supplyAsync(() ->
                schema.withMigrations(probe).owner("node-b").timing(Duration.ofMinutes(5), Duration.ofSeconds(30)).migrate());
        Thread.sleep(1_000);
        assertThat(waiting).isNotDone();
        // the busy node finishes
        session.execute("CREATE TABLE IF NOT EXISTS " + ks + ".probe (id int PRIMARY KEY)");
        session.execute("UPDATE " + ks + ".schema_version SET state = 'APPLIED', applied_at = toTimestamp(now()) "
                + "WHERE version = 1 IF owner = 'busy-node'");

        CourierSchema.Result result = waiting.get(30, TimeUnit.SECONDS);
        assertThat(result.appliedNow()).isEmpty();
        assertThat(result.version()).isEqualTo(1);
    }

    @Test
    void laterVersionsUpgradeAVersion1KeyspaceAndAreSafeToRunAgain(CqlSession session, Keyspace keyspace) {
        String ks = keyspace.name() + "_upgrade";
        CourierSchema schema = CourierSchema.of(session, ks).createKeyspace(REPLICATION).owner("node-a");
        // a keyspace of the previous release, with a cursor in it
        assertThat(schema.withMigrations(CourierSchema.MIGRATIONS.subList(0, 1)).migrate().appliedNow()).containsExactly(1);
        session.execute("INSERT INTO " + ks + ".chain_cursors (chain_id, last_scanned_block, last_scanned_hash, "
                + "finalized_height, updated_at) VALUES (1, 10, ?, 5, toTimestamp(now()))", "0x" + "ab".repeat(32));

        assertThat(schema.migrate()).isEqualTo(new CourierSchema.Result(List.of(2, 3, 4, 5), 5));
        // a node that took over a stale claim re-runs the statements: ADD IF NOT EXISTS makes that harmless
        for (Migration m : CourierSchema.MIGRATIONS.subList(1, CourierSchema.MIGRATIONS.size())) {
            for (String statement : m.statementsFor(ks)) {
                session.execute(statement);
            }
        }
        assertThat(columns(session, ks, "chain_cursors")).contains("halted", "halt_reason", "finalized_hash");
        CursorStore cursors = CassandraStores.prepare(session, ks).cursors();
        assertThat(Stages.await(cursors.load(1)).orElseThrow().halted()).isFalse();
    }

    private static List<String> columns(CqlSession session, String keyspace, String table) {
        return session.execute("SELECT column_name FROM system_schema.columns WHERE keyspace_name = ? AND table_name = ?",
                keyspace, table).all().stream().map(r -> r.getString("column_name")).toList();
    }

    private static List<String> tables(CqlSession session, String keyspace) {
        return session.execute("SELECT table_name FROM system_schema.tables WHERE keyspace_name = ?", keyspace).all()
                .stream().map(r -> r.getString("table_name")).toList();
    }
}
