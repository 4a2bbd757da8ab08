package io.courier.demo;

import io.courier.testkit.ProjectLayout;
import io.courier.testkit.otlp.OtlpReceiver;
import io.courier.testkit.otlp.ReceivedSpan;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * {@code courier demo --observability}: next to the demo, an OTLP/HTTP receiver the node's traces go to and a
 * Prometheus (the Debian package, when on PATH) scraping the node with the repository's recording and alert rules
 * and exemplar storage on; both local processes on loopback. On exit: how many traces and spans arrived, and one
 * delivered transfer's trace as an indented tree.
 *
 * <p>The node runs in the demo's JVM, so it is pointed at the receiver with the {@code otel.*} system properties the
 * SDK's autoconfiguration reads, each set only when the matching {@code OTEL_*} variable is not: a user's own
 * collector still wins.
 */
public final class DemoObservability implements AutoCloseable {

    private static final Map<String, String> EXPORTER = Map.of(
            "otel.traces.exporter", "OTEL_TRACES_EXPORTER",
            "otel.exporter.otlp.protocol", "OTEL_EXPORTER_OTLP_PROTOCOL",
            "otel.bsp.schedule.delay", "OTEL_BSP_SCHEDULE_DELAY");

    private final PrintStream out;
    private final OtlpReceiver receiver;
    private final Process prometheus; // null: not installed
    private final String prometheusUrl;
    private final Thread hook = new Thread(this::close, "demo-observability-shutdown");
    private final AtomicBoolean closed = new AtomicBoolean();

    private DemoObservability(PrintStream out, OtlpReceiver receiver, Process prometheus, String prometheusUrl) {
        this.out = out;
        this.receiver = receiver;
        this.prometheus = prometheus;
        this.prometheusUrl = prometheusUrl;
    }

    /**
     * Starts the receiver and Prometheus for a node whose API (and {@code /metrics}) will listen on loopback
     * {@code apiPort}; Prometheus retries the scrape until it does.
     */
    public static DemoObservability start(int apiPort, PrintStream out) throws IOException {
        OtlpReceiver receiver = OtlpReceiver.start();
        pointTracesAt(receiver);
        Path home = ProjectLayout.workDir().resolve("demo-prometheus-" + System.currentTimeMillis());
        Process prometheus = null;
        String url = null;
        String binary = io.courier.testkit.ChildProcess.onPath("prometheus");
        if (binary == null) {
            out.println("  (no prometheus on PATH: apt-get install -y prometheus for the metrics half of --observability)");
        } else {
            int port = freePort();
            Files.createDirectories(home);
            Path config = Files.writeString(home.resolve("prometheus.yml"), config(apiPort));
            prometheus = new ProcessBuilder(binary, "--config.file=" + config, "--storage.tsdb.path=" + home.resolve("data"),
                    "--web.listen-address=127.0.0.1:" + port, "--enable-feature=exemplar-storage")
                    .redirectErrorStream(true).redirectOutput(home.resolve("prometheus.log").toFile()).start();
            url = "http://127.0.0.1:" + port;
        }
        DemoObservability o = new DemoObservability(out, receiver, prometheus, url);
        Runtime.getRuntime().addShutdownHook(o.hook); // Ctrl-C: the summary too
        o.printWhereToLook(home);
        return o;
    }

    private static void pointTracesAt(OtlpReceiver receiver) {
        if (System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") == null && System.getenv("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT") == null) {
            System.setProperty("otel.exporter.otlp.endpoint", receiver.endpoint());
        }
        Map<String, String> values = Map.of("otel.traces.exporter", "otlp", "otel.exporter.otlp.protocol", "http/protobuf",
                "otel.bsp.schedule.delay", "500");
        EXPORTER.forEach((property, variable) -> {
            if (System.getenv(variable) == null) {
                System.setProperty(property, values.get(property));
            }
        });
    }

