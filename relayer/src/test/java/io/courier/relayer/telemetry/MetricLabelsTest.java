package io.courier.relayer.telemetry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcObserver;
import io.courier.chain.web3j.ChainClientSettings;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import io.courier.relayer.fakes.ActorTestSupport;
import io.courier.relayer.fakes.ManualClock;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.submit.Submitter;
import io.courier.relayer.submitfakes.FakeChainClient;
import io.courier.relayer.submitfakes.InMemoryAttestationStore;
import io.courier.relayer.submitfakes.InMemorySubmissionStore;
import io.courier.relayer.submitfakes.InMemoryTransferStore;
import io.courier.relayer.submitfakes.ManualDeadlines;
import io.courier.relayer.submitfakes.Transfers;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import io.prometheus.metrics.model.snapshots.DataPointSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.Label;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * Label cardinality of every {@code courier_*} series: after representative events (a node's chains declared, RPC
 * calls to endpoints whose URLs carry API keys, stage spans of many transfers, deliveries by a real submitter over
 * fakes), no label value is a message id or tx hash, an address or a URL with a path, and each label has at most
 * as many values as a node with N chains can give it — however many transfers went through. A label added without
 * a bound here fails the test: say how many values it can take.
 */
class MetricLabelsTest extends ActorTestSupport {

    private static final Pattern HASH = Pattern.compile("(?i)0x[0-9a-f]{64}");
    private static final Pattern ADDRESS = Pattern.compile("(?i)0x[0-9a-f]{40}");
    /** An endpoint label as {@code EndpointLabel} makes it: scheme, host, port, and a {@code #n} for a repeat. */
    private static final Pattern ENDPOINT = Pattern.compile("(https?|wss?)://[^/?#@\\s]+(#\\d+)?|" + RpcObserver.NO_ENDPOINT);

    /** Chain id to name: the node's N chains ({@link Transfers} relays from SRC to DST). */
    private static final Map<Long, String> CHAINS = new LinkedHashMap<>(Map.of(
            Transfers.SRC, "src", Transfers.DST, "dst", 1003L, "third"));
    private static final int N = CHAINS.size();
    /** Endpoints per chain: two of one provider with different keys, one other. */
    private static final int ENDPOINTS = 3;
    private static final int TRANSFERS = 12;

    /** How many values each label may take on a node with {@link #N} chains of {@link #ENDPOINTS} endpoints. */
    private static final Map<String, Integer> BOUNDS = Map.ofEntries(
            Map.entry("chain", N),
            Map.entry("chain_id", N),
            Map.entry("destination", N), // a chain's name, as chain: the GasOracle updater's destinations
            Map.entry("route", N * (N - 1)),
            Map.entry("endpoint", N * ENDPOINTS + 1), // + "none": refused by the limiter
            Map.entry("method", 20), // the JSON-RPC methods ChainClient uses
            Map.entry("outcome", ChainRpcException.Kind.values().length + 12), // rpc kinds, or submission outcomes
            Map.entry("path", 3), // lone, batch, checkpoint
            Map.entry("state", TransferStatus.values().length),
            Map.entry("stage", 8),
            Map.entry("reason", DeliveryObstacle.values().length + 12),
            Map.entry("age", 5),
            Map.entry("depth", 64)); // shallow reorgs only: a deeper one halts the chain

