package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A node that cannot bind its API port fails to start having released what it opened: a process that goes on
 * (the demo retrying on another port, a test, an embedding application) must not keep its RPC threads, nor the
 * status API's own Cassandra session (whose driver threads are named after it, {@code courier-api-*}).
 */
@CassandraTest
class NodeStartFailureIT {

    private static final String SCHEDULER_THREAD = "courier-rpc-scheduler";
    private static final String API_SESSION_THREADS = "courier-api-";

    @Test
    void aNodeThatCannotBindItsPortLeavesNoThreadsBehind(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                          @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("startfail");
             ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long before = schedulerThreads();
            long apiBefore = apiSessionThreads();
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            RelayNetwork.courier(map).put("api", Map.of("host", "127.0.0.1", "port", taken.getLocalPort()));

            assertThatThrownBy(() -> CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC()))
                    .hasMessageContaining("status API could not bind");

            // shutdownNow interrupts the threads; they end within moments (bounded wait, no timing asserted)
            Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
            while (schedulerThreads() > before && Instant.now().isBefore(deadline)) {
                Thread.sleep(50);
            }
            assertThat(schedulerThreads()).as("live %s threads after the failed start", SCHEDULER_THREAD).isEqualTo(before);
            awaitApiSessionThreads(apiBefore);
            assertThat(apiSessionThreads()).as("live %s* threads after the failed start", API_SESSION_THREADS).isEqualTo(apiBefore);

            // and the same config on a free port starts: nothing of the failed attempt is in the way
            RelayNetwork.courier(map).put("api", Map.of("host", "127.0.0.1", "port", 0));
            try (CourierNode node = CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC())) {
                assertThat(schedulerThreads()).isGreaterThan(before);
                assertThat(apiSessionThreads()).as("the API's session runs").isGreaterThan(apiBefore);
                assertThat(node.apiPort()).isNotEqualTo(taken.getLocalPort());
            }
            // a node closes what it opened: the API's session too
            awaitApiSessionThreads(apiBefore);
            assertThat(apiSessionThreads()).as("live %s* threads after close", API_SESSION_THREADS).isEqualTo(apiBefore);
        }
    }

    @Test
    void aNodeWhoseEndpointServesAnotherChainRefusesToStart(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                            @TempDir Path dir) throws Exception {
        try (RelayNetwork net = RelayNetwork.start("wrongchain")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            // alpha's entry points at beta's node: the node would read beta's logs as alpha's
            RelayNetwork.rpcUrl(map, RelayNetwork.ALPHA, net.chains.get(1).rpcUrl());
            assertThatThrownBy(() -> CourierNode.start(net.nodeConfig(ConfigFactory.parseMap(map)), Clock.systemUTC()))
                    .hasMessageContaining("serves another chain")
                    .hasMessageContaining("(" + RelayNetwork.ALPHA + ")")
                    .hasMessageContaining("serves chain id " + RelayNetwork.BETA);
        }
    }

    /** The driver stops its threads after a quiet period: a bounded wait, no timing asserted. */
    private static void awaitApiSessionThreads(long expected) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        while (apiSessionThreads() > expected && Instant.now().isBefore(deadline)) {
            Thread.sleep(100);
        }
    }

    private static long apiSessionThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(API_SESSION_THREADS)).count();
    }

    private static long schedulerThreads() {
        List<Thread> threads = List.copyOf(Thread.getAllStackTraces().keySet());
        return threads.stream().filter(t -> t.isAlive() && t.getName().equals(SCHEDULER_THREAD)).count();
    }
}
