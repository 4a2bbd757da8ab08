package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.demo.TokenTraffic;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.node.CourierNode;
import io.courier.testkit.CassandraExtension;
import io.courier.testkit.CassandraTest;
import io.courier.testkit.LocalCassandra;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The panel-and-rule test (issue 12 part 5): while a node relays a few transfers, every {@code courier_*} name a
 * Grafana panel or variable ({@code dashboards/grafana/*.json}), a recording rule or an alert
 * ({@code dashboards/prometheus/rules/*.yml}) queries is served on its {@code /metrics} — or is a recording rule, or
 * is still listed in {@code pending-metrics.txt}. The metrics of part 2 have moved. Then a real Prometheus (the
 * Debian package; skipped when absent) on loopback scrapes the node every second with the repository's rule files,
 * and a recording rule returns data for each chain through its HTTP API.
 */
@CassandraTest
class PanelsAndRulesIT {

    private static final java.net.http.HttpClient PROMETHEUS_HTTP = java.net.http.HttpClient.newHttpClient();

    private static final ObjectMapper json = new ObjectMapper();
    /** A Courier metric or recording rule name in PromQL: as dashboards.test.mjs reads them. */
    private static final Pattern NAME = Pattern.compile("(?<![A-Za-z0-9_:$])courier[_:][A-Za-z0-9_:]*");
    /** The recording rule queried through Prometheus: rates of a counter every chain's requests move. */
    private static final String RULE = "courier:rpc_error_ratio:rate5m";
    private static final Duration WAIT = Duration.ofSeconds(90);
    /**
     * Families the node serves only once their event happened, because a label value cannot be known before it
     * (everything else is created at start, CourierMetrics.declareChains). Each says where it is seen moving.
     */
    private static final Map<String, String> EVENT_ONLY = Map.of(
            "courier_reorgs_total", "depth is the reorg's depth; ReorgIT sees it move",
            // born at 0 (updates per chain and destination, gas per chain), but only on a node running the updater (its
            // own key and a GasOracle per chain), which this one does not
            "courier_oracle_updates_total", "GasOracleUpdaterIT sees it born at 0 per destination and move",
            "courier_oracle_update_gas_spent_wei_total", "GasOracleUpdaterIT sees it move");

    @Test
    void everyNameAPanelOrRuleQueriesIsServedAndPrometheusEvaluatesTheRules(LocalCassandra db, CassandraExtension.Keyspace keyspace,
                                                                           @TempDir Path dir) throws Exception {
        Path repo = repoRoot();
        Map<String, Set<String>> referenced = referencedNames(repo);
        Set<String> recorded = recordingRules(repo);
        Set<String> pending = pendingNames(repo);
        assertThat(referenced).as("names read from the dashboards and rules").hasSizeGreaterThan(20);
        assertThat(recorded).contains(RULE);
        assertThat(referenced.keySet()).as("exemptions still queried somewhere").containsAll(EVENT_ONLY.keySet());

        try (RelayNetwork net = RelayNetwork.start("panels")) {
            Map<String, Object> map = net.configMap(db, keyspace.name(), dir.resolve("keys"), 2);
            // an oracle as an operator would set one up (a static price; the gas price from each chain), so the oracle
            // dashboard's and rules' names are served too
            RelayNetwork.courier(map).put("oracle", Map.of(
                    "native-assets", List.of(Map.of("chain-id", RelayNetwork.ALPHA, "asset", "ETH"),
                            Map.of("chain-id", RelayNetwork.BETA, "asset", "ETH")),
                    "assets", List.of(Map.of("name", "ETH", "min-sources", 1,
                            "sources", List.of(Map.of("type", "static", "name", "ops", "usd", "3000"))))));
            NodeConfig config = net.nodeConfig(com.typesafe.config.ConfigFactory.parseMap(map));
            try (CourierNode node = CourierNode.start(config, Clock.systemUTC())) {
                List<TokenTraffic.Sent> sent = net.send(4, 0);
                RelayNetwork.awaitDelivered(node.transfers(), sent, Duration.ofSeconds(120));
                NodeApi.chain(node, config.chains().get(0).chainId()); // an operator's look at the status API

                String scrape = NodeApi.get(node.apiUrl() + "/metrics").body();
                Set<String> served = servedNames(scrape);
                Map<String, Set<String>> missing = new TreeMap<>();
                referenced.forEach((name, where) -> {
                    if (!served.contains(name) && !recorded.contains(name) && !pending.contains(name) && !EVENT_ONLY.containsKey(name)) {
                        missing.put(name, where);
                    }
                });
                assertThat(missing).as("names dashboards or rules query that the node does not serve (name -> where)").isEmpty();
                assertPartTwoMetricsMoved(node, config, sent);

                queryThroughPrometheus(node, config, repo, dir.resolve("prometheus"));
            }
        }
    }

    /** Finalized block, stage durations, signer balance, chain info, RPC latency by endpoint, counters born at 0. */
    private static void assertPartTwoMetricsMoved(CourierNode node, NodeConfig config, List<TokenTraffic.Sent> sent) throws Exception {
        for (NodeConfig.ChainSettings chain : config.chains()) {
            String c = "chain=\"" + chain.name() + "\"";
            assertThat(NodeApi.metric(node, "courier_chain_finalized_block", c)).as("finalized block of %s", chain.name()).isPositive();
            assertThat(NodeApi.metric(node, "courier_signer_balance_wei", c)).as("signer balance on %s", chain.name()).isPositive();
            assertThat(NodeApi.metric(node, "courier_chain_info", c + ",chain_id=\"" + chain.chainId() + "\"")).isEqualTo(1);
            assertThat(NodeApi.metric(node, "courier_rpc_request_duration_seconds_count", c + ",endpoint=\"http://"))
                    .as("RPC latency of %s by endpoint", chain.name()).isPositive();
            assertThat(NodeApi.get(node.apiUrl() + "/metrics").body()).as("deep reorgs of %s, at 0 from the start", chain.name())
                    .contains("courier_deep_reorgs_total{" + c + "} 0");
        }
        TokenTraffic.Sent first = sent.get(0);
        String route = "route=\"" + first.srcChainId() + "->" + first.dstChainId() + "\"";
        for (String stage : List.of("finality.wait", "attest", "submit", "destination.confirm")) {
            assertThat(NodeApi.metric(node, "courier_transfer_stage_duration_seconds_count", route + ",stage=\"" + stage + "\""))
                    .as("stage %s observed on %s", stage, route).isPositive();
        }
    }

    /** Starts Prometheus on loopback with the repository's rules, scraping the node every second; queries {@link #RULE}. */
    private static void queryThroughPrometheus(CourierNode node, NodeConfig config, Path repo, Path home) throws Exception {
        String binary = io.courier.testkit.ChildProcess.onPath("prometheus");
        Assumptions.assumeTrue(binary != null,
                "no prometheus binary on PATH: the Prometheus half of this test is skipped (apt-get install -y prometheus; .ci/run installs it)");
        Files.createDirectories(home);
        URI api = URI.create(node.apiUrl());
        List<String> ruleFiles;
        try (Stream<Path> files = Files.list(repo.resolve("dashboards/prometheus/rules"))) {
            ruleFiles = files.filter(p -> p.toString().endsWith(".yml")).map(p -> "  - " + quoted(p.toAbsolutePath().toString())).sorted().toList();
        }
        String yaml = String.join("\n",
                "global:", "  scrape_interval: 1s", "  evaluation_interval: 1s",
                "rule_files:", String.join("\n", ruleFiles),
                "scrape_configs:", "  - job_name: courier", "    static_configs:",
                "      - targets: [" + quoted(api.getHost() + ":" + api.getPort()) + "]", "");
        Path configFile = Files.writeString(home.resolve("prometheus.yml"), yaml);
        int port = freePort();
        Path log = home.resolve("prometheus.log");
        Process prometheus = new ProcessBuilder(binary, "--config.file=" + configFile, "--storage.tsdb.path=" + home.resolve("data"),
                "--web.listen-address=127.0.0.1:" + port)
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        try {
            String base = "http://127.0.0.1:" + port;
            JsonNode up = awaitResult(base, "up{job=\"courier\"} == 1", prometheus, log);
            assertThat(up).as("the node scraped").hasSize(1);
            JsonNode result = awaitResult(base, RULE, prometheus, log);
            Set<String> chains = new TreeSet<>();
            result.forEach(r -> chains.add(r.path("metric").path("chain").asText()));
            assertThat(chains).as("%s by chain", RULE)
                    .containsExactlyInAnyOrderElementsOf(config.chains().stream().map(NodeConfig.ChainSettings::name).toList());
        } finally {
            prometheus.destroy();
            if (!prometheus.waitFor(10, TimeUnit.SECONDS)) {
                prometheus.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The non-empty result vector of an instant query, polled until {@link #WAIT} has passed. */
    private static JsonNode awaitResult(String base, String query, Process prometheus, Path log) throws Exception {
        Instant deadline = Instant.now().plus(WAIT);
        String last = "no answer";
        while (Instant.now().isBefore(deadline)) {
            if (!prometheus.isAlive()) {
                throw new AssertionError("prometheus exited with " + prometheus.exitValue() + ":\n" + tail(log));
            }
            try {
                // Prometheus's own API: not the node's, so not checked against the node's openapi.yaml
                var response = PROMETHEUS_HTTP.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/api/v1/query?query="
                        + URLEncoder.encode(query, StandardCharsets.UTF_8))).build(), java.net.http.HttpResponse.BodyHandlers.ofString());
                last = response.statusCode() + " " + response.body();
                JsonNode result = json.readTree(response.body()).path("data").path("result");
                if (response.statusCode() == 200 && result.isArray() && !result.isEmpty()) {
                    return result;
                }
            } catch (IOException notListeningYet) {
                last = notListeningYet.toString();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("prometheus: no data for " + query + " within " + WAIT + "; last answer: " + last + "\n" + tail(log));
    }

    /** Every courier_ and courier: name the dashboards' queries and the rules' expressions use, with where. */
    static Map<String, Set<String>> referencedNames(Path repo) throws IOException {
        Map<String, Set<String>> names = new TreeMap<>();
        List<Path> dashboards;
        try (Stream<Path> files = Files.list(repo.resolve("dashboards/grafana"))) {
            dashboards = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(dashboards).as("dashboards/grafana/*.json").isNotEmpty();
        for (Path file : dashboards) {
            JsonNode dashboard = json.readTree(file.toFile());
            List<JsonNode> panels = new ArrayList<>();
            dashboard.path("panels").forEach(p -> {
                panels.add(p);
                p.path("panels").forEach(panels::add); // a collapsed row's panels
            });
            for (JsonNode panel : panels) {
                for (JsonNode target : panel.path("targets")) {
                    addNames(names, target.path("expr").asText(""), file.getFileName() + " panel \"" + panel.path("title").asText() + "\"");
                }
            }
            for (JsonNode variable : dashboard.path("templating").path("list")) {
                JsonNode query = variable.path("query");
                addNames(names, query.isTextual() ? query.asText() : query.path("query").asText(""),
                        file.getFileName() + " variable \"" + variable.path("name").asText() + "\"");
            }
        }
        for (Path file : ruleFiles(repo)) {
            for (String expr : expressions(Files.readAllLines(file))) {
                addNames(names, expr, String.valueOf(file.getFileName()));
            }
        }
        return names;
    }

    /**
     * The {@code expr:} values of a rules file: one line, or a block scalar ({@code |}, {@code >}) of the lines
     * indented deeper than the key. Enough for these files without a YAML library.
     */
    static List<String> expressions(List<String> lines) {
        Pattern key = Pattern.compile("^(\\s*)expr:\\s*(.*)$");
        List<String> exprs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            Matcher m = key.matcher(lines.get(i));
            if (!m.matches()) {
                continue;
            }
            String value = m.group(2).trim();
            if (!value.matches("[|>][-+]?")) {
                exprs.add(value.replaceAll("^[\"']|[\"']$", ""));
                continue;
            }
            int indent = m.group(1).length();
            StringBuilder block = new StringBuilder();
            while (i + 1 < lines.size() && (lines.get(i + 1).isBlank() || leading(lines.get(i + 1)) > indent)) {
                block.append(lines.get(++i)).append('\n');
            }
            exprs.add(block.toString());
        }
        return exprs;
    }

    private static int leading(String line) {
        int n = 0;
        while (n < line.length() && line.charAt(n) == ' ') {
            n++;
        }
        return n;
    }

    private static void addNames(Map<String, Set<String>> names, String expr, String where) {
        Matcher m = NAME.matcher(expr);
        while (m.find()) {
            names.computeIfAbsent(m.group(), k -> new TreeSet<>()).add(where);
        }
    }

    static Set<String> recordingRules(Path repo) throws IOException {
        Set<String> rules = new TreeSet<>();
        Pattern record = Pattern.compile("^\\s*-\\s*record:\\s*[\"']?([A-Za-z0-9_:]+)");
        for (Path file : ruleFiles(repo)) {
            for (String line : Files.readAllLines(file)) {
                Matcher m = record.matcher(line);
                if (m.find()) {
                    rules.add(m.group(1));
                }
            }
        }
        return rules;
    }

    /** pending-metrics.txt: one name a line, {@code #} starts a comment; a histogram may be queried by its series. */
    static Set<String> pendingNames(Path repo) throws IOException {
        Set<String> names = new TreeSet<>();
        for (String line : Files.readAllLines(repo.resolve("dashboards/prometheus/pending-metrics.txt"))) {
            String name = line.replaceAll("#.*", "").trim();
            if (!name.isEmpty()) {
                for (String suffix : List.of("", "_bucket", "_sum", "_count")) {
                    names.add(name + suffix);
                }
            }
        }
        return names;
    }

    /**
     * The series names a scrape serves: every sample's name, and each family its {@code # TYPE} line declares with
     * the names Prometheus stores for it (a counter's {@code _total}, a histogram's {@code _bucket}, {@code _sum},
     * {@code _count}) — a labelled family with no child yet (no reorg seen) is served, just empty.
     */
    static Set<String> servedNames(String scrape) {
        Set<String> names = new TreeSet<>();
        for (String line : scrape.split("\n")) {
            if (line.startsWith("# TYPE ")) {
                String[] parts = line.split(" ");
                String name = parts[2];
                switch (parts[3]) {
                    case "counter" -> names.add(name.endsWith("_total") ? name : name + "_total");
                    case "histogram" -> List.of("_bucket", "_sum", "_count").forEach(s -> names.add(name + s));
                    case "summary" -> List.of("", "_sum", "_count").forEach(s -> names.add(name + s));
                    default -> names.add(name);
                }
            } else if (!line.startsWith("#") && !line.isBlank()) {
                names.add(line.split("[{ ]", 2)[0]);
            }
        }
        return names;
    }

    private static List<Path> ruleFiles(Path repo) throws IOException {
        try (Stream<Path> files = Files.list(repo.resolve("dashboards/prometheus/rules"))) {
            return files.filter(p -> p.toString().endsWith(".yml")).sorted().toList();
        }
    }

    private static Path repoRoot() {
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("dashboards/prometheus/rules"))) {
                return p;
            }
        }
        throw new IllegalStateException("no dashboards/prometheus/rules above " + Path.of("").toAbsolutePath());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static String quoted(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    private static String tail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(no log: " + e + ")";
        }
    }
}
