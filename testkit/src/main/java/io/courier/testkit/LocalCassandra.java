package io.courier.testkit;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.CqlSessionBuilder;
import com.datastax.oss.driver.api.core.config.DefaultDriverOption;
import com.datastax.oss.driver.api.core.config.DriverConfigLoader;
import io.courier.testkit.cassandra.CassandraLauncher;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real Apache Cassandra 5.0.9 node on loopback, in a child JVM whose PID is the node's own.
 *
 * <p>Why a child JVM and not an embedded server: Cassandra is built to own its JVM (static singletons, its own
 * logging, {@code System.exit} on fatal errors), and a separate process is the only way to test what
 * production sees: SIGTERM, SIGKILL and commit-log replay on restart ({@link #kill}, {@link #restart}).
 *
 * <p>The server's jars come from {@code testkit/cassandra-dist/target/lib} (built by that Maven module, see
 * {@link #libDir}); the node gets a generated {@code cassandra.yaml} and {@code logback.xml} under its data dir,
 * free loopback ports unless fixed, and is ready when the native port accepts a CQL session. The child runs
 * {@link CassandraLauncher}, which ends the node when this JVM dies, even by {@code kill -9}.
 *
 * <pre>{@code
 * try (LocalCassandra node = new LocalCassandra(LocalCassandra.Options.named("orders")).start();
 *      CqlSession session = node.newSession(node.createKeyspace("orders"))) { ... }
 * }</pre>
 */
public final class LocalCassandra implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LocalCassandra.class);

    /** The data center name SimpleSnitch reports; every session must name it. */
    public static final String LOCAL_DATACENTER = "datacenter1";
    /** Longest keyspace name Cassandra accepts. */
    public static final int MAX_KEYSPACE_LENGTH = 48;

    static final Duration START_TIMEOUT = Duration.ofSeconds(90);
    static final Duration STOP_GRACE = Duration.ofSeconds(30);
    static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);
    private static final Pattern KEYSPACE_NAME = Pattern.compile("[a-z][a-z0-9_]{0,47}");
    private static final Pattern NODE_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String DIST_BUILD = "mvn -B -q -pl testkit/cassandra-dist package";
    /**
     * The opt-in to building missing server jars with {@code mvn}, for tests started from an IDE only: the demo
     * ships as a product and must never shell out to a build tool.
     */
    static final String BUILD_MISSING = "courier.testkit.build-missing";
    private static final int START_ATTEMPTS = 3;

    /**
     * The flags of Cassandra's {@code conf/jvm17-server.options} that the server cannot run without on Java 17
     * ("Cassandra is unable to access required classes"), plus its Netty allocator settings.
     */
    static final List<String> JAVA17_FLAGS = List.of(
            "-Djdk.attach.allowAttachSelf=true",
            "--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED",
            "--add-exports", "java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
            "--add-exports", "java.sql/java.sql=ALL-UNNAMED",
            "--add-exports", "java.base/java.lang.ref=ALL-UNNAMED",
            "--add-exports", "jdk.unsupported/sun.misc=ALL-UNNAMED",
            "--add-exports", "jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED",
            "--add-exports", "jdk.attach/sun.tools.attach=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.loader=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.ref=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.reflect=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.math=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.module=ALL-UNNAMED",
            "--add-opens", "java.base/jdk.internal.util.jar=ALL-UNNAMED",
            "--add-opens", "jdk.management/com.sun.management.internal=ALL-UNNAMED",
            "--add-opens", "java.base/sun.nio.ch=ALL-UNNAMED",
            "--add-opens", "java.base/java.io=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens", "jdk.compiler/com.sun.tools.javac=ALL-UNNAMED",
            "--add-opens", "java.base/java.lang=ALL-UNNAMED",
            "--add-opens", "java.base/java.util=ALL-UNNAMED",
            "-Dio.netty.tryReflectionSetAccessible=true",
            "-Dio.netty.allocator.useCacheForAllThreads=true",
            "-Dio.netty.allocator.maxOrder=11");

    /**
     * Start faster and stop faster: a test node never needs C2 code, gossip settling or a goodbye round. The
     * memtable row overhead is given instead of measured (Cassandra measures 100,000 rows with jamm at every
     * start: about 3 s of a 10 s start here; 180 bytes is what it measures on this JVM).
     */
    static final List<String> FAST_TEST_FLAGS = List.of(
            "-XX:+UseG1GC",
            "-XX:TieredStopAtLevel=1",
            "-XX:+PerfDisableSharedMem",
            "-XX:+ExitOnOutOfMemoryError",
            "-Djava.net.preferIPv4Stack=true",
            "-Dcassandra.shutdown_announce_in_ms=0",
            "-Dcassandra.skip_wait_for_gossip_to_settle=0",
            "-Dcassandra.memtable.row_overhead_size=180");

    /**
     * How to run a node. {@code dataDir == null} means a fresh folder under {@link ProjectLayout#workDir()},
     * deleted by {@link #close}; a port of 0 means a free loopback port, picked once and kept across restarts.
     */
    public record Options(String name, Path dataDir, String listenAddress, int nativePort, int storagePort,
                          String initialHeap, String maxHeap) {
        public Options {
            name = name == null ? "cassandra" : name;
            if (!NODE_NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("node name must match " + NODE_NAME + " (it names files), was '" + name + "'");
            }
            listenAddress = listenAddress == null ? "127.0.0.1" : listenAddress;
            checkPort("nativePort", nativePort);
            checkPort("storagePort", storagePort);
            if (nativePort != 0 && nativePort == storagePort) {
                throw new IllegalArgumentException("nativePort and storagePort must differ, both were " + nativePort);
            }
            initialHeap = initialHeap == null ? "256m" : initialHeap;
            maxHeap = maxHeap == null ? "1G" : maxHeap;
        }

        private static void checkPort(String what, int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(what + " must be 0 (free port) or 1..65535, was " + port);
            }
        }

        public static Options defaults() {
            return named("cassandra");
        }

        public static Options named(String name) {
            return new Options(name, null, null, 0, 0, null, null);
        }

        public Options dataDir(Path dir) {
            return new Options(name, dir, listenAddress, nativePort, storagePort, initialHeap, maxHeap);
        }

        public Options listenAddress(String address) {
            return new Options(name, dataDir, address, nativePort, storagePort, initialHeap, maxHeap);
        }

        public Options nativePort(int port) {
            return new Options(name, dataDir, listenAddress, port, storagePort, initialHeap, maxHeap);
        }

        public Options storagePort(int port) {
            return new Options(name, dataDir, listenAddress, nativePort, port, initialHeap, maxHeap);
        }

        /** JVM heap, as {@code -Xms}/{@code -Xmx} values ("256m", "1G"). */
        public Options heap(String initial, String max) {
            return new Options(name, dataDir, listenAddress, nativePort, storagePort, initial, max);
        }
    }

    private final Options requested;
    private final boolean temporaryDataDir;
    private final Path dataDir;
    private volatile Options options; // resolved: concrete ports and data dir
    private boolean everStarted;
    private boolean closed;
    private ChildProcess process;
    private long lastPid = -1;
    private Duration startTime;
    private CqlSession admin;

    /** Prepares a node (data dir, ports); {@link #start} launches it. */
    public LocalCassandra(Options options) {
        this.requested = options;
        this.temporaryDataDir = options.dataDir() == null;
        try {
            Path work = ProjectLayout.workDir();
            Files.createDirectories(work);
            this.dataDir = temporaryDataDir
                    ? Files.createTempDirectory(work, "cassandra-" + options.name() + "-").toAbsolutePath()
                    : Files.createDirectories(options.dataDir()).toAbsolutePath();
        } catch (IOException e) {
            throw new LocalPartException("LocalCassandra " + options.name() + ": cannot create its data dir: " + e, e);
        }
        try {
            this.options = resolvePorts(options.dataDir(dataDir), requested);
        } catch (RuntimeException e) {
            if (temporaryDataDir) {
                deleteRecursively(dataDir);
            }
            throw e;
        }
    }

    /** Creates and starts a node. */
    public static LocalCassandra start(Options options) {
        LocalCassandra node = new LocalCassandra(options);
        try {
            return node.start();
        } catch (RuntimeException e) {
            node.close();
            throw e;
        }
    }

    /** Free ports for the zeros of {@code requested}; fixed ones are checked, so a taken port fails here, fast. */
    private static Options resolvePorts(Options current, Options requested) {
        InetAddress address;
        try {
            address = InetAddress.getByName(current.listenAddress());
        } catch (IOException e) {
            throw new LocalPartException("LocalCassandra " + current.name() + ": bad listen address " + current.listenAddress(), e);
        }
        // both sockets open at once, so the two free ports differ
        try (ServerSocket nativeSocket = bind(current, "native", requested.nativePort(), address);
             ServerSocket storageSocket = bind(current, "storage", requested.storagePort(), address)) {
            return current.nativePort(nativeSocket.getLocalPort()).storagePort(storageSocket.getLocalPort());
        } catch (IOException closing) {
            throw new UncheckedIOException(closing);
        }
    }

    private static ServerSocket bind(Options options, String what, int port, InetAddress address) {
        try {
            return new ServerSocket(port, 1, address);
        } catch (IOException e) {
            throw new LocalPartException("LocalCassandra " + options.name() + ": " + what + " port "
                    + (port == 0 ? "(any free)" : port) + " on " + options.listenAddress() + " unavailable: " + e.getMessage(), e);
        }
    }

    // ------------------------------------------------------------------ lifecycle

    /**
     * Launches the node and waits until a CQL session connects (at most 90 s). After the first start the ports
     * are fixed; before it, a port grabbed by someone else in the meantime makes it retry on fresh ports.
     */
    public synchronized LocalCassandra start() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        if (isRunning()) {
            throw new IllegalStateException(this + " is already running (pid " + process.pid() + ")");
        }
        if (process != null) { // it died on its own: let go of it (and of its reaper hook)
            process.kill();
            process = null;
        }
        Path lib = libDir();
        for (int attempt = 1; ; attempt++) {
            writeConfig();
            long t0 = System.nanoTime();
            ChildProcess child = ChildProcess.start("cassandra-" + options.name(), command(lib), dataDir, stdoutLog());
            lastPid = child.pid();
            try {
                CqlSession session = awaitReady(child, t0 + START_TIMEOUT.toNanos());
                process = child;
                admin = session;
                everStarted = true;
                startTime = Duration.ofNanos(System.nanoTime() - t0);
                log.info("LocalCassandra {} ready on {}:{} in {} ms (pid {}, data {}, log {})", options.name(),
                        options.listenAddress(), options.nativePort(), startTime.toMillis(), child.pid(), dataDir, systemLog());
                return this;
            } catch (LocalPartException e) {
                child.kill();
                boolean portsFree = requested.nativePort() == 0 && requested.storagePort() == 0;
                if (everStarted || !portsFree || attempt >= START_ATTEMPTS || !bindFailed(child)) {
                    throw e;
                }
                log.warn("LocalCassandra {}: ports {}/{} taken meanwhile, retrying on others", options.name(),
                        options.nativePort(), options.storagePort());
                options = resolvePorts(options, requested);
            }
        }
    }

    /** SIGTERM and wait for the exit (Cassandra drains and flushes; about 4 s). No-op when not running. */
    public synchronized void stop() {
        closeAdmin();
        if (process != null) {
            long t0 = System.nanoTime();
            process.stop(STOP_GRACE);
            log.info("LocalCassandra {} stopped (SIGTERM) in {} ms", options.name(), (System.nanoTime() - t0) / 1_000_000);
            process = null;
        }
    }

    /** SIGKILL, as a crash: nothing is flushed; acknowledged writes come back from the commit log on restart. */
    public synchronized void kill() {
        closeAdmin();
        if (process != null) {
            process.kill();
            log.info("LocalCassandra {} killed (SIGKILL), pid {}", options.name(), process.pid());
            process = null;
        }
    }

    /** Stops the node if it runs, then starts it again on the same data dir and the same ports. */
    public synchronized LocalCassandra restart() {
        stop();
        return start();
    }

    /** Stops the node; deletes the data dir if this node generated it. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        stop();
        closed = true;
        if (temporaryDataDir) {
            deleteRecursively(dataDir);
        }
    }

    // ------------------------------------------------------------------ clients

    public InetSocketAddress contactPoint() {
        return new InetSocketAddress(options.listenAddress(), options.nativePort());
    }

    /** A new session without keyspace; the caller closes it. */
    public CqlSession newSession() {
        return sessionBuilder(true).build();
    }

    /** A new session using {@code keyspace} (which must exist); the caller closes it. */
    public CqlSession newSession(String keyspace) {
        return sessionBuilder(true).withKeyspace(checkKeyspaceName(keyspace)).build();
    }

    /** Creates {@code keyspace} (SimpleStrategy, replication factor 1) if it does not exist; returns its name. */
    public String createKeyspace(String keyspace) {
        checkKeyspaceName(keyspace);
        adminSession().execute("CREATE KEYSPACE IF NOT EXISTS " + keyspace
                + " WITH replication = {'class': 'SimpleStrategy', 'replication_factor': 1}");
        return keyspace;
    }

    /** Drops {@code keyspace} if it exists. */
    public void dropKeyspace(String keyspace) {
        adminSession().execute("DROP KEYSPACE IF EXISTS " + checkKeyspaceName(keyspace));
    }

    static String checkKeyspaceName(String keyspace) {
        if (keyspace == null || !KEYSPACE_NAME.matcher(keyspace).matches()) {
            throw new IllegalArgumentException("keyspace name must be lower case [a-z][a-z0-9_]*, at most "
                    + MAX_KEYSPACE_LENGTH + " characters, was '" + keyspace + "'");
        }
        return keyspace;
    }

    /**
     * Test settings: 10 s request and schema timeouts (a busy 2-core machine, DDL included), the local data
     * center, and a 100 ms Netty quiet period on close instead of 2 s (sessions open and close per test class;
     * 0 lets late listener notifications hit a terminated event loop and log errors).
     */
    private CqlSessionBuilder sessionBuilder(boolean schemaMetadata) {
        DriverConfigLoader config = DriverConfigLoader.programmaticBuilder()
                .withString(DefaultDriverOption.SESSION_NAME, "cassandra-" + options.name())
                .withDuration(DefaultDriverOption.REQUEST_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.CONNECTION_INIT_QUERY_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.CONNECTION_SET_KEYSPACE_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.CONTROL_CONNECTION_AGREEMENT_TIMEOUT, REQUEST_TIMEOUT)
                .withDuration(DefaultDriverOption.METADATA_SCHEMA_REQUEST_TIMEOUT, REQUEST_TIMEOUT)
                .withBoolean(DefaultDriverOption.METADATA_SCHEMA_ENABLED, schemaMetadata)
                .withString(DefaultDriverOption.NETTY_IO_SHUTDOWN_UNIT, "MILLISECONDS")
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_QUIET_PERIOD, 100)
                .withInt(DefaultDriverOption.NETTY_IO_SHUTDOWN_TIMEOUT, 15_000)
                .withString(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_UNIT, "MILLISECONDS")
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_QUIET_PERIOD, 100)
                .withInt(DefaultDriverOption.NETTY_ADMIN_SHUTDOWN_TIMEOUT, 15_000)
                .build();
        return CqlSession.builder()
                .addContactPoint(contactPoint())
                .withLocalDatacenter(LOCAL_DATACENTER)
                .withConfigLoader(config);
    }

    /** The session that proved readiness, kept for keyspace DDL; closed on stop and kill. */
    private synchronized CqlSession adminSession() {
        if (!isRunning()) {
            throw new IllegalStateException(this + " is not running");
        }
        if (admin == null || admin.isClosed()) {
            admin = sessionBuilder(false).build();
        }
        return admin;
    }

    private void closeAdmin() {
        if (admin != null) {
            admin.close();
            admin = null;
        }
    }

    // ------------------------------------------------------------------ state

    public String name() {
        return options.name();
    }

    /** The resolved options: concrete ports and data dir. */
    public Options options() {
        return options;
    }

    public Path dataDir() {
        return dataDir;
    }

    /** Cassandra's own log (INFO). */
    public Path systemLog() {
        return dataDir.resolve("logs").resolve("system.log");
    }

    /** The child JVM's stdout and stderr (JVM warnings, early start errors). */
    public Path stdoutLog() {
        return dataDir.resolve("logs").resolve("stdout.log");
    }

    /** How long the last start took, from launching the JVM until a CQL session connected. */
    public Duration startTime() {
        if (startTime == null) {
            throw new IllegalStateException(this + " has not started yet");
        }
        return startTime;
    }

    /** PID of the running node, or of the last one started (to check it is gone); -1 before any start. */
    public synchronized long pid() {
        return process != null ? process.pid() : lastPid;
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    @Override
    public String toString() {
        return "LocalCassandra[" + options.name() + ", " + options.listenAddress() + ":" + options.nativePort() + "]";
    }

    // ------------------------------------------------------------------ readiness

    private CqlSession awaitReady(ChildProcess child, long deadlineNanos) {
        RuntimeException lastError = null;
        while (true) {
            if (!child.isAlive()) {
                throw startFailure("exited during start", child, lastError);
            }
            if (System.nanoTime() > deadlineNanos) {
                throw startFailure("not ready within " + START_TIMEOUT.toSeconds() + " s", child, lastError);
            }
            if (nativePortOpen()) {
                try {
                    return sessionBuilder(false).build();
                } catch (RuntimeException e) {
                    lastError = e; // port bound but CQL not serving yet
                }
            }
            sleep(100);
        }
    }

    private boolean nativePortOpen() {
        try (Socket socket = new Socket()) {
            socket.connect(contactPoint(), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private LocalPartException startFailure(String what, ChildProcess child, RuntimeException lastError) {
        return new LocalPartException("LocalCassandra " + options.name() + " on " + options.listenAddress() + ":"
                + options.nativePort() + " (storage port " + options.storagePort() + ") " + what + "; process pid "
                + child.pid() + " " + (child.isAlive() ? "still running" : "exited")
                + (lastError == null ? "" : "; last CQL error: " + lastError.getMessage())
                + "\n--- " + systemLog() + " (last 30 lines):\n" + tail(systemLog(), 30)
                + "\n--- " + stdoutLog() + " (last 15 lines):\n" + child.logTail(15), lastError);
    }

    private boolean bindFailed(ChildProcess child) {
        String logs = tail(systemLog(), 200) + "\n" + child.logTail(50);
        // storage port: "... is in use by another process"; native port: "Failed to bind port ..."
        return logs.contains("is in use by another process") || logs.contains("Failed to bind")
                || logs.contains("Address already in use");
    }

    static String tail(Path file, int lines) {
        if (!Files.isRegularFile(file)) {
            return "(no " + file.getFileName() + " yet)";
        }
        try (Stream<String> all = Files.lines(file, StandardCharsets.UTF_8)) {
            List<String> list = all.collect(Collectors.toList());
            return String.join("\n", list.subList(Math.max(0, list.size() - lines), list.size()));
        } catch (IOException | UncheckedIOException e) {
            return "(" + file + " unreadable: " + e.getMessage() + ")";
        }
    }

    // ------------------------------------------------------------------ configuration

    private void writeConfig() {
        try {
            Files.createDirectories(dataDir.resolve("conf"));
            Files.createDirectories(dataDir.resolve("logs"));
            Files.writeString(dataDir.resolve("conf").resolve("cassandra.yaml"), cassandraYaml(options));
            Files.writeString(dataDir.resolve("conf").resolve("logback.xml"), logbackXml(systemLog()));
        } catch (IOException e) {
            throw new LocalPartException("LocalCassandra " + options.name() + ": cannot write its configuration under " + dataDir, e);
        }
    }

    /**
     * A minimal single-node {@code cassandra.yaml}: one token, SimpleSnitch, itself as seed, own ports, every
     * directory under the data dir, small caches and memtables (a test node shares the machine).
     *
     * <p>{@code commitlog_sync: batch}: a write is acknowledged only after its commit-log sync, so every
     * acknowledged write survives a SIGKILL. The default periodic mode acknowledges first and syncs up to
     * 10 s later (markers every 100 ms), which a test that kills right after writing would see as lost rows.
     */
    static String cassandraYaml(Options o) {
        Path dir = o.dataDir();
        return String.join("\n",
                "# generated by LocalCassandra for node " + o.name() + "; rewritten on every start",
                "cluster_name: " + yamlString("courier-" + o.name()),
                "num_tokens: 1",
                "initial_token: 0",
                "partitioner: org.apache.cassandra.dht.Murmur3Partitioner",
                "endpoint_snitch: SimpleSnitch",
                "seed_provider:",
                "  - class_name: org.apache.cassandra.locator.SimpleSeedProvider",
                "    parameters:",
                "      - seeds: " + yamlString(o.listenAddress() + ":" + o.storagePort()),
                "listen_address: " + o.listenAddress(),
                "rpc_address: " + o.listenAddress(),
                "storage_port: " + o.storagePort(),
                "native_transport_port: " + o.nativePort(),
                "start_native_transport: true",
                "authenticator: AllowAllAuthenticator",
                "authorizer: AllowAllAuthorizer",
                "data_file_directories:",
                "  - " + yamlString(dir.resolve("data").toString()),
                "commitlog_directory: " + yamlString(dir.resolve("commitlog").toString()),
                "saved_caches_directory: " + yamlString(dir.resolve("saved_caches").toString()),
                "hints_directory: " + yamlString(dir.resolve("hints").toString()),
                "cdc_raw_directory: " + yamlString(dir.resolve("cdc_raw").toString()),
                "commitlog_sync: batch",
                "commitlog_segment_size: 8MiB",
                "disk_failure_policy: stop",
                "commit_failure_policy: stop",
                "auto_snapshot: false",
                "hinted_handoff_enabled: false",
                "memtable_heap_space: 64MiB",
                "memtable_offheap_space: 64MiB",
                "key_cache_size: 8MiB",
                "row_cache_size: 0MiB",
                "counter_cache_size: 0MiB",
                "prepared_statements_cache_size: 8MiB",
                "file_cache_size: 32MiB",
                "concurrent_compactors: 1",
                "");
    }

    /** INFO (not Cassandra's default DEBUG) to one file; warnings also to stdout, which lands in stdout.log. */
    static String logbackXml(Path logFile) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <!-- generated by LocalCassandra; rewritten on every start -->
                <configuration scan="false">
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>%s</file>
                    <append>true</append>
                    <encoder><pattern>%%-5level [%%thread] %%date{ISO8601} %%F:%%L - %%msg%%n</pattern></encoder>
                  </appender>
                  <appender name="STDOUT" class="ch.qos.logback.core.ConsoleAppender">
                    <filter class="ch.qos.logback.classic.filter.ThresholdFilter"><level>WARN</level></filter>
                    <encoder><pattern>%%-5level [%%thread] %%date{ISO8601} %%msg%%n</pattern></encoder>
                  </appender>
                  <root level="INFO">
                    <appender-ref ref="FILE"/>
                    <appender-ref ref="STDOUT"/>
                  </root>
                </configuration>
                """.formatted(xmlText(logFile.toString()));
    }

    private static String yamlString(String value) {
        return "'" + value.replace("'", "''") + "'";
    }

    private static String xmlText(String value) {
        return value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    List<String> command(Path lib) {
        Path conf = dataDir.resolve("conf");
        List<String> command = new ArrayList<>();
        command.add(javaBinary());
        command.add("-Xms" + options.initialHeap());
        command.add("-Xmx" + options.maxHeap());
        command.addAll(JAVA17_FLAGS);
        command.addAll(FAST_TEST_FLAGS);
        command.add("-Dcassandra.config=" + conf.resolve("cassandra.yaml").toUri());
        command.add("-Dcassandra.storagedir=" + dataDir);
        command.add("-Dcassandra-foreground=yes");
        command.add("-Dcassandra.logdir=" + dataDir.resolve("logs"));
        command.add("-Dlogback.configurationFile=" + conf.resolve("logback.xml"));
        command.add("-cp");
        command.add(launcherLocation() + File.pathSeparator + lib + File.separator + "*");
        command.add(CassandraLauncher.class.getName());
        return command;
    }

    /** {@code -Dcourier.cassandra.java}, else the {@code java} of this JVM (Cassandra 5.0 runs on 11 and 17). */
    static String javaBinary() {
        String configured = System.getProperty("courier.cassandra.java");
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path home = Path.of(System.getProperty("java.home"), "bin", "java");
        if (Files.isExecutable(home)) {
            return home.toString();
        }
        return ProcessHandle.current().info().command().orElse("java");
    }

    /** The testkit classes folder or jar, which holds the launcher: first on the child's classpath. */
    private static Path launcherLocation() {
        try {
            return Path.of(CassandraLauncher.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new LocalPartException("cannot locate the classes of " + CassandraLauncher.class.getName(), e);
        }
    }

    // ------------------------------------------------------------------ server jars

    /**
     * Cassandra's jars: {@code -Dcourier.cassandra.lib}, else {@code testkit/cassandra-dist/target/lib} under the
     * repository root. A reactor build ({@code mvn verify}) produces that folder before the testkit. When it is
     * missing this fails with the command to run, unless {@code -Dcourier.testkit.build-missing=true} (a test
     * started from an IDE) asks to build it here with {@code mvn} (~10 s with a warm {@code ~/.m2}).
     */
    public static Path libDir() {
        return libDir(ProjectLayout::root, System::getProperty, LocalCassandra::buildDistribution);
    }

    /** Builds the server jars into {@code lib}; a seam so that tests can see whether a build would run. */
    @FunctionalInterface
    interface DistributionBuild {
        void run(Path root, Path dist, Path lib);
    }

    static Path libDir(java.util.function.Supplier<Path> rootDir, java.util.function.UnaryOperator<String> property,
                       DistributionBuild build) {
        String configured = property.apply("courier.cassandra.lib");
        if (configured != null && !configured.isBlank()) {
            Path lib = Path.of(configured).toAbsolutePath();
            if (!hasCassandraJar(lib)) {
                throw new LocalPartException("-Dcourier.cassandra.lib=" + configured + " holds no cassandra-all-*.jar");
            }
            return lib;
        }
        Path root = rootDir.get();
        Path dist = root.resolve("testkit").resolve("cassandra-dist");
        Path lib = dist.resolve("target").resolve("lib");
        if (!hasCassandraJar(lib)) {
            if (!Boolean.parseBoolean(property.apply(BUILD_MISSING))) {
                throw new LocalPartException(missingJars(root, lib, ""));
            }
            build.run(root, dist, lib);
            if (!hasCassandraJar(lib)) {
                throw new LocalPartException("building the Cassandra server jars left no cassandra-all-*.jar in " + lib);
            }
        }
        checkNoStaleJars(root, lib, dist.resolve("target").resolve("lib.classpath"));
        return lib;
    }

    private static String missingJars(Path root, Path lib, String why) {
        return "the Cassandra server jars are missing (" + lib + "): run `" + DIST_BUILD + "` in " + root
                + why + " (or point -Dcourier.cassandra.lib at a folder holding them; from an IDE, -D" + BUILD_MISSING
                + "=true builds them with mvn)";
    }

    private static boolean hasCassandraJar(Path lib) {
        return jarNames(lib).stream().anyMatch(name -> name.startsWith("cassandra-all-"));
    }

    private static Set<String> jarNames(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new LocalPartException("cannot list the Cassandra jars in " + dir, e);
        }
    }

    /**
     * copy-dependencies never deletes: after a version change the old jar would stay next to the new one and
     * both would be on {@code lib/*}. The module also writes the exact list; any difference is reported.
     */
    private static void checkNoStaleJars(Path root, Path lib, Path list) {
        if (!Files.isRegularFile(list)) {
            return;
        }
        Set<String> expected;
        try {
            expected = Arrays.stream(Files.readString(list).trim().split(":"))
                    .map(entry -> entry.substring(entry.lastIndexOf('/') + 1))
                    .filter(name -> !name.isBlank())
                    .collect(Collectors.toCollection(TreeSet::new));
        } catch (IOException e) {
            throw new LocalPartException("cannot read " + list, e);
        }
        Set<String> present = jarNames(lib);
        Set<String> extra = new TreeSet<>(present);
        extra.removeAll(expected);
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(present);
        if (!extra.isEmpty() || !missing.isEmpty()) {
            throw new LocalPartException("the Cassandra jars in " + lib + " do not match " + list
                    + (extra.isEmpty() ? "" : "; stale: " + extra) + (missing.isEmpty() ? "" : "; missing: " + missing)
                    + ": run `mvn -B -q -pl testkit/cassandra-dist clean package` in " + root);
        }
    }

    private static void buildDistribution(Path root, Path dist, Path lib) {
        String mvn = findOnPath("mvn");
        if (mvn == null) {
            throw new LocalPartException(missingJars(root, lib, ", -D" + BUILD_MISSING + "=true was given but mvn is not on the PATH"));
        }
        // -f on the module's pom: works even when other modules of the reactor are mid-edit
        List<String> command = List.of(mvn, "-B", "-ntp", "-Dstyle.color=never", "-f", dist.resolve("pom.xml").toString(), "package");
        log.info("Cassandra server jars missing in {}: running `{}` (-D{}=true; once, about 10 s with a warm ~/.m2)",
                lib, String.join(" ", command), BUILD_MISSING);
        long t0 = System.nanoTime();
        try {
            Process build = new ProcessBuilder(command).directory(root.toFile()).redirectErrorStream(true).start();
            build.getOutputStream().close();
            List<String> output = new ArrayList<>();
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(build.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    output.add(line);
                    log.info("[cassandra-dist] {}", line);
                }
            }
            if (!build.waitFor(10, TimeUnit.MINUTES) || build.exitValue() != 0 || !hasCassandraJar(lib)) {
                build.destroyForcibly();
                throw new LocalPartException("building the Cassandra server jars failed: `" + String.join(" ", command)
                        + "`:\n" + String.join("\n", output.subList(Math.max(0, output.size() - 30), output.size())));
            }
        } catch (IOException e) {
            throw new LocalPartException("cannot run `" + String.join(" ", command) + "`: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalPartException("interrupted while building the Cassandra server jars", e);
        }
        log.info("Cassandra server jars built in {} s", (System.nanoTime() - t0) / 1_000_000_000);
    }

    private static String findOnPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return null;
        }
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return candidate.toString();
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ helpers

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.deleteIfExists(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            log.warn("LocalCassandra: could not delete {}: {}", dir, e.toString());
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LocalPartException("interrupted while waiting for Cassandra");
        }
    }
}
