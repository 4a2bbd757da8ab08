package io.courier.relayer.node;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.relayer.api.Readiness;
import io.courier.relayer.api.ReadinessProbe;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/** {@code "cassandra"} for {@code /readyz}: a cheap asynchronous read of the local node's system table. */
final class CassandraReadiness implements ReadinessProbe {

    private final CqlSession session;

    CassandraReadiness(CqlSession session) {
        this.session = session;
    }

    @Override
    public CompletionStage<Readiness> check() {
        return session.executeAsync("SELECT release_version FROM system.local")
                .handle((rs, error) -> new Readiness(Map.of("cassandra", error == null
                        ? Readiness.Check.OK
                        : Readiness.Check.error(error.getClass().getSimpleName() + ": " + error.getMessage()))));
    }
}
