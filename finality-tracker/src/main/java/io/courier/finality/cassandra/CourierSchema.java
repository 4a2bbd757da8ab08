package io.courier.finality.cassandra;

import io.courier.finality.store.StoreException;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.ResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Courier's Cassandra schema and its migrations, applied in order and recorded in {@code schema_version}.
 *
 * <p><b>Safe when several nodes start at once.</b> Concurrent {@code CREATE TABLE} of the same table through
 * different coordinators can leave the cluster with two table ids for one table (a schema disagreement
 * Cassandra 5.0 does not heal by itself). So each migration is applied by one node only: the node that wins an
 * LWT claim on the migration's {@code schema_version} row ({@code INSERT ... IF NOT EXISTS}, state
 * {@code APPLYING}) runs the statements, waits for schema agreement and marks the row {@code APPLIED}; the
 * others wait for that. A claim older than the lease (its owner died) is taken over with another LWT; taking
 * over is harmless because every statement is idempotent ({@code IF NOT EXISTS}). The {@code schema_version}
 * table itself is created before any claim can exist, by every node, with a fixed table id derived from the
 * keyspace name, so concurrent creations agree.
 *
 * <p>{@link #migrate()} blocks (DDL waits for schema agreement): run it once at startup, before
 * {@link CassandraStores#prepare}, never on an actor's thread.
 */
public final class CourierSchema {

    private static final Logger log = LoggerFactory.getLogger(CourierSchema.class);

    static final String APPLYING = "APPLYING";
    static final String APPLIED = "APPLIED";
    private static final Duration POLL = Duration.ofMillis(250);

    /**
     * Every migration, oldest first. Append only: a released migration is never edited (nodes that applied it
     * would not see the change); add a new version instead.
     */
    public static final List<Migration> MIGRATIONS = List.of(
            new Migration(1, "transfers with history rows, work indexes, cursors, attestations, submissions", List.of(
                    // The transfer record lives in static columns, its history in clustering rows of the same
                    // partition: a status change and its history row go in one conditional batch (ADR 002).
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.transfers (
                        message_id blob,
                        event_time timeuuid,
                        status text static,
                        src_chain bigint static,
                        src_gateway text static,
                        msg_nonce bigint static,
                        dst_chain bigint static,
                        sender text static,
                        recipient text static,
                        payload blob static,
                        src_tx_hash text static,
                        src_block_number bigint static,
                        src_block_hash text static,
                        src_log_index int static,
                        confirmations_required int static,
                        confirmations_seen bigint static,
                        stage_times map<text, timestamp> static,
                        dst_tx_hash text static,
                        failure_reason text static,
                        created_at timestamp static,
                        updated_at timestamp static,
                        from_status text,
                        to_status text,
                        cause text,
                        PRIMARY KEY ((message_id), event_time)
                    ) WITH CLUSTERING ORDER BY (event_time ASC)""",
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.transfers_by_source_tx (
                        src_chain bigint,
                        src_tx_hash text,
                        message_id blob,
                        PRIMARY KEY ((src_chain, src_tx_hash), message_id)
                    )""",
                    // Index rows are hints checked against the transfer, so a row resurrected after a short
                    // gc_grace is harmless; a short gc_grace keeps the tombstones of departed rows few.
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.open_transfers (
                        dst_chain bigint,
                        day_bucket date,
                        created_at timestamp,
                        message_id blob,
                        PRIMARY KEY ((dst_chain, day_bucket), created_at, message_id)
                    ) WITH CLUSTERING ORDER BY (created_at ASC, message_id ASC) AND gc_grace_seconds = 86400""",
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.unfinalized_transfers (
                        src_chain bigint,
                        block_number bigint,
                        message_id blob,
                        block_hash text,
                        confirmations_required int,
                        PRIMARY KEY ((src_chain), block_number, message_id)
                    ) WITH CLUSTERING ORDER BY (block_number ASC, message_id ASC) AND gc_grace_seconds = 86400""",
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.chain_cursors (
                        chain_id bigint PRIMARY KEY,
                        last_scanned_block bigint,
                        last_scanned_hash text,
                        finalized_height bigint,
                        updated_at timestamp
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.attestations (
                        message_id blob,
                        validator text,
                        signature text,
                        signed_at timestamp,
                        PRIMARY KEY ((message_id), validator)
                    )""",
                    // One partition per 10,000 nonces of a signer: a busy signer's history never makes one
                    // unbounded partition. A fee bump is a second row with the same nonce.
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.submissions (
                        dst_chain bigint,
                        signer text,
                        nonce_bucket bigint,
                        nonce bigint,
                        tx_hash text,
                        message_ids frozen<list<blob>>,
                        max_fee_per_gas varint,
                        max_priority_fee_per_gas varint,
                        gas_limit bigint,
                        submitted_at timestamp,
                        replaced_by text,
                        raw_tx blob,
                        PRIMARY KEY ((dst_chain, signer, nonce_bucket), nonce, tx_hash)
                    ) WITH CLUSTERING ORDER BY (nonce ASC, tx_hash ASC)""")),
            // A chain halts when a reorg replaces a block treated as final (ADR 003). ADD IF NOT EXISTS (Cassandra
            // 4.1+) keeps the step idempotent when a node that took over a stale claim runs it again.
            new Migration(2, "chain halt state on chain_cursors", List.of(
                    "ALTER TABLE {ks}.chain_cursors ADD IF NOT EXISTS halted boolean",
                    "ALTER TABLE {ks}.chain_cursors ADD IF NOT EXISTS halt_reason text")),
            new Migration(3, "hash of the finalized block on chain_cursors", List.of(
                    "ALTER TABLE {ks}.chain_cursors ADD IF NOT EXISTS finalized_hash text")),
            new Migration(4, "transfers by address (sender, recipient, source transaction signer)", List.of("""
                    CREATE TABLE IF NOT EXISTS {ks}.transfers_by_address (
                        address text,
                        month text,
                        created_at timestamp,
                        message_id blob,
                        PRIMARY KEY ((address, month), created_at, message_id)
                    ) WITH CLUSTERING ORDER BY (created_at DESC, message_id DESC)""")),
            // Issue 11: what each message paid (GasPaid logs) and was charged. A payment counts once its block is final:
            // until then it waits in pending_gas_payments, indexed like unfinalized_transfers; gas_payments is
            // append-only, one row per (transaction, log index), the charge fixed at finality in static columns.
            new Migration(5, "gas payments: pending by source block, final by message, with the charge", List.of(
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.gas_payments (
                        message_id blob,
                        tx_hash text,
                        log_index bigint,
                        src_chain bigint,
                        block_number bigint,
                        block_hash text,
                        amount varint,
                        recorded_at timestamp,
                        charge_mode text static,
                        charge_required varint static,
                        charge_threshold varint static,
                        charge_gas_limit bigint static,
                        charged_at timestamp static,
                        PRIMARY KEY ((message_id), tx_hash, log_index)
                    )""",
                    """
                    CREATE TABLE IF NOT EXISTS {ks}.pending_gas_payments (
                        src_chain bigint,
                        block_number bigint,
                        tx_hash text,
                        log_index bigint,
                        block_hash text,
                        message_id blob,
                        amount varint,
                        PRIMARY KEY ((src_chain), block_number, tx_hash, log_index, block_hash)
                    ) WITH CLUSTERING ORDER BY (block_number ASC, tx_hash ASC, log_index ASC, block_hash ASC)
                      AND gc_grace_seconds = 86400""")));

    /** The version of the newest migration this code knows. */
    public static final int LATEST_VERSION = MIGRATIONS.get(MIGRATIONS.size() - 1).version();

    /** One row of {@code schema_version}. */
    public record AppliedMigration(int version, String description, String state, String owner,
                                   Instant claimedAt, Instant appliedAt) {
        public boolean isApplied() {
            return APPLIED.equals(state);
        }
    }

    /** What {@link #migrate()} found and did: the versions this call applied, and the schema's version now. */
    public record Result(List<Integer> appliedNow, int version) {
        public Result {
            appliedNow = List.copyOf(appliedNow);
        }
    }

    private final CqlSession session;
    private final String keyspace;
    private final String ks;
    private final Map<String, String> replication;
    private final String owner;
    private final Duration lease;
    private final Duration timeout;
    private final Clock clock;
    private final List<Migration> migrations;

    private CourierSchema(CqlSession session, String keyspace, Map<String, String> replication, String owner,
                          Duration lease, Duration timeout, Clock clock, List<Migration> migrations) {
        this.session = Objects.requireNonNull(session, "session");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.ks = CqlIdentifier.fromInternal(keyspace).asCql(true);
        this.replication = replication;
        this.owner = Objects.requireNonNull(owner, "owner");
        this.lease = lease;
        this.timeout = timeout;
        this.clock = clock;
        this.migrations = checkOrder(migrations);
    }

    /** The schema in {@code keyspace}, which must exist unless {@link #createKeyspace} is asked for. */
    public static CourierSchema of(CqlSession session, String keyspace) {
        return new CourierSchema(session, keyspace, null, defaultOwner(), Duration.ofMinutes(2), Duration.ofMinutes(5),
                Clock.systemUTC(), MIGRATIONS);
    }

    /**
     * Also create the keyspace ({@code IF NOT EXISTS}) with this replication, e.g.
     * {@code Map.of("class", "NetworkTopologyStrategy", "dc1", "3")}. Replication is the operator's choice, so
     * there is no default; an existing keyspace keeps its settings.
     */
    public CourierSchema createKeyspace(Map<String, String> replication) {
        if (replication == null || !replication.containsKey("class")) {
            throw new IllegalArgumentException("keyspace " + keyspace + ": replication needs a 'class', got " + replication);
        }
        return new CourierSchema(session, keyspace, Map.copyOf(replication), owner, lease, timeout, clock, migrations);
    }

    /** Who this node is in {@code schema_version.owner} (default: pid@host plus a random suffix). */
    public CourierSchema owner(String owner) {
        return new CourierSchema(session, keyspace, replication, owner, lease, timeout, clock, migrations);
    }

    /**
     * How long a claim may stay {@code APPLYING} before another node takes it over, and how long {@link #migrate}
     * waits for other nodes in total.
     */
    public CourierSchema timing(Duration lease, Duration timeout) {
        return new CourierSchema(session, keyspace, replication, owner, lease, timeout, clock, migrations);
    }

    /** Another list of migrations (tests of the runner itself); the same rules apply. */
    CourierSchema withMigrations(List<Migration> migrations) {
        return new CourierSchema(session, keyspace, replication, owner, lease, timeout, clock, migrations);
    }

    public String keyspace() {
        return keyspace;
    }

    /**
     * Brings the schema to {@link #LATEST_VERSION}: creates the keyspace if asked, then applies, in order, every
     * migration not yet recorded as applied. Idempotent; safe to run from several nodes at once. Blocks.
     *
     * @throws StoreException naming the keyspace and version when a statement fails or another node's claim
     *                        neither completes nor expires within the timeout
     */
    public Result migrate() {
        if (replication != null) {
            execute(ddl("CREATE KEYSPACE IF NOT EXISTS " + ks + " WITH replication = " + replicationCql()), "create keyspace");
        }
        execute(ddl("CREATE TABLE IF NOT EXISTS " + ks + ".schema_version ("
                + "version int PRIMARY KEY, description text, state text, owner text, claimed_at timestamp, "
                + "applied_at timestamp) WITH ID = " + versionTableId()), "create schema_version");
        List<Integer> appliedNow = new ArrayList<>();
        for (Migration migration : migrations) {
            if (applyOne(migration)) {
                appliedNow.add(migration.version());
            }
        }
        int version = appliedMigrations().stream().filter(AppliedMigration::isApplied)
                .mapToInt(AppliedMigration::version).max().orElse(0);
        if (!appliedNow.isEmpty()) {
            log.info("keyspace {}: applied schema migrations {}, schema version {}", keyspace, appliedNow, version);
        }
        return new Result(appliedNow, version);
    }

    /** The rows of {@code schema_version}, by version (read with serial consistency: claims are LWTs). */
    public List<AppliedMigration> appliedMigrations() {
        ResultSet rs = execute(SimpleStatement.newInstance("SELECT version, description, state, owner, claimed_at, "
                + "applied_at FROM " + ks + ".schema_version").setConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL),
                "read schema_version");
        List<AppliedMigration> rows = new ArrayList<>();
        for (Row row : rs) {
            rows.add(toApplied(row));
        }
        rows.sort((a, b) -> Integer.compare(a.version(), b.version()));
        return rows;
    }

    /** Applies one migration unless it is recorded; returns whether this node applied it. */
    private boolean applyOne(Migration migration) {
        Instant deadline = clock.instant().plus(timeout);
        boolean appliedByUs = false;
        while (true) {
            Optional<AppliedMigration> row = read(migration.version());
            if (row.isPresent() && row.get().isApplied()) {
                return appliedByUs;
            }
            boolean claimed;
            if (row.isEmpty()) {
                claimed = execute(lwt("INSERT INTO " + ks + ".schema_version "
                        + "(version, description, state, owner, claimed_at) VALUES (?, ?, ?, ?, ?) IF NOT EXISTS",
                        migration.version(), migration.description(), APPLYING, owner, clock.instant()),
                        "claim migration " + migration.version()).wasApplied();
            } else if (owner.equals(row.get().owner()) || isExpired(row.get())) {
                AppliedMigration stale = row.get();
                claimed = execute(lwt("UPDATE " + ks + ".schema_version SET owner = ?, "
                        + "claimed_at = ? WHERE version = ? IF state = ? AND owner = ?",
                        owner, clock.instant(), migration.version(), APPLYING, stale.owner()),
                        "take over migration " + migration.version()).wasApplied();
                if (claimed && !owner.equals(stale.owner())) {
                    log.warn("keyspace {}: took over schema migration {} from {} (claimed at {}, lease {})",
                            keyspace, migration.version(), stale.owner(), stale.claimedAt(), lease);
                }
            } else {
                claimed = false;
            }
            if (claimed) {
                try {
                    run(migration);
                } catch (RuntimeException e) {
                    release(migration);
                    throw e;
                }
                appliedByUs = execute(lwt("UPDATE " + ks + ".schema_version SET state = ?, "
                        + "applied_at = ? WHERE version = ? IF owner = ?", APPLIED, clock.instant(),
                        migration.version(), owner), "record migration " + migration.version()).wasApplied();
                continue; // re-read: if someone took over meanwhile, wait for them to record it
            }
            if (clock.instant().isAfter(deadline)) {
                throw new StoreException("keyspace " + keyspace + ": schema migration " + migration.version()
                        + " is still claimed by " + row.map(AppliedMigration::owner).orElse("?") + " after " + timeout
                        + "; if that node is gone, the claim expires after " + lease);
            }
            sleep(migration);
        }
    }

    private void run(Migration migration) {
        log.info("keyspace {}: applying schema migration {} ({})", keyspace, migration.version(), migration.description());
        for (String statement : migration.statementsFor(ks)) {
            execute(ddl(statement), "migration " + migration.version());
        }
        if (!session.checkSchemaAgreement()) {
            log.warn("keyspace {}: schema not in agreement after migration {}; the driver will keep checking",
                    keyspace, migration.version());
        }
    }

    /** Gives up our claim after a failed statement, so the next node need not wait for the lease. */
    private void release(Migration migration) {
        try {
            session.execute(lwt("DELETE FROM " + ks + ".schema_version WHERE version = ? IF owner = ?",
                    migration.version(), owner));
        } catch (RuntimeException e) {
            log.warn("keyspace {}: could not release the claim on migration {}; it expires after {}",
                    keyspace, migration.version(), lease, e);
        }
    }

    private Optional<AppliedMigration> read(int version) {
        Row row = execute(SimpleStatement.newInstance("SELECT version, description, state, owner, claimed_at, "
                + "applied_at FROM " + ks + ".schema_version WHERE version = ?", version)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL), "read migration " + version).one();
        return Optional.ofNullable(row).map(CourierSchema::toApplied);
    }

    private boolean isExpired(AppliedMigration row) {
        return row.claimedAt() == null || row.claimedAt().plus(lease).isBefore(clock.instant());
    }

    private static AppliedMigration toApplied(Row row) {
        return new AppliedMigration(row.getInt("version"), row.getString("description"), row.getString("state"),
                row.getString("owner"), row.getInstant("claimed_at"), row.getInstant("applied_at"));
    }

    private ResultSet execute(SimpleStatement statement, String what) {
        try {
            return session.execute(statement);
        } catch (RuntimeException e) {
            throw new StoreException("keyspace " + keyspace + ": " + what + " failed: " + e.getMessage(), e, false);
        }
    }

    /** A conditional write on {@code schema_version}, kept in the local data center like the serial reads. */
    private static SimpleStatement lwt(String cql, Object... values) {
        return SimpleStatement.newInstance(cql, values)
                .setConsistencyLevel(ConsistencyLevel.LOCAL_QUORUM)
                .setSerialConsistencyLevel(ConsistencyLevel.LOCAL_SERIAL);
    }

    private static SimpleStatement ddl(String cql) {
        return SimpleStatement.newInstance(cql).setTimeout(Duration.ofSeconds(30));
    }

    private String replicationCql() {
        return replication.entrySet().stream()
                .map(e -> quote(e.getKey()) + ": " + quote(e.getValue()))
                .collect(Collectors.joining(", ", "{", "}"));
    }

    private static String quote(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    /** The same on every node, so concurrent creations of {@code schema_version} agree on the table id. */
    private String versionTableId() {
        return UUID.nameUUIDFromBytes(("courier:" + keyspace + ".schema_version").getBytes(StandardCharsets.UTF_8)).toString();
    }

    private void sleep(Migration migration) {
        try {
            Thread.sleep(POLL.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("keyspace " + keyspace + ": interrupted waiting for schema migration "
                    + migration.version());
        }
    }

    private static List<Migration> checkOrder(List<Migration> migrations) {
        for (int i = 0; i < migrations.size(); i++) {
            if (migrations.get(i).version() != i + 1) {
                throw new IllegalArgumentException("migrations must be numbered 1, 2, 3, ... in order; position " + i
                        + " holds version " + migrations.get(i).version());
            }
        }
        return List.copyOf(migrations);
    }

    private static String defaultOwner() {
        return ManagementFactory.getRuntimeMXBean().getName() + "/" + UUID.randomUUID().toString().substring(0, 8);
    }
}
