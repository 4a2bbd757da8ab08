package io.courier.relayer.submit;

import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import io.courier.relayer.fakes.ManualClock;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.submitfakes.FakeChainClient;
import io.courier.relayer.submitfakes.InMemoryAttestationStore;
import io.courier.relayer.submitfakes.InMemorySubmissionStore;
import io.courier.relayer.submitfakes.InMemoryTransferStore;
import io.courier.relayer.submitfakes.ManualDeadlines;
import io.courier.relayer.submitfakes.Transfers;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;

/**
 * One submitter over fakes. Its timers are set far apart (an hour) so that the test drives the loop by sending
 * {@link Submitter.Sweep}, {@link Submitter.PollReceipts} and {@link Submitter.CheckNonces} itself.
 */
final class SubmitterHarness {

    static final Duration REBROADCAST_AFTER = Duration.ofSeconds(30);

    final FakeChainClient chain = new FakeChainClient(Transfers.DST);
    final InMemoryTransferStore transfers = new InMemoryTransferStore();
    final InMemoryAttestationStore attestations = new InMemoryAttestationStore();
    final InMemorySubmissionStore submissions = new InMemorySubmissionStore();
    final ManualClock clock = new ManualClock(Transfers.T0.plusSeconds(60));
    final HaltedChains halted = new HaltedChains();
    final CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());
    final List<Transfer> attestRequests = new CopyOnWriteArrayList<>();
    final ManualDeadlines deadlines = new ManualDeadlines();
    /** Where the submitter reports its signer below the floor; the floor itself (none unless a test sets one). */
    final io.courier.relayer.status.SignerFunds funds = new io.courier.relayer.status.SignerFunds();
    java.math.BigInteger signerFloorWei = java.math.BigInteger.ZERO;
    /** Batching: off unless a test turns it on (the lone path's tests predate it). */
    io.courier.relayer.config.NodeConfig.BatchSettings batch = io.courier.relayer.config.NodeConfig.BatchSettings.OFF;
    /** Who signs checkpoints: none unless a test says so (the lone-path tests run without batching). */
    io.courier.relayer.handoff.CheckpointRequests checkpoints = io.courier.relayer.handoff.CheckpointRequests.NONE;

    /** 1,000 gwei caps (far above the fakes' market), a 1 gwei minimum tip; tests may change them before {@link #start}. */
    io.courier.fees.FeeSettings fees = io.courier.fees.FeeSettings.defaults(
            java.math.BigInteger.valueOf(1_000_000_000_000L), java.math.BigInteger.valueOf(1_000_000_000_000L));

    SubmitterSettings settings() {
        Duration never = Duration.ofHours(1);
        return new SubmitterSettings(Optional.empty(), 1_000_000, 16, never, REBROADCAST_AFTER, 1, never, never, batch);
    }

    Submitter.Wiring wiring() {
        return new Submitter.Wiring(Transfers.DST, "dst", Transfers.DST_GATEWAY, chain, Transfers.SIGNER, settings(), fees,
                transfers, attestations, submissions, Transfers.keys(1), attestRequests::add, checkpoints, metrics,
                new TransferTracing(OpenTelemetry.noop()), clock, halted, deadlines, funds, signerFloorWei);
    }

    ActorRef<Submitter.Command> start(ActorTestKit kit) {
        return kit.spawn(Submitter.create(wiring()));
    }

    /** An ATTESTED transfer in the store, with every validator's signature. */
    Transfer attested(long nonce) {
        Transfer t = Transfers.attested(nonce);
        transfers.put(t);
        Transfers.signatures(t).forEach(attestations::put);
        return t;
    }

    /** An ATTESTED transfer carrying {@code payload}, in the store with every validator's signature. */
    Transfer attested(long nonce, byte[] payload) {
        Transfer t = Transfers.attested(nonce, payload);
        transfers.put(t);
        Transfers.signatures(t).forEach(attestations::put);
        return t;
    }

    TransferStatus status(Transfer t) {
        return transfers.get(t.id()).status();
    }

    double gauge(String state, String route) {
        return metrics.transfers.labelValues(state, route).get();
    }
}
