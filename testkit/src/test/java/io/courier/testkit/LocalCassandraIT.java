package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlIdentifier;
import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Semaphore;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class LocalCassandraIT {

    private static final int ROWS = 1_000;
    private static final int MAX_IN_FLIGHT = 128;

    /** A dedicated node: this test kills it, which the shared node of CassandraExtension must never see. */
    @Test
    void acknowledgedWritesSurviveSigkillAndRestart() throws Exception {
        LocalCassandra node = LocalCassandra.start(LocalCassandra.Options.named("crash-it"));
        long lastPid;
        try (node) {
            System.out.printf("LocalCassandra start time: %d ms%n", node.startTime().toMillis());
            InetSocketAddress contactPoint = node.contactPoint();
            String keyspace = node.createKeyspace("crash_it");
            try (CqlSession session = node.newSession(keyspace)) {
                session.execute("CREATE TABLE rows (id int PRIMARY KEY, payload text)");
                writeRows(session);
            }

            long killedPid = node.pid();
            node.kill();
            assertThat(node.isRunning()).isFalse();
            assertThat(ProcessHandle.of(killedPid).map(ProcessHandle::isAlive).orElse(false))
                    .as("cassandra pid %d after SIGKILL", killedPid).isFalse();

            node.restart();
            System.out.printf("LocalCassandra restart (commit log replay) time: %d ms%n", node.startTime().toMillis());
            assertThat(node.contactPoint()).isEqualTo(contactPoint);
            assertThat(node.pid()).isNotEqualTo(killedPid);
            try (CqlSession session = node.newSession(keyspace)) {
                Map<Integer, String> read = new HashMap<>();
                for (Row row : session.execute("SELECT id, payload FROM rows")) {
                    read.put(row.getInt("id"), row.getString("payload"));
                }
                assertThat(read).hasSize(ROWS);
                for (int id = 0; id < ROWS; id++) {
                    assertThat(read).containsEntry(id, payload(id));
                }
            }
            lastPid = node.pid();
        }
        assertThat(ProcessHandle.of(lastPid).map(ProcessHandle::isAlive).orElse(false))
                .as("cassandra pid %d after close", lastPid).isFalse();
        assertThat(node.dataDir()).as("generated data dir is deleted by close").doesNotExist();
    }

    @Test
    void nodeThatCannotBindNamesItsPortsPidAndLog() throws Exception {
        int storagePort;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            storagePort = probe.getLocalPort();
        }
        LocalCassandra node = new LocalCassandra(LocalCassandra.Options.named("bind-it").storagePort(storagePort));
        // someone takes the fixed port between preparing and starting: Cassandra itself fails to bind and exits
        try (node; ServerSocket taken = new ServerSocket(storagePort, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(node::start)
                    .isInstanceOf(LocalPartException.class)
                    .hasMessageContaining("LocalCassandra bind-it on 127.0.0.1:" + node.options().nativePort())
                    .hasMessageContaining("storage port " + storagePort)
                    .hasMessageContaining("exited")
                    .hasMessageContaining(node.systemLog().toString());
            assertThat(node.isRunning()).isFalse();
            assertThat(ProcessHandle.of(node.pid()).map(ProcessHandle::isAlive).orElse(false)).isFalse();

            // and a fixed port that is already taken fails at once, before any JVM starts
            assertThatThrownBy(() -> new LocalCassandra(LocalCassandra.Options.named("taken").storagePort(storagePort)))
                    .isInstanceOf(LocalPartException.class)
                    .hasMessageContaining("storage port " + storagePort);
        }
    }

    /** Asynchronous inserts, never more than {@value #MAX_IN_FLIGHT} outstanding; all must be acknowledged. */
    private static void writeRows(CqlSession session) throws InterruptedException {
        PreparedStatement insert = session.prepare("INSERT INTO rows (id, payload) VALUES (?, ?)");
        Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
        ConcurrentLinkedQueue<Throwable> failures = new ConcurrentLinkedQueue<>();
        for (int id = 0; id < ROWS; id++) {
            inFlight.acquire();
            session.executeAsync(insert.bind(id, payload(id))).whenComplete((result, error) -> {
                if (error != null) {
                    failures.add(error);
                }
                inFlight.release();
            });
        }
        inFlight.acquire(MAX_IN_FLIGHT); // all acknowledged
        assertThat(failures).isEmpty();
    }

    private static String payload(int id) {
        return "payload-" + id;
    }

    /** The JUnit route: the shared node and a keyspace of this class's own. */
    @Nested
    @CassandraTest
    class ThroughTheExtension {

        @Test
        void roundTripsARowInTheClassKeyspace(CqlSession session, CassandraExtension.Keyspace keyspace, LocalCassandra node) {
            assertThat(keyspace.name()).isEqualTo("local_cassandra_it_through_the_extension");
            assertThat(session.getKeyspace()).contains(CqlIdentifier.fromInternal(keyspace.name()));
            assertThat(node.isRunning()).isTrue();

            session.execute("CREATE TABLE IF NOT EXISTS notes (id text PRIMARY KEY, body text)");
            session.execute("INSERT INTO notes (id, body) VALUES (?, ?)", "n1", "hello cassandra");
            List<Row> rows = session.execute("SELECT body FROM notes WHERE id = ?", "n1").all();

            assertThat(rows).singleElement().extracting(row -> row.getString("body")).isEqualTo("hello cassandra");
        }
    }
}
