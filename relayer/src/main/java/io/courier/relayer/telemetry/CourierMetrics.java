package io.courier.relayer.telemetry;

import io.courier.chain.MessageSentDecoder;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.StuckRule;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.prometheus.metrics.core.metrics.Counter;
import io.prometheus.metrics.core.metrics.Gauge;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Every metric the node exports, registered in the registry it is given (never the default one), named as in
 * docs/ARCHITECTURE.md §5. Dashboards and alerts may use only these names.
 */
public final class CourierMetrics {

    private final PrometheusRegistry registry;
    public final Gauge chainHeadBlock;
    public final Gauge chainScannedBlock;
    /** Highest block the watcher's finality policy makes final, set every cycle. */
    public final Gauge chainFinalizedBlock;
    /** 1 per configured chain: joins the chain names of {@code chain} to the chain ids of {@code route}. */
    public final Gauge chainInfo;
    public final Gauge chainHeadLagSeconds;
    public final Gauge chainHealthy;
    public final Counter rpcRequests;
    public final Histogram rpcDuration;
    public final Counter messagesRejected;
    public final Gauge transfers;
    public final Counter transfersCompleted;
    /** Transfers moved to UNDELIVERABLE, by route and {@code DeliveryObstacle} label (a closed set: bounded). */
    public final Counter transfersUndeliverable;
    public final Histogram deliveryDuration;
    public final Histogram stageDuration;
    public final Counter gasUsed;
    public final Counter gasSpentWei;
    /** Messages per destination transaction, by path (lone, batch, checkpoint): docs/adr/009. */
    public final Histogram deliveryBatchMessages;
    public final Counter feeBumps;
    public final Gauge feeBumpsExhausted;
    public final Gauge signerBalanceWei;
    public final Counter submissions;
    public final Gauge transfersStuck;
    public final Gauge transfersOpenByAge;
    /** Transfers held as UNDERPAID (waiting for their user's top-up, not for Courier), as of the monitor's last walk. */
    public final Gauge transfersUnderpaid;
    public final Counter reorgs;
    public final Counter deepReorgs;
    public final Gauge chainHalted;
    /** Transfers final by height left SENT for a cycle because too few endpoints vouched for them (ADR 007). */
    public final Counter quorumUnconfirmed;
    /** Of those, the ones some endpoint contradicted (a lie, a fork, or a node far behind). */
    public final Counter quorumDisputes;
    /** Signatures withheld because the attester's re-read through the endpoints did not confirm the message. */
    public final Counter attestationsWithheld;
    /** The states {@link #transfersCompleted} counts: where a transfer's work on this node ends (or parks). */
    private static final List<TransferStatus> COMPLETIONS =
            List.of(TransferStatus.DELIVERED, TransferStatus.FAILED, TransferStatus.UNDELIVERABLE, TransferStatus.REORGED);
    /** The value each price source last reported: USD for token prices, wei per gas for {@code gas:<chain id>}. */
    public final Gauge oraclePrice;
    /** Readings the oracle left out of an aggregate, by {@code RejectionReason} label (a closed set: bounded). */
    public final Counter oracleRejections;
    /** Sources whose value the last aggregate of the asset used. */
    public final Gauge oracleSources;
    /** The asset's configured min-sources: below it there is no price. */
    public final Gauge oracleMinSources;
    /**
     * Destinations' values the GasOracle updater wrote on a source chain ({@code chain}), per destination chain
     * ({@code destination}, its name too) and {@code UpdateReason} label (deviation, heartbeat).
     */
    public final Counter oracleUpdates;
    /**
     * Wei the GasOracle updater spent on gas on a chain (mined update transactions, reverted ones too). Per chain only:
     * one update transaction carries every destination due in its round, so its fee belongs to no single one.
     */
    public final Counter oracleUpdateGasSpent;
    /** The {@link #transfers} series each destination set at its last sweep, as (state, route). */
    private final Map<Long, Set<List<String>>> openTransferSeries = new ConcurrentHashMap<>();

