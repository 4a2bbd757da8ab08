package io.courier.relayer.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.MessageSentDecoder;
import io.courier.chain.message.MessageId;
import io.courier.chain.quorum.SourceWitnesses.Witness;
import io.courier.chain.quorum.SourceWitnesses;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.fakes.ActorTestSupport;
import io.courier.relayer.fakes.ManualClock;
import io.courier.relayer.fakes.SourceRecords;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.submitfakes.InMemoryAttestationStore;
import io.courier.relayer.submitfakes.InMemoryTransferStore;
import io.courier.relayer.submitfakes.Transfers;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/** The attester over in-memory stores; assertions on signatures stored, states and hand-overs, never on timings. */
class AttesterTest extends ActorTestSupport {


    private static final long OTHER_SOURCE = 1003;

    private record Handover(long dstChainId, MessageId id) {}

    private final InMemoryTransferStore transfers = new InMemoryTransferStore();
    private final InMemoryAttestationStore attestations = new InMemoryAttestationStore();
    /** Reads of signatures the attester made, by message id (the store the attester is given counts them). */
    private final List<MessageId> reads = new CopyOnWriteArrayList<>();
    private final io.courier.finality.store.AttestationStore counted = new io.courier.finality.store.AttestationStore() {
        @Override
        public java.util.concurrent.CompletionStage<Void> put(io.courier.finality.Attestation attestation) {
            return attestations.put(attestation);
        }

        @Override
        public java.util.concurrent.CompletionStage<List<io.courier.finality.Attestation>> list(MessageId messageId) {
            reads.add(messageId);
            return attestations.list(messageId);
        }
    };
    private final HaltedChains halted = new HaltedChains();
    private final List<Handover> delivered = new CopyOnWriteArrayList<>();
    /** Two endpoints of the source chain, and one of the other source; each holds what the test tells it. */
    private final SourceRecords honest = new SourceRecords(Transfers.SRC);
    private final SourceRecords second = new SourceRecords(Transfers.SRC);
    private final SourceRecords other = new SourceRecords(OTHER_SOURCE);
    private final CourierMetrics metrics = new CourierMetrics(new PrometheusRegistry());

    /** An attester holding {@code localKeys} of the three validators (threshold 2); the source read from one endpoint. */
    private ActorRef<Attester.Command> attester(int localKeys) {
        return attester(localKeys, new SourceWitnesses("src", List.of(new Witness("honest", honest)), 1,
                new MessageSentDecoder(Transfers.SRC, Transfers.SRC_GATEWAY)));
    }

    private ActorRef<Attester.Command> attester(int localKeys, SourceWitnesses source) {
        Attester.Wiring wiring = new Attester.Wiring(Transfers.keys(localKeys), transfers, counted,
                Map.of(Transfers.DST, Transfers.DST_GATEWAY.toHex()), (dst, id) -> delivered.add(new Handover(dst, id)),
                metrics, new TransferTracing(OpenTelemetry.noop()),
                new ManualClock(Transfers.T0.plusSeconds(40)), halted,
                Map.of(Transfers.SRC, source, OTHER_SOURCE, new SourceWitnesses("other", List.of(new Witness("other", other)),
                        1, new MessageSentDecoder(OTHER_SOURCE, Transfers.SRC_GATEWAY))));
        return kit.spawn(Attester.create(wiring));
    }

    /** A FINALIZED transfer in the store, which the source chain's endpoint holds. */
    private Transfer finalized(long nonce) {
        Transfer t = Transfers.finalized(nonce);
        transfers.put(t);
        honest.holds(t);
        return t;
    }

    private TransferStatus status(Transfer t) {
        return transfers.get(t.id()).status();
    }

    /** A transfer from another source chain than the others (never halted here). */
    private static Transfer probe(long nonce) {
        return Transfers.finalizedFrom(OTHER_SOURCE, nonce);
    }

