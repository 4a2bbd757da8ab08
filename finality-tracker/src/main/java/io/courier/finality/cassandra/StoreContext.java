package io.courier.finality.cassandra;

import io.courier.finality.store.StoreException;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BatchableStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.DefaultBatchType;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import java.util.Objects;

/**
 * What every Cassandra store shares: the session, the keyspace and the statement options. Statements are
 * prepared once, when a store is built; binding applies the consistency levels of {@link StoreOptions} and
 * marks plain reads and upserts idempotent (so the driver may retry them) and conditional writes not.
 */
final class StoreContext {

    final CqlSession session;
    final String keyspace;
    final StoreOptions options;
    private final String keyspaceCql;

    StoreContext(CqlSession session, String keyspace, StoreOptions options) {
        this.session = Objects.requireNonNull(session, "session");
        this.keyspace = Objects.requireNonNull(keyspace, "keyspace");
        this.options = Objects.requireNonNull(options, "options");
        this.keyspaceCql = CqlIdentifier.fromInternal(keyspace).asCql(true);
    }

    /** Prepares {@code cql}, in which {@code {ks}} stands for the keyspace. Blocks: call at construction only. */
    PreparedStatement prepare(String cql) {
        String statement = cql.replace("{ks}", keyspaceCql);
        try {
            return session.prepare(statement);
        } catch (RuntimeException e) {
            throw new StoreException("keyspace " + keyspace + ": cannot prepare [" + statement + "] (is the schema "
                    + "migrated? run CourierSchema.migrate() first): " + e.getMessage(), e, false);
        }
    }

    /** A read or an upsert: safe to retry. */
    BoundStatementBuilder idempotent(PreparedStatement statement) {
        return statement.boundStatementBuilder()
                .setConsistencyLevel(options.consistency())
                .setPageSize(options.pageSize())
                .setIdempotence(true);
    }

    /** A single conditional write (lightweight transaction): serial consistency, never retried blindly. */
    BoundStatementBuilder conditional(PreparedStatement statement) {
        return statement.boundStatementBuilder()
                .setConsistencyLevel(options.consistency())
                .setSerialConsistencyLevel(options.serialConsistency())
                .setIdempotence(false);
    }

    /** A conditional batch in one partition: one Paxos round, never retried blindly by the driver. */
    BatchStatement conditionalBatch(BatchableStatement<?>... statements) {
        return BatchStatement.newInstance(DefaultBatchType.LOGGED, statements)
                .setConsistencyLevel(options.consistency())
                .setSerialConsistencyLevel(options.serialConsistency())
                .setIdempotent(false);
    }

    /** Plain writes in one partition, applied together. */
    BatchStatement partitionBatch(BatchableStatement<?>... statements) {
        return BatchStatement.newInstance(DefaultBatchType.UNLOGGED, statements)
                .setConsistencyLevel(options.consistency())
                .setIdempotent(true);
    }
}