    /** The repository's rule files, the node scraped every 5 s. */
    static String config(int apiPort) throws IOException {
        List<String> rules = new ArrayList<>();
        Path dir = ProjectLayout.root().resolve("dashboards/prometheus/rules");
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                files.filter(p -> p.toString().endsWith(".yml")).sorted()
                        .forEach(p -> rules.add("  - \"" + p.toAbsolutePath() + "\""));
            }
        }
        return String.join("\n",
                "global:", "  scrape_interval: 5s", "  evaluation_interval: 5s",
                rules.isEmpty() ? "rule_files: []" : "rule_files:\n" + String.join("\n", rules),
                "scrape_configs:", "  - job_name: courier", "    static_configs:",
                "      - targets: [\"127.0.0.1:" + apiPort + "\"]", "");
    }

    private void printWhereToLook(Path home) {
        out.println();
        out.println("  observability");
        out.println("    traces      OTLP/HTTP receiver " + receiver.endpoint() + " (the node exports there"
                + (System.getenv("OTEL_EXPORTER_OTLP_ENDPOINT") != null ? " unless OTEL_EXPORTER_OTLP_ENDPOINT, set, wins" : "")
                + "); a transfer's trace id is the first 32 hex digits of its message id");
        if (prometheusUrl != null) {
            out.println("    prometheus  " + prometheusUrl + "/query (rules: dashboards/prometheus/rules; alerts at "
                    + prometheusUrl + "/alerts; data in " + home + ")");
            out.println("    exemplars   histogram_quantile(0.9, sum by (le, stage) (rate(courier_transfer_stage_duration_seconds_bucket[1m])))"
                    + " with exemplars on: each dot links a latency to its trace_id");
        }
        out.println("    on exit     how many traces and spans arrived, and one transfer's trace as a tree");
        out.println();
    }

    /** The summary printed at exit. */
    String summary() {
        List<ReceivedSpan> spans = receiver.spans();
        Map<String, List<ReceivedSpan>> traces = receiver.traces();
        StringBuilder s = new StringBuilder();
        s.append("observability: ").append(traces.size()).append(" traces, ").append(spans.size())
                .append(" spans received over OTLP at ").append(receiver.endpoint()).append('\n');
        Optional<List<ReceivedSpan>> delivered = traces.values().stream()
                .filter(t -> t.stream().anyMatch(x -> x.isRoot() && "DELIVERED".equals(x.attribute("courier.final_state"))))
                .max(Comparator.comparingInt(List::size));
        Optional<List<ReceivedSpan>> shown = delivered.or(() -> traces.values().stream()
                .filter(t -> t.stream().anyMatch(x -> x.attribute("courier.message_id") != null))
                .max(Comparator.comparingInt(List::size)));
        shown.ifPresentOrElse(trace -> {
            String id = trace.get(0).traceId();
            String message = trace.stream().map(x -> x.attribute("courier.message_id")).filter(m -> m != null).findFirst().orElse("?");
            s.append("trace ").append(id).append(" (transfer ").append(message).append("):\n");
            ReceivedSpan.tree(receiver.trace(id)).lines().forEach(line -> s.append("  ").append(line).append('\n'));
        }, () -> s.append("no transfer's trace arrived (none finished a stage yet?)\n"));
        return s.toString();
    }

    /** Prints the summary (spans still in flight given a moment to arrive), stops Prometheus and the receiver. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            settle();
            out.println();
            out.print(summary());
        } finally {
            if (prometheus != null) {
                prometheus.destroy();
                try {
                    if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                        prometheus.destroyForcibly();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    prometheus.destroyForcibly();
                }
            }
            receiver.close();
            if (Thread.currentThread() != hook) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException shuttingDown) {
                    // the hook runs already
                }
            }
        }
    }

    /** Waits (at most a few seconds) until no span has arrived for a second: the node's last batch is flushed at its close. */
    private void settle() {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        int before = -1;
        try {
            while (System.nanoTime() < deadline) {
                int now = receiver.spans().size();
                if (now == before) {
                    return;
                }
                before = now;
                Thread.sleep(1_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The receiver, for tests. */
    OtlpReceiver receiver() {
        return receiver;
    }

    /** {@code preferred} if free on loopback, else any free port (as the demo chooses its API port). */
    static int freeOr(int preferred) throws IOException {
        try (ServerSocket s = new ServerSocket(preferred, 1, InetAddress.getLoopbackAddress())) {
            return preferred;
        } catch (IOException taken) {
            return freePort();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