    @Test
    void noLabelValueIsAnIdAHashAnAddressOrAUrlAndEachLabelIsBoundedByTheChains() {
        PrometheusRegistry registry = new PrometheusRegistry();
        CourierMetrics metrics = new CourierMetrics(registry);
        metrics.declareChains(CHAINS);
        // the GasOracle updater on every chain, pricing every other one
        CHAINS.forEach((id, name) -> metrics.declareOracleUpdater(name, CHAINS.values().stream().filter(n -> !n.equals(name)).toList()));

        // RPC: endpoints as the adapter labels them, from URLs with keys in their paths
        PrometheusRpcObserver rpc = new PrometheusRpcObserver(metrics);
        CHAINS.forEach((id, name) -> {
            List<String> urls = List.of("https://" + name + ".example.com/v3/" + "ab".repeat(16),
                    "https://" + name + ".example.com/v3/" + "cd".repeat(16), "http://10.0.0." + id % 250 + ":8545/?key=secret");
            List<String> endpoints = ChainClientSettings.of(name, id, urls).endpointLabels();
            for (String endpoint : endpoints) {
                for (String method : List.of("eth_getLogs", "eth_blockNumber", "eth_getTransactionReceipt")) {
                    rpc.onRequest(name, endpoint, method, "ok", 1_000_000);
                    rpc.onRequest(name, endpoint, method, ChainRpcException.Kind.TIMEOUT.label(), 5_000_000);
                }
            }
            rpc.onRequest(name, RpcObserver.NO_ENDPOINT, "eth_call", ChainRpcException.Kind.RATE_LIMITED.label(), 0);
        });

        // deliveries by a real submitter, whose stage spans also observe the stage durations
        TransferTracing tracing = new TransferTracing(OpenTelemetry.noop(), metrics);
        deliver(metrics, tracing);

        // stage spans of many more transfers, on every route, as the watcher and attester record them
        for (int i = 0; i < TRANSFERS; i++) {
            Transfer t = Transfers.finalized(100 + i);
            for (String route : routes()) {
                tracing.stage(t.id().toHex(), route, "finality.wait", Transfers.T0, Transfers.T0.plusSeconds(i), Attributes.empty(), true);
                tracing.stage(t.id().toHex(), route, "attest", Transfers.T0.plusSeconds(i), Transfers.T0.plusSeconds(i + 1), Attributes.empty(), true);
            }
        }
        metrics.openTransfers(Transfers.DST, Map.of("ATTESTED", Map.of(Transfer.route(Transfers.SRC, Transfers.DST), 3)));

        Map<String, Set<String>> valuesByLabel = new TreeMap<>();
        Set<String> problems = new TreeSet<>(); // one line per offending value, not per series
        int series = 0;
        for (MetricSnapshot snapshot : registry.scrape()) {
            String metric = snapshot.getMetadata().getPrometheusName();
            if (!metric.startsWith("courier_")) {
                continue;
            }
            for (DataPointSnapshot point : snapshot.getDataPoints()) {
                series++;
                for (Label label : point.getLabels()) {
                    String name = label.getName();
                    String value = label.getValue();
                    valuesByLabel.computeIfAbsent(metric + "{" + name + "}", k -> new TreeSet<>()).add(value);
                    if (HASH.matcher(value).find()) {
                        problems.add(metric + "{" + name + "=\"" + value + "\"}: a message id or tx hash");
                    } else if (ADDRESS.matcher(value).find()) {
                        problems.add(metric + "{" + name + "=\"" + value + "\"}: an address");
                    }
                    if (name.equals("endpoint") ? !ENDPOINT.matcher(value).matches() : value.contains("://")) {
                        problems.add(metric + "{" + name + "=\"" + value + "\"}: a URL" + (name.equals("endpoint") ? " with a path, query or credentials" : ""));
                    }
                }
            }
        }
        valuesByLabel.forEach((key, values) -> {
            String name = key.substring(key.indexOf('{') + 1, key.length() - 1);
            Integer bound = BOUNDS.get(name);
            if (bound == null) {
                problems.add(key + ": no bound for label '" + name + "' in this test (" + values.size() + " values)");
            } else if (values.size() > bound) {
                problems.add(key + ": " + values.size() + " values, more than " + bound + " for " + N + " chains: " + values);
            }
        });
        assertThat(problems).isEmpty();

        // the events did reach the metrics (a scrape of nothing would pass the checks above)
        assertThat(series).isGreaterThan(50);
        assertThat(valuesByLabel.get("courier_rpc_request_duration_seconds{endpoint}")).hasSize(N * ENDPOINTS + 1);
        assertThat(valuesByLabel.get("courier_transfer_stage_duration_seconds{stage}"))
                .contains("finality.wait", "attest", "submit", "destination.confirm");
        assertThat(valuesByLabel.get("courier_chain_info{chain}")).containsExactlyInAnyOrderElementsOf(CHAINS.values());
    }

