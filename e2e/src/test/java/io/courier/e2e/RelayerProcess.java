package io.courier.e2e;

import io.courier.testkit.ChildProcess;
import io.courier.testkit.ProjectLayout;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** The relayer as a user runs it: {@code courier run --config FILE} in its own JVM, which a test can kill -9. */
final class RelayerProcess implements AutoCloseable {

    private final ChildProcess process;
    private final int apiPort;

    private RelayerProcess(ChildProcess process, int apiPort) {
        this.process = process;
        this.apiPort = apiPort;
    }

    static RelayerProcess start(Path config, int apiPort, Path logFile) throws Exception {
        return start(config, apiPort, logFile, java.util.Map.of());
    }

    /** As {@link #start(Path, int, Path)}, with {@code environment} added (the {@code OTEL_*} variables, say). */
    static RelayerProcess start(Path config, int apiPort, Path logFile, java.util.Map<String, String> environment) throws Exception {
        Path relayer = ProjectLayout.root().resolve("relayer/target");
        Path classpathFile = relayer.resolve("runtime-classpath.txt");
        if (!Files.isRegularFile(classpathFile)) {
            throw new IllegalStateException(classpathFile + " is missing: run `mvn package` first (failsafe runs after it)");
        }
        String classpath = relayer.resolve("classes") + java.io.File.pathSeparator + Files.readString(classpathFile).trim();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = List.of(java, "-Xmx512m", "-XX:TieredStopAtLevel=1", "-Dcourier.console.level=INFO",
                "-Dcourier.log.dir=" + logFile.getParent(), "-cp", classpath, "io.courier.relayer.cli.CourierCli",
                "run", "--config", config.toString());
        ChildProcess child = ChildProcess.start("relayer", command, ProjectLayout.root(), logFile, environment);
        RelayerProcess relayerProcess = new RelayerProcess(child, apiPort);
        relayerProcess.awaitHealthy(Duration.ofSeconds(90));
        return relayerProcess;
    }

    private void awaitHealthy(Duration timeout) throws Exception {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("relayer exited during start:\n" + process.logTail(40));
            }
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + apiPort + "/healthz")).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (r.statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // not listening yet
            }
            Thread.sleep(200);
        }
        throw new IllegalStateException("relayer not healthy within " + timeout + ":\n" + process.logTail(40));
    }

    /** A free loopback port for the node's API. */
    static int freePort() throws Exception {
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    long pid() {
        return process.pid();
    }

    /** SIGKILL: no shutdown hook, no flush, as a crash. */
    void kill() {
        process.kill();
    }

    String logTail(int lines) {
        return process.logTail(lines);
    }

    @Override
    public void close() {
        process.stop(Duration.ofSeconds(15));
    }
}
