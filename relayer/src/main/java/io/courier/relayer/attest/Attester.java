package io.courier.relayer.attest;

import io.courier.relayer.signing.ValidatorKeys;

import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import io.courier.chain.quorum.Corroboration;
import io.courier.chain.quorum.SourceWitnesses;
import io.courier.finality.Attestation;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AttestationStore;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.handoff.DeliveryRequests;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.common.Attributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Locale;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * Signs finalized message ids with this node's validator keys, stores the signatures in Cassandra (where other
 * nodes' attesters put theirs), and once {@code threshold} distinct validators of the set have signed —
 * each signature checked by recovering its signer — marks the transfer ATTESTED and hands it to the
 * destination's submitter.
 *
 * <p>Immediately before signing it reads the source again, through the source chain's endpoints
 * ({@link SourceWitnesses}): it signs only when at least the chain's quorum of them hold the transaction's receipt
 * with the gateway's {@code MessageSent} log of exactly this message (its id recomputed from the log's fields), in
 * the recorded, canonical block. The row in Cassandra is what the watcher recorded; it is not proof that the message
 * was sent (docs/adr/007-quorum-reads.md).
 */
public final class Attester extends AbstractBehavior<Attester.Command> {

    public sealed interface Command {}

    /** A transfer is FINALIZED: sign it (again, idempotently) and count signatures. */
    /**
     * Sign {@code transfer} once its source is confirmed. {@code vouched}: the watcher's quorum vouched for this very
     * transfer in the cycle that hands it over, so its source is not asked again (ADR 007); otherwise (the sweep's
     * stored rows, a top-up) it is.
     */
    public record Attest(Transfer transfer, boolean vouched) implements Command {
        public Attest(Transfer transfer) {
            this(transfer, false);
        }
    }

    /**
     * Sign the checkpoint of {@code range} (one route, contiguous nonces) for {@code dstGateway} with every local key
     * that attested each of its messages; the reply holds those signatures, none when no key did (docs/adr/009).
     */
    public record SignCheckpoint(List<CrossChainMessage> range, String dstGateway, ActorRef<List<ValidatorSignature>> replyTo)
            implements Command {}

    private record Done(Transfer transfer, Outcome outcome, Throwable error) implements Command {}

    /** Start rounds for what waits; told to itself once per burst of Attest/Done messages, so rounds start in groups. */
    private enum StartWaiting implements Command { INSTANCE }

    private record CheckpointSigned(SignCheckpoint request, List<ValidatorSignature> signatures, Throwable error) implements Command {}

    /** What an attestation round came to; computed off the actor's thread, acted on in {@link #onDone}. */
    private sealed interface Outcome {
        /** This call moved it FINALIZED → ATTESTED with {@code signatures} valid ones. */
        record Attested(Transfer attested, int signatures, Instant finalizedAt) implements Outcome {}

        record WaitingForPeers(int signatures) implements Outcome {}

        /** The re-read of the source through its endpoints did not confirm the message: nothing signed. */
        record Withheld(Corroboration corroboration) implements Outcome {}

        /** Someone else (a peer's attester, or an earlier round) moved it first: nothing to hand over. */
        record AlreadyMoved(TransitionOutcome outcome) implements Outcome {}
    }

    /** What the attester needs. */
    public record Wiring(ValidatorKeys keys, TransferStore transfers, AttestationStore attestations,
                         Map<Long, String> gateways, DeliveryRequests delivery,
                         CourierMetrics metrics, TransferTracing tracing, Clock clock,
                         HaltedChains halted, Map<Long, SourceWitnesses> sources) {}

