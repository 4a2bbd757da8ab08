package io.courier.bench;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.demo.DemoConfig;
import io.courier.demo.DemoNetwork;
import io.courier.demo.TokenTraffic;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.config.NodeConfigLoader;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.LocalCassandra;
import io.courier.testkit.LocalChain;
import io.courier.testkit.ProjectLayout;
import java.io.IOException;
import java.io.PrintStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code ./courier bench api}: how fast a node answers {@code GET /v1/transfers/{id}} with Cassandra behind it, against
 * {@code GET /healthz} (no I/O) on the same machine, and what that load does to relaying.
 *
 * <p>It starts the demo's parts in this process's care (two Ganache chains, Cassandra in a child JVM, one node), fills
 * {@code --transfers} DELIVERED transfers through the node's store (on a route of chains the node does not serve, so no
 * actor touches them; the rows are those a real delivery writes), and relays {@code --deliveries} real token transfers
 * once without load and once while {@code wrk -t2 -c32} (Debian's package; a bounded JDK {@code HttpClient} load
 * generator when wrk is not installed, said in the output) reads random ids for {@code --seconds}. Then the same load
 * against {@code /healthz}. Prints
 * <pre>
 * bench api: by-id rps=&lt;n&gt; p50_ms=&lt;x&gt; p99_ms=&lt;x&gt; healthz_rps=&lt;n&gt; ratio=&lt;by-id / healthz&gt;
 * bench api: delivery p50_ms idle=&lt;x&gt; under_load=&lt;x&gt; (n transfers each; SENT tx mined to DELIVERED recorded)
 * </pre>
 * Bounded: at most 100,000 transfers, 120 s per load run, 20 deliveries per phase and 180 s to deliver them.
 */
final class ApiBench {

    private static final long FAKE_SRC = 4_242;  // neither chain is served by the node: the filled rows stay as written
    private static final long FAKE_DST = 4_343;
    private static final long ALPHA = 1001;
    private static final long BETA = 1002;
    private static final BigInteger UNIT = BigInteger.TEN.pow(18);
    private static final int THREADS = 2;
    private static final int CONNECTIONS = 32;
    private static final Duration DELIVERY_TIMEOUT = Duration.ofSeconds(180);