    /** Sends a transfer that completes at once and waits for its effect: everything sent before was handled. */
    private void barrier(ActorRef<Attester.Command> attester, long nonce) {
        Transfer probe = probe(nonce);
        transfers.put(probe);
        other.holds(probe);
        attester.tell(new Attester.Attest(probe));
        await().until(() -> attestations.list(probe.id()).toCompletableFuture().join().size() > 0);
    }

    @Test
    void withTooFewSignaturesItStoresItsOwnAndWaitsForPeers() {
        ActorRef<Attester.Command> attester = attester(1);
        Transfer t = finalized(1);
        attester.tell(new Attester.Attest(t));
        await().until(() -> attestations.puts.get() == 1);
        barrier(attester, 99);

        assertThat(status(t)).isEqualTo(TransferStatus.FINALIZED);
        assertThat(delivered).isEmpty();
        assertThat(transfers.transitionCalls).isEmpty();
    }

    @Test
    void aPeerSignatureBringsItToTheThresholdAndTheTransferIsHandedToItsSubmitterOnce() {
        ActorRef<Attester.Command> attester = attester(1);
        Transfer t = finalized(1);
        attestations.put(Transfers.signatures(t).get(1)); // a peer's
        attester.tell(new Attester.Attest(t));
        await().until(() -> status(t) == TransferStatus.ATTESTED);
        await().until(() -> !delivered.isEmpty());

        assertThat(delivered).containsExactly(new Handover(Transfers.DST, t.id()));
    }

    @Test
    void aDuplicateAttestWhileOneIsInFlightIsDropped() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer t = finalized(1);
        CompletableFuture<Void> held = new CompletableFuture<>();
        attestations.onPut = a -> a.messageId().equals(t.id()) ? held : null;
        attester.tell(new Attester.Attest(t));
        await().until(() -> attestations.puts.get() == 2); // its two local keys
        attester.tell(new Attester.Attest(t)); // the watcher and the sweep both ask
        attestations.onPut = a -> null;
        barrier(attester, 99);
        assertThat(attestations.puts.get()).as("puts of t and of the probe's two keys").isEqualTo(4);