    @Test
    void declaredChainsStartTheCountersAlertsTakeIncreaseOfAtZeroAndJoinNamesToIds() {
        CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());
        metrics.declareChains(CHAINS);
        MetricSnapshot deep = snapshot(metrics, "courier_deep_reorgs");
        assertThat(deep.getDataPoints()).hasSize(N);
        assertThat(labelValues(deep, "chain")).containsExactlyInAnyOrderElementsOf(CHAINS.values());
        MetricSnapshot completed = snapshot(metrics, "courier_transfers_completed");
        assertThat(labelValues(completed, "route")).containsExactlyInAnyOrderElementsOf(routes());
        assertThat(labelValues(completed, "state")).contains("FAILED", "UNDELIVERABLE", "DELIVERED", "REORGED");
        assertThat(metrics.transfersCompleted.labelValues("FAILED", Transfer.route(Transfers.SRC, Transfers.DST)).get()).isZero();
        assertThat(metrics.chainInfo.labelValues("third", "1003").get()).isEqualTo(1);
        assertThat(labelValues(snapshot(metrics, "courier_transfers_stuck"), "route")).containsExactlyInAnyOrderElementsOf(routes());
        assertThat(labelValues(snapshot(metrics, "courier_transfers_open_by_age"), "age")).contains("lt_1h", "gt_7d");
        assertThat(labelValues(snapshot(metrics, "courier_messages_rejected"), "chain")).containsExactlyInAnyOrderElementsOf(CHAINS.values());
        assertThat(snapshot(metrics, "courier_chain_info").getDataPoints()).hasSize(N);
    }

    @Test
    void theGasOracleUpdaterStartsEverySourceDestinationAndReasonAtZeroAndItsGasPerSourceOnly() {
        CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());
        metrics.declareOracleUpdater("src", List.of("dst", "third"));
        MetricSnapshot updates = snapshot(metrics, "courier_oracle_updates");
        Set<List<String>> series = new TreeSet<>(java.util.Comparator.comparing(Object::toString));
        updates.getDataPoints().forEach(p -> {
            assertThat(((io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot) p).getValue()).isZero();
            series.add(List.of(p.getLabels().get("chain"), p.getLabels().get("destination"), p.getLabels().get("reason")));
        });
        // a destination never pushed is a flat series, not a missing one: what CourierOracleUpdaterSilent needs per pair
        assertThat(series).containsExactlyInAnyOrder(List.of("src", "dst", "deviation"), List.of("src", "dst", "heartbeat"),
                List.of("src", "third", "deviation"), List.of("src", "third", "heartbeat"));
        MetricSnapshot gas = snapshot(metrics, "courier_oracle_update_gas_spent_wei");
        assertThat(gas.getDataPoints()).hasSize(1);
        assertThat(labelValues(gas, "chain")).containsExactly("src");
    }

    @Test
    void aStageIsObservedOnceWithItsDurationAndAClockStepBackIsNoNegativeTime() {
        CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());
        TransferTracing tracing = new TransferTracing(OpenTelemetry.noop(), metrics);
        String id = Transfers.finalized(1).id().toHex();
        tracing.stage(id, "1->2", "attest", Transfers.T0, Transfers.T0.plusMillis(2_500), Attributes.empty(), true);
        tracing.stage(id, "1->2", "attest", Transfers.T0, Transfers.T0.minusSeconds(1), Attributes.empty(), false);
        HistogramSnapshot.HistogramDataPointSnapshot point = ((HistogramSnapshot) snapshot(metrics, "courier_transfer_stage_duration_seconds"))
                .getDataPoints().get(0);
        assertThat(point.getCount()).isEqualTo(2);
        assertThat(point.getSum()).isEqualTo(2.5);
    }

    /** Delivers a few transfers SRC -> DST through a submitter over fakes, its receipts polled by its own timer. */
    private void deliver(CourierMetrics metrics, TransferTracing tracing) {
        FakeChainClient chain = new FakeChainClient(Transfers.DST);
        InMemoryTransferStore transfers = new InMemoryTransferStore();
        InMemoryAttestationStore attestations = new InMemoryAttestationStore();
        InMemorySubmissionStore submissions = new InMemorySubmissionStore();
        Duration never = Duration.ofHours(1);
        SubmitterSettings settings = new SubmitterSettings(Optional.empty(), 1_000_000, 16, Duration.ofMillis(50),
                Duration.ofSeconds(30), 1, never, never);
        io.courier.fees.FeeSettings fees = io.courier.fees.FeeSettings.defaults(
                java.math.BigInteger.TEN.pow(12), java.math.BigInteger.TEN.pow(12));
        ActorRef<Submitter.Command> submitter = kit.spawn(Submitter.create(new Submitter.Wiring(Transfers.DST, CHAINS.get(Transfers.DST),
                Transfers.DST_GATEWAY, chain, Transfers.SIGNER, settings, fees, transfers, attestations, submissions, Transfers.keys(1),
                t -> { }, io.courier.relayer.handoff.CheckpointRequests.NONE, metrics, tracing, new ManualClock(Transfers.T0.plusSeconds(60)), new HaltedChains(), new ManualDeadlines())));
        List<Transfer> sent = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            Transfer t = Transfers.attested(i);
            transfers.put(t);
            Transfers.signatures(t).forEach(attestations::put);
            submitter.tell(new Submitter.Ready(t.id()));
            sent.add(t);
        }
        await().until(() -> submissions.recordCalls.size() == sent.size());
        submissions.recordCalls.forEach(s -> chain.receipts.put(s.txHash(),
                FakeChainClient.delivered(s.txHash(), s.messageIds().get(0), Transfers.DST_GATEWAY, 90)));
        await().until(() -> sent.stream().allMatch(t -> transfers.get(t.id()).status() == TransferStatus.DELIVERED));
        // the signer's balance, read on the sweep at start
        await().until(() -> metrics.signerBalanceWei.labelValues(CHAINS.get(Transfers.DST)).get() > 0);
    }

    private static List<String> routes() {
        List<String> routes = new ArrayList<>();
        CHAINS.keySet().forEach(src -> CHAINS.keySet().stream().filter(dst -> !dst.equals(src))
                .forEach(dst -> routes.add(Transfer.route(src, dst))));
        return routes;
    }

    private static MetricSnapshot snapshot(CourierMetrics metrics, String name) {
        return metrics.registry().scrape().stream().filter(m -> m.getMetadata().getPrometheusName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name));
    }

    private static Set<String> labelValues(MetricSnapshot snapshot, String label) {
        Set<String> values = new TreeSet<>();
        snapshot.getDataPoints().forEach(p -> values.add(p.getLabels().get(label)));
        return values;
    }
}
