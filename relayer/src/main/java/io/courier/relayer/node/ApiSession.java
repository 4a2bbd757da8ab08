package io.courier.relayer.node;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.finality.cassandra.CassandraStores;
import io.courier.finality.cassandra.StoreOptions;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.config.NodeConfig;

/**
 * The status API's own CQL session and the transfer reads over it. Apart from the relay's session so that the
 * driver's request throttler, which is per session, gives the API its own budget: a flood of reads waits in (or
 * is refused by) this session's queue and never holds the relay's connections or in-flight slots. Reads use
 * {@link StoreOptions#defaults()}' {@code LOCAL_QUORUM} (docs/ARCHITECTURE.md §6 says why).
 */
final class ApiSession {

    private ApiSession() {}

    /** Opens the session; the caller closes it. Blocks (connecting), like the relay's. */
    static CqlSession connect(NodeConfig.CassandraSettings cluster, NodeConfig.ApiSettings api) {
        NodeConfig.ApiCassandraSettings budget = api.cassandra();
        return CourierNode.connect(cluster, "courier-api", budget.requestTimeout(), budget.maxRequestsInFlight(),
                budget.maxRequestsQueued());
    }

    /** The transfer store the API reads, its statements prepared on {@code session}. Blocks (preparing). */
    static TransferStore transfers(CqlSession session, String keyspace, NodeConfig.ApiSettings api) {
        return CassandraStores.prepare(session, keyspace, StoreOptions.defaults().maxAddressRows(api.maxAddressRows()))
                .transfers();
    }

    /** The payment reads of {@code GET /v1/transfers/{id}} (issue 11) over the API's session. Blocks (preparing). */
    static io.courier.finality.store.GasPaymentStore payments(CqlSession session, String keyspace) {
        return CassandraStores.prepare(session, keyspace).payments();
    }

    /** The attestation reads of the self-relay route over the API's session. Blocks (preparing). */
    static io.courier.finality.store.AttestationStore attestations(CqlSession session, String keyspace) {
        return CassandraStores.prepare(session, keyspace).attestations();
    }
}