    public static Behavior<Command> create(Wiring wiring) {
        return Behaviors.supervise(Behaviors.<Command>setup(ctx -> new Attester(ctx, wiring)))
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    static final int MAX_IN_FLIGHT = 64;
    /** Transfers waiting for a round; past this the sweep brings them back (a few minutes of a busy chain's messages). */
    static final int QUEUE_CAPACITY = 10_000;
    /** Messages whose own signatures are remembered for checkpoint requests (ids and gateways: a few MB at most). */
    static final int OWN_SIGNATURES_REMEMBERED = 50_000;

    private final Wiring w;
    private final Set<MessageId> inFlight = new HashSet<>();
    /** What waits for one of the {@link #MAX_IN_FLIGHT} rounds: per route in nonce order (see {@link AttestQueue}). */
    private final AttestQueue waiting = new AttestQueue(QUEUE_CAPACITY);
    /** What the local keys signed lately: a checkpoint request reads back only the rest (see {@link OwnSignatures}). */
    private final OwnSignatures own = new OwnSignatures(OWN_SIGNATURES_REMEMBERED);
    /** Waiting transfers the watcher handed over just vouched for: their rounds skip the source re-read. */
    private final Set<MessageId> vouched = new HashSet<>();
    private boolean startScheduled;

    private Attester(ActorContext<Command> ctx, Wiring wiring) {
        super(ctx);
        ctx.setLoggerName(Attester.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
        this.w = wiring;
        ctx.getLog().info("attester: {} local validator key(s) {}, threshold {} of {}", wiring.keys().size(),
                wiring.keys().addresses(), wiring.keys().threshold(), wiring.keys().validatorSet().size());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessage(Attest.class, this::onAttest)
                .onMessage(Done.class, this::onDone)
                .onMessage(StartWaiting.class, m -> {
                    startScheduled = false;
                    startWaiting();
                    return this;
                })
                .onMessage(SignCheckpoint.class, this::onSignCheckpoint)
                .onMessage(CheckpointSigned.class, this::onCheckpointSigned)
                .build();
    }

    private Behavior<Command> onAttest(Attest attest) {
        Transfer t = attest.transfer();
        // duplicates (watcher + sweep) are dropped, and so is what the full queue refuses: the sweep brings every
        // FINALIZED transfer back
        if (inFlight.contains(t.id()) || own.attestedHere(t.id())) {
            return this; // the second: a FINALIZED row read before this attester moved it on (the sweep's)
        }
        if (waiting.contains(t.id())) {
            // the sweep queued its stored row while the watcher was still writing FINALIZED for the cycle that vouched
            // for it; that same source needs no second round of the same questions
            if (attest.vouched() && waiting.queued(t.id()).map(q -> q.source().equals(t.source())).orElse(false)) {
                vouched.add(t.id());
            }
            return this;
        }
        if (w.halted().isHalted(t.message().srcChainId())) {
            return this; // its source chain is halted: no signature until an operator resumes it
        }
        if (w.gateways().get(t.message().dstChainId()) == null) {
            getContext().getLog().error("transfer {}: no gateway configured for destination chain {}", t.id(), t.message().dstChainId());
            return this;
        }
        if (waiting.offer(t) && attest.vouched()) {
            vouched.add(t.id());
        }
        scheduleStart();
        return this;
    }

    /**
     * Rounds start after the messages already in the mailbox are handled (a watcher's cycle hands over hundreds at
     * once, and rounds end in bursts): what waits then starts together and its source is re-read in one go.
     */
    private void scheduleStart() {
        if (!startScheduled) {
            startScheduled = true;
            getContext().getSelf().tell(StartWaiting.INSTANCE);
        }
    }

    /** Starts rounds for what waits, lowest nonces first, up to {@link #MAX_IN_FLIGHT}; one source re-read per source chain. */
    private void startWaiting() {
        Map<Long, List<Transfer>> bySource = new java.util.LinkedHashMap<>();
        int starting = 0;
        while (inFlight.size() + starting < MAX_IN_FLIGHT) {
            Transfer t = waiting.poll().orElse(null);
            if (t == null) {
                break;
            }
            if (w.halted().isHalted(t.message().srcChainId())) {
                vouched.remove(t.id());
                continue; // halted while it waited: the sweep brings it back after a resume
            }
            if (vouched.remove(t.id())) {
                sign(t); // vouched for by the watcher's quorum moments ago: no second round of the same questions
            } else {
                bySource.computeIfAbsent(t.message().srcChainId(), k -> new ArrayList<>()).add(t);
            }
            starting++;
        }
        bySource.values().forEach(this::start);
    }

    /** A round without the source re-read, for a transfer handed over as vouched ({@link Attest#vouched()}). */
    private void sign(Transfer t) {
        inFlight.add(t.id());
        getContext().pipeToSelf(StageDeadline.within(signAndCount(t, w.gateways().get(t.message().dstChainId())),
                Duration.ofSeconds(60), "attesting " + t.id()), (outcome, error) -> new Done(t, outcome, error));
    }

    /**
     * Rounds for transfers of one source chain: one re-read of the source for all of them ({@link SourceWitnesses}
     * asks each endpoint for each receipt and block once: a block's many messages cost one block read, not one each),
     * then each is signed and counted on its own and ends with its own {@link Done}. The re-read's JSON-RPC calls are
     * spans of the first transfer's trace.
     */
    private void start(List<Transfer> group) {
        SourceWitnesses source = w.sources().get(group.get(0).message().srcChainId());
        CompletionStage<Map<MessageId, Corroboration>> verdicts = source == null
                ? CompletableFuture.failedFuture(new IllegalStateException("no RPC endpoints configured for source chain "
                        + group.get(0).message().srcChainId()))
                : TransferTracing.inTransfer(group.get(0).id().toHex(), () -> source.corroborate(group.stream()
                        .map(t -> new SourceWitnesses.Claim(t.message(), t.source())).toList()));
        for (Transfer t : group) {
            String gateway = w.gateways().get(t.message().dstChainId());
            CompletionStage<Outcome> round = verdicts.thenCompose(all -> {
                Corroboration c = all.get(t.id());
                return c.confirmed() ? signAndCount(t, gateway) : CompletableFuture.completedFuture(new Outcome.Withheld(c));
            });
            inFlight.add(t.id());
            getContext().pipeToSelf(StageDeadline.within(round, Duration.ofSeconds(60), "attesting " + t.id()),
                    (outcome, error) -> new Done(t, outcome, error));
        }
    }

    /** Signs, stores, counts and, at the threshold, records ATTESTED; touches no actor state (runs on store threads). */
    private CompletionStage<Outcome> signAndCount(Transfer t, String gateway) {
        var digest = w.keys().digest(t.id(), t.message().dstChainId(), gateway);
        Instant now = w.clock().instant();
        List<Attestation> signatures = w.keys().sign(t.id(), digest, now);
        Set<String> ownSigners = new HashSet<>();
        signatures.forEach(a -> ownSigners.add(a.validator().toLowerCase(Locale.ROOT)));
        ownSigners.retainAll(w.keys().validatorSet());
        // the local keys alone reach the threshold (a demo, or an operator holding several keys): the peers'
        // signatures cannot change the count that matters, so they are not read back
        boolean ownSuffice = ownSigners.size() >= w.keys().threshold();
        return w.attestations().putAll(signatures)
                .thenCompose(x -> ownSuffice ? CompletableFuture.completedFuture(List.<Attestation>of()) : w.attestations().list(t.id()))
                .thenCompose(all -> {
                    // the local keys' signatures over this digest were made just now: only the peers' are recovered (an
                    // ecrecover each, in a burst the attester's largest CPU cost)
                    List<Attestation> peers = all.stream().filter(a -> !ownSigners.contains(a.validator().toLowerCase(Locale.ROOT))).toList();
                    int valid = ownSigners.size() + w.keys().countValid(digest, peers);
                    if (valid < w.keys().threshold()) {
                        return CompletableFuture.completedFuture(new Outcome.WaitingForPeers(valid));
                    }
                    return w.transfers().transition(t.id(), TransferStatus.FINALIZED, new TransferEvent.Attested(valid), w.clock().instant())
                            .thenApply(outcome -> outcome instanceof TransitionOutcome.Applied applied
                                    ? new Outcome.Attested(applied.updated(), valid, t.stageTime(TransferStatus.FINALIZED).orElse(now))
                                    : new Outcome.AlreadyMoved(outcome));
                });
    }

    private Behavior<Command> onSignCheckpoint(SignCheckpoint request) {
        List<CrossChainMessage> toRead = own.unknown(request.range(), request.dstGateway());
        getContext().pipeToSelf(StageDeadline.within(signCheckpoint(request.range(), request.dstGateway(), toRead), Duration.ofSeconds(60),
                "signing a checkpoint of " + request.range().size() + " messages"), (sigs, e) -> new CheckpointSigned(request, sigs, e));
        return this;
    }

    /**
     * The local keys that attested every message of the range (their signature over each message's digest for this
     * gateway is in the store and recovers to them) sign its root. Refused outright (no signature) when the range is
     * not one route's contiguous nonces, its destination gateway is not the configured one, or its source is halted.
     * Only {@code toRead} is read back from the store: the rest this attester signed with every local key lately
     * ({@link OwnSignatures}). Touches no actor state.
     */
    private CompletionStage<List<ValidatorSignature>> signCheckpoint(List<CrossChainMessage> range, String dstGateway,
                                                                     List<CrossChainMessage> toRead) {
        CheckpointDigest digest;
        try {
            digest = CheckpointDigest.of(range, dstGateway);
        } catch (IllegalArgumentException malformed) {
            return CompletableFuture.failedFuture(malformed);
        }
        CrossChainMessage first = range.get(0);
        if (!dstGateway.equalsIgnoreCase(w.gateways().get(first.dstChainId())) || w.halted().isHalted(first.srcChainId())) {
            return CompletableFuture.completedFuture(List.of());
        }
        Set<String> signers = ConcurrentHashMap.newKeySet();
        signers.addAll(w.keys().addresses());
        if (toRead.size() < range.size()) {
            signers.retainAll(w.keys().validatorSet()); // what a store read would count for a message signed here
        }
        CompletableFuture<?>[] reads = toRead.stream().map(m -> w.attestations().list(m.id()).thenAccept(all -> {
            Set<String> attested = new HashSet<>();
            w.keys().valid(w.keys().digest(m.id(), m.dstChainId(), dstGateway), all)
                    .forEach(a -> attested.add(a.validator().toLowerCase(Locale.ROOT)));
            signers.retainAll(attested);
        }).toCompletableFuture()).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(reads).thenApply(x -> w.keys().signCheckpoint(digest, signers));
    }

    private Behavior<Command> onCheckpointSigned(CheckpointSigned signed) {
        if (signed.error() != null) {
            getContext().getLog().warn("checkpoint of {} messages from nonce {} of chain {}: not signed: {}", signed.request().range().size(),
                    signed.request().range().get(0).nonce(), signed.request().range().get(0).srcChainId(), signed.error().toString());
        }
        signed.request().replyTo().tell(signed.error() == null ? signed.signatures() : List.of());
        return this;
    }

    private Behavior<Command> onDone(Done done) {
        Transfer t = done.transfer();
        inFlight.remove(t.id());
        scheduleStart();
        if (done.error() != null) {
            getContext().getLog().warn("transfer {}: attestation failed, the sweep retries: {}", t.id(), done.error().toString());
            return this;
        }
        if (!(done.outcome() instanceof Outcome.Withheld)) {
            // every other outcome comes after the write
            own.signed(t.id(), w.gateways().get(t.message().dstChainId()), done.outcome() instanceof Outcome.Attested);
        }
        if (done.outcome() instanceof Outcome.Attested attested) {
            w.tracing().stage(t.id().toHex(), t.route(), "attest", attested.finalizedAt(), w.clock().instant(),
                    Attributes.builder().put("courier.signatures", attested.signatures()).build(), true);
            w.delivery().ready(t.message().dstChainId(), attested.attested().id());
        } else if (done.outcome() instanceof Outcome.Withheld withheld) {
            w.metrics().attestationsWithheld.labelValues(w.sources().get(t.message().srcChainId()).chain()).inc();
            getContext().getLog().warn("transfer {}: NOT signed: its source (chain {}, tx {}, block {}) was not confirmed "
                    + "by the endpoints just before signing; the sweep asks again: {}", t.id(), t.message().srcChainId(),
                    t.source().txHash(), t.source().blockNumber(), withheld.corroboration().summary());
        } else if (done.outcome() instanceof Outcome.WaitingForPeers waiting) {
            getContext().getLog().debug("transfer {}: waiting for peer signatures ({} valid)", t.id(), waiting.signatures());
        } else if (done.outcome() instanceof Outcome.AlreadyMoved moved) {
            getContext().getLog().debug("transfer {}: not attested here: {}", t.id(), moved.outcome());
        }
        return this;
    }
}
