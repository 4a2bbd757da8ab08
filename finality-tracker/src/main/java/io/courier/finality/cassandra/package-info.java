/**
 * Durable state on Cassandra: the schema and its migrations ({@link io.courier.finality.store.CourierSchema}),
 * store interfaces ({@link io.courier.finality.store.TransferStore}, {@link io.courier.finality.store.CursorStore},
 * {@link io.courier.finality.store.AttestationStore}, {@link io.courier.finality.store.SubmissionStore}) and
 * their Cassandra implementations, built together by {@link io.courier.finality.store.CassandraStores}.
 *
 * <p>The interfaces and outcome types do not mention the driver, so callers (actors) can be tested against
 * in-memory fakes. Every store call is asynchronous; see {@link io.courier.finality.store.TransferStore} for the
 * rules on blocking, work in flight and "persist before acting".
 */
package io.courier.finality.cassandra;

import io.courier.finality.store.AttestationStore;
import io.courier.finality.store.CursorStore;
import io.courier.finality.store.SubmissionStore;
import io.courier.finality.store.TransferStore;