    public CourierMetrics(PrometheusRegistry registry) {
        this.registry = registry;
        chainHeadBlock = Gauge.builder().name("courier_chain_head_block")
                .help("Latest block number seen on the chain").labelNames("chain").register(registry);
        chainScannedBlock = Gauge.builder().name("courier_chain_scanned_block")
                .help("Last block whose gateway logs are durably recorded").labelNames("chain").register(registry);
        chainFinalizedBlock = Gauge.builder().name("courier_chain_finalized_block")
                .help("Highest block the node considers final under the chain's finality policy").labelNames("chain")
                .register(registry);
        chainInfo = Gauge.builder().name("courier_chain_info")
                .help("1 per configured chain: its name (chain) and id (chain_id, as in route)")
                .labelNames("chain", "chain_id").register(registry);
        chainHeadLagSeconds = Gauge.builder().name("courier_chain_head_lag_seconds")
                .help("Seconds between now and the timestamp of the latest head").labelNames("chain").register(registry);
        chainHealthy = Gauge.builder().name("courier_chain_healthy")
                .help("1 when the chain's RPC answers and its watcher runs, else 0").labelNames("chain").register(registry);
        rpcRequests = Counter.builder().name("courier_rpc_requests_total")
                .help("JSON-RPC requests by outcome (ok or the error kind)")
                .labelNames("chain", "endpoint", "method", "outcome").register(registry);
        rpcDuration = Histogram.builder().name("courier_rpc_request_duration_seconds")
                .help("JSON-RPC request latency by endpoint (its label: scheme, host and port)")
                .labelNames("chain", "endpoint", "method")
                .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)
                .register(registry);
        messagesRejected = Counter.builder().name("courier_messages_rejected_total")
                .help("MessageSent-shaped logs refused (wrong emitter, id mismatch, malformed, unknown destination)")
                .labelNames("chain", "reason").register(registry);
        transfers = Gauge.builder().name("courier_transfers")
                .help("Open (non-terminal) transfers by state, as of the last sweep of the destination's work index")
                .labelNames("state", "route").register(registry);
        transfersCompleted = Counter.builder().name("courier_transfers_completed_total")
                .help("Transfers that reached a terminal or failed state on this node")
                .labelNames("state", "route").register(registry);
        transfersUndeliverable = Counter.builder().name("courier_transfers_undeliverable_total")
                .help("Transfers that cannot be delivered within the destination's limits (UNDELIVERABLE), by reason")
                .labelNames("route", "reason").register(registry);
        deliveryDuration = Histogram.builder().name("courier_delivery_duration_seconds")
                .help("Time from SENT to DELIVERED").labelNames("route")
                .classicUpperBounds(1, 2, 5, 10, 20, 30, 60, 120, 300, 900, 1800, 3600, 7200)
                .register(registry);
        stageDuration = Histogram.builder().name("courier_transfer_stage_duration_seconds")
                .help("Time spent reaching each stage from the previous one").labelNames("stage", "route")
                .classicUpperBounds(0.1, 0.5, 1, 2, 5, 10, 30, 60, 300, 900, 3600)
                .register(registry);
        gasUsed = Counter.builder().name("courier_gas_used_total")
                .help("Gas used by this node's destination transactions").labelNames("chain").register(registry);
        gasSpentWei = Counter.builder().name("courier_gas_spent_wei_total")
                .help("Wei paid for this node's destination transactions").labelNames("chain").register(registry);
        deliveryBatchMessages = Histogram.builder().name("courier_delivery_batch_messages")
                .help("Messages carried by one destination transaction, by path (lone, batch, checkpoint)")
                .classicUpperBounds(1, 2, 4, 8, 16, 32, 64, 128, 256).labelNames("chain", "path").register(registry);
        feeBumps = Counter.builder().name("courier_fee_bumps_total")
                .help("Fee-bump replacements broadcast (same nonce, both fees raised)").labelNames("chain").register(registry);
        feeBumpsExhausted = Gauge.builder().name("courier_fee_bumps_exhausted")
                .help("Transactions left alone at their last allowed bump or the chain's fee cap, still unmined").labelNames("chain")
                .register(registry);
        signerBalanceWei = Gauge.builder().name("courier_signer_balance_wei")
                .help("Balance of the submitter's signer").labelNames("chain").register(registry);
        submissions = Counter.builder().name("courier_submissions_total")
                .help("Destination transactions broadcast, by outcome").labelNames("chain", "outcome").register(registry);
        transfersStuck = Gauge.builder().name("courier_transfers_stuck")
                .help("Open transfers older than their route's SLA, as of the monitor's last walk")
                .labelNames("route", "state").register(registry);
        transfersOpenByAge = Gauge.builder().name("courier_transfers_open_by_age")
                .help("Open transfers by age bucket (lt_1h, 1h_6h, 6h_24h, 1d_7d, gt_7d)")
                .labelNames("route", "age").register(registry);
        transfersUnderpaid = Gauge.builder().name("courier_transfers_underpaid")
                .help("Transfers held as UNDERPAID, waiting for a payForGas top-up by their user (never counted as stuck)")
                .labelNames("route").register(registry);
        reorgs = Counter.builder().name("courier_reorgs_total")
                .help("Reorgs seen by the watcher, by depth").labelNames("chain", "depth").register(registry);
        deepReorgs = Counter.builder().name("courier_deep_reorgs_total")
                .help("Reorgs deeper than the chain's finality policy: the chain is halted until an operator resumes it")
                .labelNames("chain").register(registry);
        chainHalted = Gauge.builder().name("courier_chain_halted")
                .help("1 while the chain is halted (no attesting or delivering from it)").labelNames("chain").register(registry);
        quorumUnconfirmed = Counter.builder().name("courier_quorum_unconfirmed_total")
                .help("Transfers final by height kept waiting (one count per cycle) because fewer than the chain's quorum "
                        + "of RPC endpoints vouched for their source").labelNames("chain").register(registry);
        quorumDisputes = Counter.builder().name("courier_quorum_disputes_total")
                .help("Waiting transfers whose source some RPC endpoint contradicted (no receipt, another block, no such "
                        + "log): a lying endpoint, a fork, or one far behind").labelNames("chain").register(registry);
        attestationsWithheld = Counter.builder().name("courier_attestations_withheld_total")
                .help("Signatures withheld because the re-read of the source through the chain's RPC endpoints "
                        + "did not confirm the message just before signing").labelNames("chain").register(registry);
        oraclePrice = Gauge.builder().name("courier_oracle_price")
                .help("Latest value each price source reported (USD for a token, wei per gas for gas:<chain id>), used or not")
                .labelNames("asset", "source").register(registry);
        oracleRejections = Counter.builder().name("courier_oracle_rejections_total")
                .help("Source readings the oracle left out of a price (failing, stale, not_positive, deviating)")
                .labelNames("asset", "source", "reason").register(registry);
        oracleSources = Gauge.builder().name("courier_oracle_sources")
                .help("Price sources the latest aggregate of the asset used (healthy sources)").labelNames("asset").register(registry);
        oracleMinSources = Gauge.builder().name("courier_oracle_min_sources")
                .help("The asset's configured min-sources: with fewer healthy sources there is no price and no quote")
                .labelNames("asset").register(registry);
        oracleUpdates = Counter.builder().name("courier_oracle_updates_total")
                .help("Destinations' pricing inputs the GasOracle updater wrote to a source chain's GasOracle, by destination"
                        + " chain and reason (deviation: a value moved more than the threshold; heartbeat: the values grew old)")
                .labelNames("chain", "destination", "reason").register(registry);
        oracleUpdateGasSpent = Counter.builder().name("courier_oracle_update_gas_spent_wei_total")
                .help("Wei the GasOracle updater spent on gas on the chain (its mined update transactions, reverted ones too)")
                .labelNames("chain").register(registry);
    }

    /**
     * A chain whose GasOracle the updater keeps priced, and the destinations it prices there: every (chain, destination,
     * reason) series at 0 from the start, so the first update is an increase and a destination never pushed shows as a
     * flat series (CourierOracleUpdaterSilent) rather than as no series at all.
     */
    public void declareOracleUpdater(String chain, java.util.Collection<String> destinations) {
        for (String destination : destinations) {
            for (io.courier.oracle.onchain.UpdateReason reason : io.courier.oracle.onchain.UpdateReason.values()) {
                oracleUpdates.labelValues(chain, destination, reason.label());
            }
        }
        oracleUpdateGasSpent.labelValues(chain);
    }

    /**
     * Exports one poll of {@code asset}: each source's value (a failing source's series removed, so no stale value
     * lingers), each rejection, and how many sources the aggregate used.
     */
    /**
     * An asset the oracle prices: its minimum, no sources used yet, and every (source, reason) rejection counter at 0, so
     * the first rejection is an increase Prometheus sees and the panels have their series before anything happens.
     */
    public void declareOracleAsset(String asset, List<String> sources, int minSources) {
        oracleMinSources.labelValues(asset).set(minSources);
        oracleSources.labelValues(asset).set(0);
        for (String source : sources) {
            for (io.courier.oracle.RejectionReason reason : io.courier.oracle.RejectionReason.values()) {
                oracleRejections.labelValues(asset, source, reason.label());
            }
        }
    }

    public void oracle(String asset, List<io.courier.oracle.SourceReading> readings, io.courier.oracle.AggregatedPrice aggregate) {
        for (io.courier.oracle.SourceReading reading : readings) {
            if (reading instanceof io.courier.oracle.SourceReading.Observed o) {
                java.math.BigDecimal value = new java.math.BigDecimal(o.observation().value());
                oraclePrice.labelValues(asset, reading.source()).set(io.courier.oracle.GasAsset.isGas(asset) ? value.doubleValue()
                        : value.movePointLeft(io.courier.oracle.PriceObservation.USD_DECIMALS).doubleValue());
            } else {
                oraclePrice.remove(asset, reading.source());
            }
        }
        aggregate.rejected().forEach(r -> oracleRejections.labelValues(asset, r.source(), r.reason().label()).inc());
        oracleSources.labelValues(asset).set(aggregate instanceof io.courier.oracle.AggregatedPrice.Price p ? p.used().size() : 0);
    }

    /**
     * Sets {@link #transfers} from a sweep of destination {@code dstChainId}'s open transfers, counted by state and
     * route. A series set at an earlier sweep that has no transfers now is set to 0: it would keep its last value.
     */
    public void openTransfers(long dstChainId, Map<String, Map<String, Integer>> countByStateAndRoute) {
        openTransferSeries.compute(dstChainId, (dst, before) -> {
            Set<List<String>> now = new HashSet<>();
            countByStateAndRoute.forEach((state, byRoute) -> byRoute.forEach((route, n) -> {
                transfers.labelValues(state, route).set(n);
                now.add(List.of(state, route));
            }));
            if (before != null) {
                before.stream().filter(series -> !now.contains(series))
                        .forEach(series -> transfers.labelValues(series.get(0), series.get(1)).set(0));
            }
            return now;
        });
    }

    /**
     * Declares the node's chains, once at start: {@code courier_chain_info} for each, and the counters alerts
     * take {@code increase()} of at 0 for every chain and route, so that the first event is an increase and not
     * the birth of a series (a series born at 1 shows no increase). Routes are every ordered pair of distinct
     * chains, the destinations a watcher accepts. The stuck and age gauges start at 0 too: a family without a
     * series is not served at all, and a panel would show "No data" where the truth is none.
     *
     * @param namesById configured chains: chain id to name
     */
    public void declareChains(Map<Long, String> namesById) {
        namesById.forEach((id, name) -> {
            chainInfo.labelValues(name, Long.toString(id)).set(1);
            for (Counter perChain : List.of(deepReorgs, quorumDisputes, quorumUnconfirmed, attestationsWithheld, gasUsed, gasSpentWei,
                    feeBumps)) {
                perChain.labelValues(name).inc(0);
            }
            feeBumpsExhausted.labelValues(name).set(0);
            for (MessageSentDecoder.Reason reason : MessageSentDecoder.Reason.values()) {
                messagesRejected.labelValues(name, reason.name().toLowerCase(Locale.ROOT)).inc(0); // as the watcher labels them
            }
            for (long dst : namesById.keySet()) {
                if (dst == id) {
                    continue;
                }
                String route = Transfer.route(id, dst);
                for (TransferStatus end : COMPLETIONS) {
                    transfersCompleted.labelValues(end.name(), route).inc(0);
                }
                for (DeliveryObstacle obstacle : DeliveryObstacle.values()) {
                    transfersUndeliverable.labelValues(route, obstacle.label()).inc(0);
                }
                for (TransferStatus state : TransferStatus.values()) {
                    if (!state.isTerminal()) {
                        transfersStuck.labelValues(route, state.name()).set(0);
                    }
                }
                for (StuckRule.AgeBucket age : StuckRule.AgeBucket.values()) {
                    transfersOpenByAge.labelValues(route, age.label()).set(0);
                }
                transfersUnderpaid.labelValues(route).set(0);
            }
        });
    }

    /** A registry with Courier's metrics and the JVM's. */
    public static CourierMetrics withJvm(PrometheusRegistry registry) {
        JvmMetrics.builder().register(registry);
        return new CourierMetrics(registry);
    }

    public PrometheusRegistry registry() {
        return registry;
    }
}
