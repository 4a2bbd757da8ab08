package io.courier.finality.cassandra;

import io.courier.finality.store.TransferStore;

import com.datastax.oss.driver.api.core.ConsistencyLevel;
import com.datastax.oss.driver.api.core.DefaultConsistencyLevel;
import java.util.Objects;

/**
 * How the Cassandra stores talk to the cluster. The defaults are what correctness needs, not a tuning choice:
 * {@code LOCAL_QUORUM} reads and writes see the result of a committed lightweight transaction (whose commit
 * uses the same level), {@code LOCAL_SERIAL} keeps Paxos in the local data center. The driver's own default
 * ({@code LOCAL_ONE}) could read a status older than the one a transition just wrote.
 *
 * @param consistency level of reads and plain writes
 * @param serialConsistency level of the Paxos phase of conditional writes
 * @param pageSize rows per page when walking an index; also the most transfers loaded at once by
 *                 {@link TransferStore#open} and {@link TransferStore#findBySourceTx}
 * @param maxAddressRows index rows one {@link TransferStore#byAddress} page may examine (ADR 005): a filter that
 *                 skips most rows ends the page short, with a cursor, instead of scanning on
 */
public record StoreOptions(ConsistencyLevel consistency, ConsistencyLevel serialConsistency, int pageSize,
                           int maxAddressRows) {

    /** Rows an address page examines unless configured otherwise: five full pages of the API's largest size. */
    public static final int DEFAULT_MAX_ADDRESS_ROWS = 500;

    public StoreOptions {
        Objects.requireNonNull(consistency, "consistency");
        Objects.requireNonNull(serialConsistency, "serialConsistency");
        if (!serialConsistency.isSerial()) {
            throw new IllegalArgumentException("serialConsistency must be SERIAL or LOCAL_SERIAL, got " + serialConsistency);
        }
        if (pageSize < 1 || pageSize > 1000) {
            throw new IllegalArgumentException("pageSize must be 1..1000 (it bounds requests in flight), got " + pageSize);
        }
        if (maxAddressRows < 1) {
            throw new IllegalArgumentException("maxAddressRows must be >= 1, got " + maxAddressRows);
        }
    }

    public static StoreOptions defaults() {
        return new StoreOptions(DefaultConsistencyLevel.LOCAL_QUORUM, DefaultConsistencyLevel.LOCAL_SERIAL, 100,
                DEFAULT_MAX_ADDRESS_ROWS);
    }

    public StoreOptions pageSize(int pageSize) {
        return new StoreOptions(consistency, serialConsistency, pageSize, maxAddressRows);
    }

    public StoreOptions maxAddressRows(int maxAddressRows) {
        return new StoreOptions(consistency, serialConsistency, pageSize, maxAddressRows);
    }
}