        held.complete(null);
        await().until(() -> delivered.size() == 2);
        assertThat(delivered).containsOnlyOnce(new Handover(Transfers.DST, t.id()));
        assertThat(transfers.transitionCalls).filteredOn(c -> c.id().equals(t.id())).hasSize(1);
    }

    @Test
    void aBurstLargerThanTheRoundsInFlightIsAllAttestedWithoutASecondAskLowestNoncesFirst() {
        ActorRef<Attester.Command> attester = attester(2);
        // the first rounds (as many as may be in flight) hang on their signature writes, so everything after them has
        // to wait for a round
        CompletableFuture<Void> held = new CompletableFuture<>();
        List<Long> firstPutNonces = new CopyOnWriteArrayList<>();
        java.util.Set<MessageId> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        Map<MessageId, Long> nonces = new java.util.concurrent.ConcurrentHashMap<>();
        attestations.onPut = a -> {
            if (seen.add(a.messageId())) {
                firstPutNonces.add(nonces.get(a.messageId()));
            }
            return firstPutNonces.size() <= Attester.MAX_IN_FLIGHT ? held : null;
        };
        List<Transfer> burst = new java.util.ArrayList<>();
        int rounds = Attester.MAX_IN_FLIGHT;
        for (long n = 1; n <= rounds; n++) {
            burst.add(finalized(n));
        }
        // the rest arrive out of nonce order, as the watcher and the sweep hand them over
        for (long n = rounds + 136; n > rounds; n--) {
            burst.add(finalized(n));
        }
        burst.forEach(t -> nonces.put(t.id(), t.message().nonce()));
        burst.forEach(t -> attester.tell(new Attester.Attest(t)));
        await().until(() -> firstPutNonces.size() == rounds);
        held.complete(null);

        await().until(() -> delivered.size() == burst.size());
        assertThat(burst).allSatisfy(t -> assertThat(status(t)).isEqualTo(TransferStatus.ATTESTED));
        // each waiting round starts when one ends, from the queue's lowest nonce: the signature writes of the waiting
        // ones begin in nonce order (the watcher told them in reverse)
        assertThat(firstPutNonces.subList(rounds, firstPutNonces.size())).isSorted().hasSize(burst.size() - rounds);
    }

    @Test
    void aTransitionAlreadyAppliedBySomeoneElseIsNotHandedOverAgain() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer t = finalized(1);
        // a peer's attester got there first and handed it over on its node
        transfers.apply(t.id(), TransferStatus.FINALIZED, new TransferEvent.Attested(3), Transfers.T0.plusSeconds(35));
        attester.tell(new Attester.Attest(t)); // our FINALIZED snapshot, from before
        await().until(() -> transfers.transitionCalls.size() == 1);
        barrier(attester, 99);
        await().until(() -> !delivered.isEmpty()); // the probe's hand-over comes after t's outcome

        assertThat(delivered).containsExactly(new Handover(Transfers.DST, probe(99).id()));
        assertThat(status(t)).isEqualTo(TransferStatus.ATTESTED);
        assertThat(transfers.get(t.id()).stageTime(TransferStatus.ATTESTED)).contains(Transfers.T0.plusSeconds(35));
    }

    @Test
    void aStaleFinalizedRowOfATransferThisAttesterMovedOnStartsNoRound() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer t = finalized(1);
        attester.tell(new Attester.Attest(t, true));
        await().until(() -> delivered.size() == 1);
        int puts = attestations.puts.get();

        attester.tell(new Attester.Attest(t)); // the sweep's row, read as FINALIZED just before the transition
        barrier(attester, 99);

        assertThat(attestations.puts.get()).as("only the probe's two keys signed again").isEqualTo(puts + 2);
        assertThat(transfers.transitionCalls).filteredOn(c -> c.id().equals(t.id())).hasSize(1);
        assertThat(delivered).containsOnlyOnce(new Handover(Transfers.DST, t.id()));
    }

    @Test
    void aTransferFromAHaltedChainIsNotSigned() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer t = finalized(1);
        halted.halt(Transfers.SRC, "reorg beyond finality");
        attester.tell(new Attester.Attest(t));
        barrier(attester, 99);

        assertThat(attestations.list(t.id()).toCompletableFuture().join()).isEmpty();
        assertThat(status(t)).isEqualTo(TransferStatus.FINALIZED);
    }

    @Test
    void aTransferTheSourceEndpointDoesNotHoldIsNotSigned() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer forged = Transfers.finalized(7); // recorded (by a lying endpoint, say) but never sent
        transfers.put(forged);
        attester.tell(new Attester.Attest(forged));
        barrier(attester, 99);

        await().until(() -> metrics.attestationsWithheld.labelValues("src").get() == 1.0);
        assertThat(attestations.list(forged.id()).toCompletableFuture().join()).isEmpty();
        assertThat(status(forged)).isEqualTo(TransferStatus.FINALIZED);
        assertThat(delivered).doesNotContain(new Handover(Transfers.DST, forged.id()));
    }

    @Test
    void aTransferHandedOverAsVouchedIsSignedWithoutAskingTheSourceAgain() {
        ActorRef<Attester.Command> attester = attester(2);
        // the endpoint holds neither: only the hand-over says whether the source is asked
        Transfer vouchedFor = Transfers.finalized(8);
        Transfer stored = Transfers.finalized(9);
        transfers.put(vouchedFor);
        transfers.put(stored);
        attester.tell(new Attester.Attest(vouchedFor, true));
        attester.tell(new Attester.Attest(stored));

        await().until(() -> status(vouchedFor) == TransferStatus.ATTESTED);
        await().until(() -> metrics.attestationsWithheld.labelValues("src").get() == 1.0);
        assertThat(status(stored)).as("a stored row is asked about again, and the endpoint denies it").isEqualTo(TransferStatus.FINALIZED);
    }

    @Test
    void aStoredRowWaitingForARoundIsNotAskedAboutAgainOnceTheWatcherHandsItOverAsVouched() {
        ActorRef<Attester.Command> attester = attester(2);
        // every round in flight hangs on its signature write, so what comes next waits in the queue
        CompletableFuture<Void> held = new CompletableFuture<>();
        java.util.Set<MessageId> started = java.util.concurrent.ConcurrentHashMap.newKeySet();
        attestations.onPut = a -> {
            started.add(a.messageId());
            return started.size() <= Attester.MAX_IN_FLIGHT ? held : null;
        };
        for (long n = 1; n <= Attester.MAX_IN_FLIGHT; n++) {
            attester.tell(new Attester.Attest(finalized(n)));
        }
        await().until(() -> started.size() == Attester.MAX_IN_FLIGHT);
        // the endpoint does not hold it: asked again, it would deny it and nothing would be signed
        Transfer t = Transfers.finalized(500);
        transfers.put(t);
        attester.tell(new Attester.Attest(t)); // the sweep's stored row, while the watcher is still writing FINALIZED
        attester.tell(new Attester.Attest(t, true)); // the watcher's hand-over of the cycle that vouched for it
        held.complete(null);

        await().until(() -> status(t) == TransferStatus.ATTESTED);
        assertThat(metrics.attestationsWithheld.labelValues("src").get()).isZero();
        assertThat(delivered).containsOnlyOnce(new Handover(Transfers.DST, t.id()));
    }

    @Test
    void withAQuorumOfTwoOneVouchingEndpointIsNotEnoughAndTwoAre() {
        ActorRef<Attester.Command> attester = attester(2, new SourceWitnesses("src",
                List.of(new Witness("honest", honest), new Witness("second", second)), 2,
                new MessageSentDecoder(Transfers.SRC, Transfers.SRC_GATEWAY)));
        Transfer t = finalized(1); // only the first endpoint holds it
        attester.tell(new Attester.Attest(t));
        barrier(attester, 99);
        assertThat(attestations.list(t.id()).toCompletableFuture().join()).isEmpty();

        second.holds(t);
        attester.tell(new Attester.Attest(t)); // the sweep asks again
        await().until(() -> status(t) == TransferStatus.ATTESTED);
        assertThat(attestations.list(t.id()).toCompletableFuture().join()).hasSize(2);
    }

    // ── checkpoints (docs/adr/009-batched-delivery.md) ─────────────────────────────────────────────

    private List<io.courier.chain.message.ValidatorSignature> signCheckpoint(ActorRef<Attester.Command> attester,
                                                                           List<io.courier.chain.message.CrossChainMessage> range,
                                                                           String gateway) {
        org.apache.pekko.actor.testkit.typed.javadsl.TestProbe<List<io.courier.chain.message.ValidatorSignature>> reply = kit.createTestProbe();
        attester.tell(new Attester.SignCheckpoint(range, gateway, reply.getRef()));
        return reply.receiveMessage(java.time.Duration.ofSeconds(10));
    }

    @Test
    void aKeySignsACheckpointOnlyOverMessagesItAttestedItself() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer a = Transfers.attested(1);
        Transfer b = Transfers.attested(2);
        List<io.courier.chain.message.CrossChainMessage> range = List.of(a.message(), b.message());
        var keys = Transfers.keys(3);
        var digest = io.courier.chain.message.CheckpointDigest.of(range, Transfers.DST_GATEWAY.toHex());
        // validator 0 attested both, validator 1 only the first (validator 2's key is not local)
        Transfers.signatures(a).forEach(attestations::put);
        attestations.put(Transfers.signatures(b).get(0));
        attestations.put(Transfers.signatures(b).get(2));

        List<io.courier.chain.message.ValidatorSignature> signed = signCheckpoint(attester, range, Transfers.DST_GATEWAY.toHex());
        assertThat(signed).extracting(sig -> sig.signer(digest)).containsExactly(keys.addresses().get(0));

        attestations.put(Transfers.signatures(b).get(1));
        List<io.courier.chain.message.ValidatorSignature> both = signCheckpoint(attester, range, Transfers.DST_GATEWAY.toHex());
        assertThat(both).extracting(sig -> sig.signer(digest))
                .containsExactlyElementsOf(keys.addresses().subList(0, 2).stream().sorted().toList());
    }

    @Test
    void localKeysThatReachTheThresholdAreNotReadBackAndTheirCheckpointNeedsNoRead() {
        ActorRef<Attester.Command> attester = attester(2); // two local keys, threshold 2
        Transfer a = finalized(1);
        Transfer b = finalized(2);
        attester.tell(new Attester.Attest(a));
        attester.tell(new Attester.Attest(b));
        await().until(() -> status(a) == TransferStatus.ATTESTED && status(b) == TransferStatus.ATTESTED);
        assertThat(attestations.list(a.id()).toCompletableFuture().join()).hasSize(2);
        assertThat(reads).as("signatures read back while attesting").isEmpty();

        // a range of what it signed itself: signed by both local keys, nothing read back
        List<io.courier.chain.message.CrossChainMessage> range = List.of(a.message(), b.message());
        var digest = io.courier.chain.message.CheckpointDigest.of(range, Transfers.DST_GATEWAY.toHex());
        assertThat(signCheckpoint(attester, range, Transfers.DST_GATEWAY.toHex())).extracting(sig -> sig.signer(digest))
                .containsExactlyElementsOf(Transfers.keys(2).addresses().stream().sorted().toList());
        assertThat(reads).isEmpty();

        // a third message it never signed (its one signature is another key's): read, and no checkpoint
        Transfer c = Transfers.attested(3);
        attestations.put(Transfers.signatures(c).get(2));
        assertThat(signCheckpoint(attester, List.of(a.message(), b.message(), c.message()), Transfers.DST_GATEWAY.toHex())).isEmpty();
        assertThat(reads).containsExactly(c.id());
        // remembered for its gateway only: for another gateway the answer comes from the store, as before
        assertThat(signCheckpoint(attester, range, "0x" + "99".repeat(20))).isEmpty();

        // one it was asked to attest but withheld (its source endpoint does not hold it) is not remembered as signed
        Transfer withheld = Transfers.finalized(4);
        transfers.put(withheld);
        attester.tell(new Attester.Attest(withheld));
        await().until(() -> metrics.attestationsWithheld.labelValues("src").get() >= 1);
        reads.clear();
        assertThat(signCheckpoint(attester, List.of(withheld.message()), Transfers.DST_GATEWAY.toHex())).isEmpty();
        assertThat(reads).containsExactly(withheld.id());
    }

    @Test
    void noCheckpointIsSignedForAnotherGatewayAHaltedSourceOrAGap() {
        ActorRef<Attester.Command> attester = attester(2);
        Transfer a = Transfers.attested(1);
        Transfer b = Transfers.attested(2);
        Transfer d = Transfers.attested(4);
        for (Transfer t : List.of(a, b, d)) {
            Transfers.signatures(t).forEach(attestations::put);
        }
        assertThat(signCheckpoint(attester, List.of(a.message(), b.message()), "0x" + "99".repeat(20))).isEmpty();
        assertThat(signCheckpoint(attester, List.of(a.message(), d.message()), Transfers.DST_GATEWAY.toHex())).isEmpty();
        halted.halt(Transfers.SRC, "test");
        assertThat(signCheckpoint(attester, List.of(a.message(), b.message()), Transfers.DST_GATEWAY.toHex())).isEmpty();
    }
}
