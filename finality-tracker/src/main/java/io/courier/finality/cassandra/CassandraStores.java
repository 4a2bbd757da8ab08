package io.courier.finality.cassandra;

import io.courier.finality.store.AttestationStore;
import io.courier.finality.store.CursorStore;
import io.courier.finality.store.GasPaymentStore;
import io.courier.finality.store.SubmissionStore;
import io.courier.finality.store.TransferStore;

import com.datastax.oss.driver.api.core.CqlSession;

/**
 * The Cassandra stores of one keyspace, their statements prepared once. Build it at startup, after
 * {@link CourierSchema#migrate()} (preparing needs the tables), and share it: the stores are thread-safe and
 * hold no state besides prepared statements. The session stays the caller's to close.
 *
 * <pre>{@code
 * CourierSchema.of(session, "courier").migrate();
 * CassandraStores stores = CassandraStores.prepare(session, "courier");
 * stores.transfers().recordObserved(transfer);
 * }</pre>
 */
public final class CassandraStores {

    private final CassandraTransferStore transfers;
    private final CassandraCursorStore cursors;
    private final CassandraAttestationStore attestations;
    private final CassandraSubmissionStore submissions;
    private final CassandraGasPaymentStore payments;

    private CassandraStores(StoreContext ctx) {
        transfers = new CassandraTransferStore(ctx);
        cursors = new CassandraCursorStore(ctx);
        attestations = new CassandraAttestationStore(ctx);
        submissions = new CassandraSubmissionStore(ctx);
        payments = new CassandraGasPaymentStore(ctx);
    }

    /** Prepares every statement against {@code keyspace} with {@link StoreOptions#defaults()}. Blocks. */
    public static CassandraStores prepare(CqlSession session, String keyspace) {
        return prepare(session, keyspace, StoreOptions.defaults());
    }

    public static CassandraStores prepare(CqlSession session, String keyspace, StoreOptions options) {
        return new CassandraStores(new StoreContext(session, keyspace, options));
    }

    public TransferStore transfers() {
        return transfers;
    }

    public CursorStore cursors() {
        return cursors;
    }

    public AttestationStore attestations() {
        return attestations;
    }

    public SubmissionStore submissions() {
        return submissions;
    }

    /** What messages paid for their destination gas, and were charged (issue 11). */
    public GasPaymentStore payments() {
        return payments;
    }
}
