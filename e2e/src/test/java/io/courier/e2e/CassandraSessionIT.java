package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The node's CQL sessions speak the native protocol its config names (docs/ARCHITECTURE.md §4, "Sessions"): V4 by
 * default, V5 when an operator sets it. Checked on the wire: the version the session negotiated with a real Cassandra.
 */
@CassandraTest
class CassandraSessionIT {

    @Test
    void theNodesSessionsSpeakTheConfiguredNativeProtocol(LocalCassandra db) {
        for (NodeConfig.CqlProtocol protocol : NodeConfig.CqlProtocol.values()) {
            NodeConfig.CassandraSettings settings = new NodeConfig.CassandraSettings(List.of(db.contactPoint()),
                    LocalCassandra.LOCAL_DATACENTER, "courier", false, 1, 16, Duration.ofSeconds(10), protocol);
            try (CqlSession session = CourierNode.connect(settings)) {
                assertThat(session.getContext().getProtocolVersion().name()).as("negotiated with %s set", protocol)
                        .isEqualTo(protocol.name());
                assertThat(session.execute("SELECT release_version FROM system.local").one()).isNotNull();
            }
        }
    }
}