    /** @param apiThreads courier.api.threads of the node under test; 0: the node's default */
    private record Options(int transfers, int seconds, int deliveries, boolean javaLoad, int apiThreads) {
        static Options parse(String[] args) {
            int transfers = 2_000;
            int seconds = 20;
            int deliveries = 6;
            boolean java = false;
            int apiThreads = 0;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--transfers" -> transfers = bounded(args, ++i, 1, 100_000);
                    case "--seconds" -> seconds = bounded(args, ++i, 5, 120);
                    case "--deliveries" -> deliveries = bounded(args, ++i, 1, 20);
                    case "--java-load" -> java = true;
                    case "--api-threads" -> apiThreads = bounded(args, ++i, 1, 64);
                    default -> throw new IllegalArgumentException("courier bench api: unknown option " + args[i]
                            + " (--transfers N, --seconds S, --deliveries K, --api-threads T, --java-load)");
                }
            }
            return new Options(transfers, seconds, deliveries, java, apiThreads);
        }

        private static int bounded(String[] args, int i, int min, int max) {
            if (i >= args.length) {
                throw new IllegalArgumentException("courier bench api: " + args[i - 1] + " needs a value");
            }
            int v = Integer.parseInt(args[i]);
            if (v < min || v > max) {
                throw new IllegalArgumentException("courier bench api: " + args[i - 1] + " must be " + min + ".." + max);
            }
            return v;
        }
    }

    /** One load run: requests per second, median and 99th percentile latency, answers that were not 2xx. */
    record Load(double rps, double p50Ms, double p99Ms, long errors, String tool) {}

    private final PrintStream out;
    private final Options options;

    private ApiBench(PrintStream out, Options options) {
        this.out = out;
        this.options = options;
    }

    static void run(PrintStream out, String[] args) throws Exception {
        new ApiBench(out, Options.parse(args)).run();
    }

    private void run() throws Exception {
        Path work = ProjectLayout.workDir().resolve("bench-api-" + System.currentTimeMillis());
        Files.createDirectories(work);
        out.println("bench api: starting Cassandra (child JVM) and two Ganache chains");
        CompletableFuture<LocalCassandra> cassandra = CompletableFuture.supplyAsync(() ->
                LocalCassandra.start(LocalCassandra.Options.named("bench-api").dataDir(work.resolve("cassandra"))));
        try (LocalChain alpha = LocalChain.start(LocalChain.Options.chainId(ALPHA).blockTime(1).name("alpha"));
             LocalChain beta = LocalChain.start(LocalChain.Options.chainId(BETA).blockTime(1).name("beta"));
             LocalCassandra db = cassandra.join()) {
            DemoNetwork network = DemoNetwork.deploy(List.of(alpha, beta), DemoNetwork.demoValidatorKeys(3), 2);
            TokenTraffic traffic = new TokenTraffic(network);
            traffic.fundUser(UNIT.multiply(BigInteger.valueOf(1_000_000)));
            Map<String, Object> config = DemoConfig.map(network, db.contactPoint().getHostString() + ":"
                    + db.contactPoint().getPort(), "courier_bench", 0, 2, work.resolve("keys"));
            if (options.apiThreads() > 0) {
                @SuppressWarnings("unchecked")
                Map<String, Object> courier = (Map<String, Object>) config.get("courier");
                Map<String, Object> api = new java.util.LinkedHashMap<>((Map<String, Object>) courier.get("api"));
                api.put("threads", options.apiThreads());
                courier.put("api", api);
            }
            io.courier.relayer.config.NodeConfig nodeConfig = NodeConfigLoader.fromEnvironment().load(ConfigFactory.parseMap(config));
            try (CourierNode node = CourierNode.start(nodeConfig, Clock.systemUTC())) {
                out.println("bench api: node up at " + node.apiUrl() + "; filling " + options.transfers() + " delivered transfers");
                List<String> ids = fill(node.transfers(), options.transfers());
                Path idFile = work.resolve("ids.txt");
                Files.write(idFile, ids);

                Optional<String> wrk = options.javaLoad() ? Optional.empty() : which("wrk");
                if (wrk.isEmpty()) {
                    out.println("bench api: wrk not found (apt-get install wrk); using the JDK HttpClient load generator");
                }
                LoadRunner runner = wrk.isPresent() ? new WrkRunner(wrk.get(), work) : new JavaRunner();
                runner.run(node.apiUrl(), idFile, Duration.ofSeconds(5)); // warm-up: JIT, connections, cache

                List<Long> idle = deliver(traffic, node.transfers(), options.deliveries(), 0);
                out.printf("bench api: delivery without load, ms: %s%n", idle);

                CompletableFuture<List<Long>> underLoad = CompletableFuture.supplyAsync(() -> {
                    try {
                        Thread.sleep(1_000); // the load is running
                        return deliver(traffic, node.transfers(), options.deliveries(), options.deliveries());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Load byId = runner.run(node.apiUrl(), idFile, Duration.ofSeconds(options.seconds()));
                boolean loadOutlived = underLoad.isDone();
                List<Long> loaded = underLoad.get(DELIVERY_TIMEOUT.toSeconds() + 30, TimeUnit.SECONDS);
                out.printf("bench api: delivery under load, ms: %s%s%n", loaded,
                        loadOutlived ? "" : " (the load ended before the last delivery: the rest ran without load)");
                Load healthz = runner.run(node.apiUrl(), null, Duration.ofSeconds(options.seconds()));

                out.printf("bench api: node with courier.api.threads=%d%n", nodeConfig.api().threads());
                out.printf("bench api: load tool %s, %d threads, %d connections, %d s per run, %d transfers; "
                                + "non-2xx answers: by-id %d, healthz %d; healthz p50_ms=%.2f p99_ms=%.2f%n", byId.tool(), THREADS,
                        CONNECTIONS, options.seconds(), ids.size(), byId.errors(), healthz.errors(), healthz.p50Ms(), healthz.p99Ms());
                out.printf("bench api: by-id rps=%.0f p50_ms=%.2f p99_ms=%.2f healthz_rps=%.0f ratio=%.2f%n",
                        byId.rps(), byId.p50Ms(), byId.p99Ms(), healthz.rps(), byId.rps() / healthz.rps());
                out.printf("bench api: delivery p50_ms idle=%d under_load=%d (%d transfers each; SENT tx mined to DELIVERED recorded)%n",
                        median(idle), median(loaded), options.deliveries());
            }
        }
    }

    /** {@code n} DELIVERED transfers written as the relay writes them, at most 64 writes in flight; their ids. */
    private static List<String> fill(TransferStore store, int n) throws Exception {
        Semaphore inFlight = new Semaphore(64);
        List<CompletableFuture<?>> all = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        Instant t0 = Instant.now().minusSeconds(600);
        String gateway = "0x" + "42".repeat(20);
        byte[] payload = "courier bench api".getBytes(StandardCharsets.UTF_8);
        for (int k = 0; k < n; k++) {
            final int i = k;
            CrossChainMessage m = new CrossChainMessage(FAKE_SRC, gateway, i, FAKE_DST, "0x" + "51".repeat(20),
                    "0x" + "52".repeat(20), payload);
            TxHash tx = TxHash.fromHex(String.format("0x%064x", i + 1));
            BlockHash block = BlockHash.fromHex(String.format("0x%064x", 1_000_000 + i));
            Transfer t = Transfer.observed(m, new SourceRef(tx, 100 + i, block, 0), 2, t0.plusMillis(i));
            TxHash dst = TxHash.fromHex(String.format("0x%064x", 2_000_000 + i));
            MessageId id = t.id();
            ids.add(id.toHex());
            inFlight.acquire();
            all.add(store.recordObserved(t)
                    .thenCompose(created -> store.transition(id, TransferStatus.SENT, new TransferEvent.Finalized(2), t0.plusMillis(i + 1)))
                    .thenCompose(o -> store.transition(id, TransferStatus.FINALIZED, new TransferEvent.Attested(2), t0.plusMillis(i + 2)))
                    .thenCompose(o -> store.transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(dst, i), t0.plusMillis(i + 3)))
                    .thenCompose(o -> store.transition(id, TransferStatus.SUBMITTED, new TransferEvent.Delivered(dst, 500 + i), t0.plusMillis(i + 4)))
                    .whenComplete((o, e) -> inFlight.release())
                    .toCompletableFuture());
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
        for (String id : List.of(ids.get(0), ids.get(ids.size() - 1))) {
            TransferStatus s = store.find(MessageId.fromHex(id)).toCompletableFuture().get().orElseThrow().status();
            if (s != TransferStatus.DELIVERED) {
                throw new IllegalStateException("filled transfer " + id + " is " + s + ", not DELIVERED");
            }
        }
        return ids;
    }

    /**
     * Sends {@code n} token locks alternating alpha→beta and beta→alpha and waits until each is DELIVERED; per transfer
     * the time from its source transaction's receipt to the DELIVERED stage time the node recorded, in ms.
     */
    private static List<Long> deliver(TokenTraffic traffic, TransferStore store, int n, int offset) throws Exception {
        List<TokenTraffic.Sent> sent = new ArrayList<>();
        List<Instant> minedAt = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long src = (i + offset) % 2 == 0 ? ALPHA : BETA;
            sent.add(traffic.lock(src, src == ALPHA ? BETA : ALPHA, UNIT.multiply(BigInteger.valueOf(i + offset + 1))));
            minedAt.add(Instant.now());
        }
        Instant deadline = Instant.now().plus(DELIVERY_TIMEOUT);
        Long[] latency = new Long[n];
        while (Arrays.stream(latency).anyMatch(l -> l == null)) {
            if (Instant.now().isAfter(deadline)) {
                throw new IllegalStateException("not every transfer delivered within " + DELIVERY_TIMEOUT + ": " + Arrays.toString(latency));
            }
            for (int i = 0; i < n; i++) {
                if (latency[i] == null) {
                    Optional<Transfer> t = store.find(MessageId.fromHex(sent.get(i).messageId())).toCompletableFuture().get();
                    if (t.isPresent() && t.get().status() == TransferStatus.DELIVERED) {
                        latency[i] = Math.max(0, Duration.between(minedAt.get(i),
                                t.get().stageTime(TransferStatus.DELIVERED).orElseThrow()).toMillis());
                    }
                }
            }
            Thread.sleep(100);
        }
        return List.of(latency);
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.get(sorted.size() / 2);
    }

    private static Optional<String> which(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
            Path p = Path.of(dir, tool);
            if (Files.isExecutable(p)) {
                return Optional.of(p.toString());
            }
        }
        return Optional.empty();
    }

    /** Loads {@code GET /v1/transfers/{id}} over the ids in {@code ids}, or {@code /healthz} when {@code ids} is null. */
    private interface LoadRunner {
        Load run(String baseUrl, Path ids, Duration duration) throws Exception;
    }

    /** {@code wrk -t2 -c32 --latency}, with a Lua script walking the ids. */
    private static final class WrkRunner implements LoadRunner {
        private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
        private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses:\\s+([0-9]+)");
        private static final Pattern ERRORS = Pattern.compile("Socket errors: connect ([0-9]+), read ([0-9]+), write ([0-9]+), timeout ([0-9]+)");

        private final String wrk;
        private final Path script;

        WrkRunner(String wrk, Path work) throws IOException {
            this.wrk = wrk;
            this.script = work.resolve("by-id.lua");
        }

        @Override
        public Load run(String baseUrl, Path ids, Duration duration) throws Exception {
            List<String> command = new ArrayList<>(List.of(wrk, "-t" + THREADS, "-c" + CONNECTIONS,
                    "-d" + duration.toSeconds() + "s", "--latency"));
            if (ids != null) {
                Files.writeString(script, """
                        local paths = {}
                        for line in io.lines("%s") do paths[#paths + 1] = "/v1/transfers/" .. line end
                        local i = math.random(#paths)
                        request = function()
                          i = i %% #paths + 1
                          return wrk.format("GET", paths[i])
                        end
                        """.formatted(ids.toAbsolutePath()));
                command.addAll(List.of("-s", script.toString()));
            }
            command.add(ids == null ? baseUrl + "/healthz" : baseUrl);
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk failed: " + output);
            }
            Matcher rps = RPS.matcher(output);
            if (!rps.find()) {
                throw new IllegalStateException("no Requests/sec in wrk's output: " + output);
            }
            long errors = 0;
            Matcher non2xx = NON_2XX.matcher(output);
            if (non2xx.find()) {
                errors += Long.parseLong(non2xx.group(1));
            }
            Matcher socket = ERRORS.matcher(output);
            if (socket.find()) {
                for (int g = 1; g <= 4; g++) {
                    errors += Long.parseLong(socket.group(g));
                }
            }
            return new Load(Double.parseDouble(rps.group(1)), percentile(output, "50%"), percentile(output, "99%"), errors, "wrk");
        }

        /** A line of wrk's latency distribution, e.g. {@code "     99%    4.20ms"}, in ms. */
        private static double percentile(String output, String which) {
            Matcher m = Pattern.compile("^\\s*" + Pattern.quote(which) + "\\s+([0-9.]+)(us|ms|s)\\s*$", Pattern.MULTILINE).matcher(output);
            if (!m.find()) {
                throw new IllegalStateException("no " + which + " latency in wrk's output: " + output);
            }
            double v = Double.parseDouble(m.group(1));
            return switch (m.group(2)) {
                case "us" -> v / 1000;
                case "s" -> v * 1000;
                default -> v;
            };
        }
    }

    /**
     * The same closed loop in Java: {@code CONNECTIONS} threads each sending one request after another for
     * {@code duration}, latencies kept (at most 4 million samples in all).
     */
    private static final class JavaRunner implements LoadRunner {
        private static final int MAX_SAMPLES_PER_THREAD = 4_000_000 / CONNECTIONS;

        @Override
        public Load run(String baseUrl, Path ids, Duration duration) throws Exception {
            List<String> paths = ids == null ? List.of("/healthz")
                    : Files.readAllLines(ids).stream().map(id -> "/v1/transfers/" + id).toList();
            HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong errors = new AtomicLong();
            long[][] samples = new long[CONNECTIONS][MAX_SAMPLES_PER_THREAD];
            int[] counts = new int[CONNECTIONS];
            List<Thread> threads = new ArrayList<>();
            for (int c = 0; c < CONNECTIONS; c++) {
                int lane = c;
                Thread t = new Thread(() -> {
                    int i = lane * 7919;
                    while (!stop.get() && counts[lane] < MAX_SAMPLES_PER_THREAD) {
                        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + paths.get(Math.floorMod(i++, paths.size()))))
                                .timeout(Duration.ofSeconds(10)).build();
                        long start = System.nanoTime();
                        try {
                            HttpResponse<Void> r = http.send(request, HttpResponse.BodyHandlers.discarding());
                            if (r.statusCode() / 100 != 2) {
                                errors.incrementAndGet();
                            }
                        } catch (IOException e) {
                            errors.incrementAndGet();
                        } catch (InterruptedException e) {
                            return;
                        }
                        samples[lane][counts[lane]++] = System.nanoTime() - start;
                    }
                }, "bench-api-load-" + c);
                threads.add(t);
            }
            long began = System.nanoTime();
            threads.forEach(Thread::start);
            Thread.sleep(duration.toMillis());
            stop.set(true);
            for (Thread t : threads) {
                t.join(15_000);
            }
            double seconds = (System.nanoTime() - began) / 1e9;
            int total = Arrays.stream(counts).sum();
            long[] all = new long[total];
            int at = 0;
            for (int c = 0; c < CONNECTIONS; c++) {
                System.arraycopy(samples[c], 0, all, at, counts[c]);
                at += counts[c];
            }
            Arrays.sort(all);
            return new Load(total / seconds, all[(int) (total * 0.50)] / 1e6, all[(int) Math.min(total - 1, total * 0.99)] / 1e6,
                    errors.get(), "java HttpClient");
        }
    }
}
