package io.courier.relayer.submit;

import io.courier.chain.ChainClient;
import io.courier.chain.GatewayCalldata;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.delivery.DeliveryPlanner;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AttestationStore;
import io.courier.finality.store.SubmissionStore;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import io.courier.relayer.handoff.AttestRequests;
import io.courier.relayer.handoff.CheckpointRequests;
import io.courier.relayer.signing.ValidatorKeys;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.status.SignerFunds;
import io.courier.relayer.submit.Inflight.Resend;
import io.courier.relayer.submit.SubmitterReplies.*;
import io.courier.relayer.submit.Inflight.Sender;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.web3j.crypto.Credentials;

/**
 * Delivers attested messages to one destination chain. It owns the signer's nonces, so there is one per
 * destination (a cluster singleton once several nodes run). Order of effects, so a crash at any point is
 * recoverable from Cassandra alone: sign → persist the submission and the SUBMITTED state → broadcast →
 * wait for the receipt and the destination confirmations → persist DELIVERED or FAILED.
 * A periodic sweep of the destination's open transfers re-drives anything a restart or a lost message left
 * behind: FINALIZED back to the attester, ATTESTED to submission, SUBMITTED to receipt tracking.
 *
 * <p>Two phases, two behaviours. <b>Loading</b> ({@link LoadingPhase}): every unmined nonce of the signer is accounted
 * for ({@link NonceRecovery}) before anything is signed; {@link Ready} requests wait in a stash. <b>Running</b>: the
 * {@link NonceManager} exists, requests are prepared ({@link LonePreparation}, {@link BatchPreparation}), signed,
 * persisted and broadcast ({@link TransactionSends}, in the order {@link TxLifecycle} allows) and followed to their
 * receipts; the gateway is read through {@link DestinationGateway}. The actor is the shell that holds the state and
 * maps each stage's typed result to its next step.
 * A halted source chain does not pause the submitter: it is checked per transfer (no new transaction for it).
 * All state lives in the running behaviour and changes only on the actor's thread: every asynchronous step
 * comes back as a message ({@code pipeToSelf}, {@link SubmitterReplies}).
 */
public final class Submitter {

    /** What a submitter takes: {@link Ready} from the attester, its timers, and its own steps' replies ({@link SubmitterReplies}). */
    public sealed interface Command permits Ready, Sweep, PollReceipts, CheckNonces, SubmitterReplies {}

    /** A transfer is ATTESTED and can be submitted. */
    public record Ready(MessageId id) implements Command {}

    /** Timer: sweep the destination's open transfers (package-private: tests drive the loop). */
    enum Sweep implements Command { INSTANCE }

    /** Timer: a round of receipt polls of the transactions in flight. */
    enum PollReceipts implements Command { INSTANCE }

    /** Timer: check the unmined nonces against the chain while transactions are in flight. */
    enum CheckNonces implements Command { INSTANCE }

    /** What the submitter needs. */
    public record Wiring(long chainId, String chainName, Address gateway, ChainClient client, Credentials signer,
                         SubmitterSettings settings, FeeSettings fees, TransferStore transfers, AttestationStore attestations,
                         SubmissionStore submissions, ValidatorKeys keys, AttestRequests attester,
                         CheckpointRequests checkpoints, CourierMetrics metrics, TransferTracing tracing, Clock clock,
                         HaltedChains halted, StepDeadlines deadlines, SignerFunds funds, BigInteger signerFloorWei) {

        /** Without a signer balance floor. */
        public Wiring(long chainId, String chainName, Address gateway, ChainClient client, Credentials signer,
                      SubmitterSettings settings, FeeSettings fees, TransferStore transfers, AttestationStore attestations,
                      SubmissionStore submissions, ValidatorKeys keys, AttestRequests attester,
                      CheckpointRequests checkpoints, CourierMetrics metrics, TransferTracing tracing, Clock clock,
                      HaltedChains halted, StepDeadlines deadlines) {
            this(chainId, chainName, gateway, client, signer, settings, fees, transfers, attestations, submissions, keys, attester,
                    checkpoints, metrics, tracing, clock, halted, deadlines, new SignerFunds(), BigInteger.ZERO);
        }

        /** With {@link StepDeadlines#STAGE_DEADLINE}. */
        public Wiring(long chainId, String chainName, Address gateway, ChainClient client, Credentials signer,
                      SubmitterSettings settings, FeeSettings fees, TransferStore transfers, AttestationStore attestations,
                      SubmissionStore submissions, ValidatorKeys keys, AttestRequests attester,
                      CheckpointRequests checkpoints, CourierMetrics metrics, TransferTracing tracing, Clock clock, HaltedChains halted) {
            this(chainId, chainName, gateway, client, signer, settings, fees, transfers, attestations, submissions, keys, attester,
                    checkpoints, metrics, tracing, clock, halted, StepDeadlines.STAGE_DEADLINE, new SignerFunds(), BigInteger.ZERO);
        }
    }

    public static Behavior<Command> create(Wiring wiring) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> Behaviors.withStash(STASH_CAPACITY,
                stash -> LoadingPhase.behavior(new SubmitterEnv(ctx, timers, wiring), stash))));
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    private static final int STASH_CAPACITY = 10_000;
    private static final int SWEEP_DAYS = 7;
    private static final int SWEEP_LIMIT = 2_000;

    private Submitter() {}

    // ── running ──────────────────────────────────────────────────────────────────────────────────────

    /** The running phase: requests are prepared, signed, persisted, broadcast and followed to their receipts. */
    static final class Running extends AbstractBehavior<Command> {

        private final SubmitterEnv env;
        private final Wiring w;
        private final SubmitterSettings s;
        private final Address signer;
        private final NonceManager nonces;
        private final long handlerGasLimit; // the gateway's, read once with the nonce
        /** The intake and its planning rounds: what each round's inputs mean, as steps this actor carries out. */
        private final PlanningRound rounds = new PlanningRound();
        private final Intake intake = rounds.intake();
        /** The destination transactions followed to their outcome, with the messages each carries. */
        private final PendingTransactions pending = new PendingTransactions();
        private final ReceiptRounds receiptRounds = new ReceiptRounds();
        /** The gateway's validator set (batching on), read with the nonce. */
        private final Optional<GatewayCalldata.ValidatorSet> validatorSet;
        private final BatchPreparation batching;
        private final LonePreparation lone;
        private final TransactionSends sends;
        private final DeliveryTelemetry telemetry;
        /** The signer's balance was below the chain's floor at the last read: nothing new is signed. */
        private boolean belowFloor;
        private boolean sweepRunning;
        private boolean nonceCheckRunning;

        Running(SubmitterEnv env, LoadingPhase.Loaded loaded) {
            super(env.ctx);
            this.env = env;
            this.w = env.w;
            this.s = env.s;
            this.signer = env.signer;
            this.nonces = new NonceManager(loaded.plan().firstFree());
            this.handlerGasLimit = loaded.handlerGasLimit();
            this.validatorSet = loaded.validatorSet();
            this.batching = new BatchPreparation(w, env.gateway, env.fees);
            this.sends = new TransactionSends(w, signer);
            this.telemetry = new DeliveryTelemetry(w.chainName(), w.metrics(), w.tracing(), w.clock(), getContext().getLog());
            this.lone = new LonePreparation(w, env.gateway, env.fees, loaded.handlerGasLimit());
            telemetry.starting(w.chainId(), signer, loaded.plan());
            applyNoncePlan(loaded.plan());
            env.timers.startTimerWithFixedDelay(Sweep.INSTANCE, s.sweepInterval(), s.sweepInterval());
            env.timers.startTimerWithFixedDelay(PollReceipts.INSTANCE, s.receiptPollInterval(), s.receiptPollInterval());
            env.timers.startTimerWithFixedDelay(CheckNonces.INSTANCE, s.nonceCheckInterval(), s.nonceCheckInterval());
            getContext().getSelf().tell(Sweep.INSTANCE); // what a restart or lost messages left behind, at once
            drain();
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessageEquals(CheckNonces.INSTANCE, this::onCheckNonces)
                    .onMessage(NoncesChecked.class, this::onNoncesChecked)
                    .onMessage(FillSent.class, this::onFillSent)
                    .onMessage(Dropped.class, this::onDropped)
                    .onMessage(ObservedRecorded.class, this::onObservedRecorded)
                    .onMessage(Ready.class, this::onReady)
                    .onMessageEquals(Sweep.INSTANCE, this::onSweep)
                    .onMessage(SweepLoaded.class, this::onSweepLoaded)
                    .onMessage(BalanceRead.class, this::onBalanceRead)
                    .onMessage(LonePrepared.class, this::onLonePrepared)
                    .onMessageEquals(DrainTick.INSTANCE, this::onDrainTick)
                    .onMessage(Loaded.class, this::onLoaded)
                    .onMessage(BatchPrepared.class, this::onBatchPrepared)
                    .onMessage(BumpDecided.class, this::onBumpDecided)
                    .onMessage(BumpSent.class, this::onBumpSent)
                    .onMessage(UndeliverableRecorded.class, this::onUndeliverableRecorded)
                    .onMessage(Broadcast.class, this::onBroadcast)
                    .onMessageEquals(PollReceipts.INSTANCE, this::onPollReceipts)
                    .onMessage(HeadRead.class, this::onHeadRead)
                    .onMessage(HeadFailed.class, this::onHeadFailed)
                    .onMessage(ReceiptChecked.class, this::onReceiptChecked)
                    .onMessage(Rebroadcast.class, this::onRebroadcast)
                    .onMessage(Finished.class, this::onFinished)
                    .onMessage(StepFailed.class, this::onStepFailed)
                    .onAnyMessage(stale -> this) // LoadNonce, NonceLoaded: replies to the loading phase
                    .build();
        }

        // ── nonces ───────────────────────────────────────────────────────────────────────────────────

        private Behavior<Command> onCheckNonces() {
            if (nonceCheckRunning || pending.isEmpty() && nonces.settled()) {
                return this;
            }
            nonceCheckRunning = true;
            getContext().pipeToSelf(env.within(env.readNoncePlan(), "nonce check on " + w.chainName()),
                    (plan, e) -> e != null ? new StepFailed(Step.NONCE_CHECK, e) : new NoncesChecked(plan));
            return this;
        }

        private Behavior<Command> onNoncesChecked(NoncesChecked checked) {
            nonceCheckRunning = false;
            applyNoncePlan(checked.plan());
            nonces.checked(checked.plan());
            return this;
        }

        /**
         * Applies what the present state does not already cover: a nonce held by a transaction in flight is left
         * alone, and only nonces the nonce manager handed out (or was built past) are adopted or filled.
         */
        private void applyNoncePlan(NonceRecovery.Plan plan) {
            for (NonceRecovery.Step step : nonces.recover(plan, pending.heldNonces(), adopt -> adopt.transfers().stream()
                    .anyMatch(t -> pending.carries(t.id()) || intake.preparing(t.id())))) {
                long nonce = step.nonce();
                if (step instanceof NonceRecovery.Follow follow) {
                    // broadcast again at the next poll: the crash may have come before the first broadcast
                    pending.follow(follow).forEach(intake::unqueue);
                } else if (step instanceof NonceRecovery.Adopt adopt) {
                    for (Transfer t : adopt.transfers()) {
                        telemetry.adopting(t.id(), adopt);
                        intake.unqueue(t.id());
                    }
                    persistAndBroadcast(OutgoingTransaction.adopted(adopt), CompletableFuture.completedFuture(null));
                } else {
                    fill(nonce);
                }
            }
        }

        /** A no-op at {@code nonce} (being filled in the nonce manager), so the transactions after it can be mined. */
        private void fill(long nonce) {
            getContext().pipeToSelf(env.within(NonceManager.sendFill(nonce, env.fees, env.account, w.client()), "filling nonce " + nonce),
                    (h, e) -> new FillSent(nonce, h, e));
        }

        private Behavior<Command> onFillSent(FillSent sent) {
            nonces.filled(sent.nonce());
            telemetry.filled(sent.nonce(), sent.txHash(), sent.error());
            return this;
        }

        // ── intake ───────────────────────────────────────────────────────────────────────────────────

        private Behavior<Command> onReady(Ready ready) {
            rounds.offer(ready.id(), pending.carries(ready.id()), w.clock().instant());
            drain();
            return this;
        }

        private Behavior<Command> onSweep() {
            if (sweepRunning) {
                return this;
            }
            sweepRunning = true;
            // the balance rides on the sweep's tick, which runs even when nothing is in flight
            getContext().pipeToSelf(env.within(w.client().balance(signer), "balance of " + signer + " on " + w.chainName()),
                    BalanceRead::new);
            LocalDate today = LocalDate.ofInstant(w.clock().instant(), ZoneOffset.UTC);
            getContext().pipeToSelf(env.within(w.transfers().open(w.chainId(), today.minusDays(SWEEP_DAYS), today.plusDays(1), SWEEP_LIMIT),
                            "sweep of " + w.chainName()),
                    (open, e) -> e != null ? new StepFailed(Step.SWEEP, e) : new SweepLoaded(open));
            return this;
        }

        private Behavior<Command> onBalanceRead(BalanceRead read) {
            if (read.error() == null) {
                boolean below = w.funds().report(w.chainId(), signer.toHex(), read.wei(), w.signerFloorWei());
                telemetry.balance(read.wei(), belowFloor, below, w.chainId(), signer, w.signerFloorWei());
                belowFloor = below;
                if (!below) {
                    drain();
                }
            } else {
                // the gauge keeps its last value; the next sweep tries again
                telemetry.balanceUnread(signer, read.error());
            }
            return this;
        }

        private Behavior<Command> onSweepLoaded(SweepLoaded loaded) {
            sweepRunning = false;
            telemetry.open(w.chainId(), loaded.open());
            for (Transfer t : rounds.swept(loaded.open(), pending::carries, w.clock().instant())) {
                if (t.status() == TransferStatus.FINALIZED) {
                    w.attester().attest(t);
                } else {
                    pending.recovered(t); // SUBMITTED
                }
            }
            drain();
            return this;
        }

        // ── prepare: load, select signatures, estimate, price ────────────────────────────────────────

        private void drain() {
            if (!intake.hasQueued()) {
                return;
            }
            if (!s.batch().enabled() || s.batch().maxWait().isZero()) {
                drainNow();
            } else if (!env.timers.isTimerActive(DrainTick.INSTANCE)) {
                // what becomes ready meanwhile shares the transactions planned at the tick
                env.timers.startSingleTimer(DrainTick.INSTANCE, s.batch().maxWait());
            }
        }

        private Behavior<Command> onDrainTick() {
            drainNow();
            return this;
        }

        private void drainNow() {
            if (!belowFloor) { // else the queue waits for the balance (read on every sweep)
                rounds.drainNow(s.batch().enabled() && validatorSet.isPresent(), pending.transactions(), s.maxInFlight()).forEach(this::carryOut);
            }
        }

        private Behavior<Command> onLoaded(Loaded round) {
            rounds.loaded(round.loaded()).forEach(this::carryOut);
            GatewayCalldata.ValidatorSet set = validatorSet.orElseThrow();
            rounds.plan(set, BatchPreparation.gas(set, handlerGasLimit, s.batch().handlerGasEstimate()),
                    new DeliveryPlanner.Limits(s.batch().maxMessages(), s.maxGasLimit(), w.checkpoints().signers() >= set.threshold()))
                    .forEach(this::carryOut);
            return this;
        }

        private Behavior<Command> onBatchPrepared(BatchPrepared prepared) {
            carryOut(rounds.batchPrepared(prepared.outcome(), w.halted()::isHalted));
            return this;
        }

        private Behavior<Command> onLonePrepared(LonePrepared prepared) {
            carryOut(rounds.lonePrepared(prepared.outcome(), w.halted()::isHalted, w.clock().instant()));
            return this;
        }

        /** One step of the intake and its planning round. */
        private void carryOut(PlanningRound.Step step) {
            if (step instanceof PlanningRound.Step.Load load) {
                List<MessageId> ids = load.ids();
                getContext().pipeToSelf(env.within(batching.load(ids), "loading " + ids.size() + " ready messages"),
                        (l, e) -> new Loaded(e != null ? new BatchPreparation.Loaded(List.of(),
                                ids.stream().map(id -> new BatchPreparation.Refusal(id, rootMessage(e))).toList()) : l));
            } else if (step instanceof PlanningRound.Step.PrepareLone p) {
                prepareLone(p.id(), Optional.empty(), "preparing " + p.id());
            } else if (step instanceof PlanningRound.Step.PrepareBatch b) {
                BatchPreparation.Planned d = b.planned();
                getContext().pipeToSelf(env.within(batching.prepare(d.delivery(), d.members(), b.set(), b.gas()),
                                "preparing a " + d.delivery().path() + " of " + d.ids().size()),
                        (p, e) -> new BatchPrepared(e != null ? new BatchPreparation.Outcome.Postponed(d.ids(), rootMessage(e)) : p));
            } else if (step instanceof PlanningRound.Step.Sign sign) {
                sign(sign.delivery());
            } else if (step instanceof PlanningRound.Step.LetGo letGo) {
                // a revert at estimation (bad attestation, already executed elsewhere), a transient error, a batch split
                // or postponed: nothing was signed or spent; the queue or the next sweep brings it back
                telemetry.letGo(letGo);
                drain();
            } else if (step instanceof PlanningRound.Step.Undeliverable u) {
                if (u.from() == TransferStatus.SUBMITTED) {
                    pending.remove(u.transfer().id()); // the dropped transaction it replaced holds no nonce of ours any more
                }
                recordUndeliverable(u.transfer(), u.from(), u.event());
                drain();
            } else if (step instanceof PlanningRound.Step.FollowObserved f) {
                followObserved(f.seen());
            }
        }

        private void prepareLone(MessageId id, Optional<Inflight> replacing, String what) {
            getContext().pipeToSelf(env.within(lone.prepare(id, replacing), what),
                    (p, e) -> new LonePrepared(e != null ? new LonePreparation.Outcome.NotNow(id, rootMessage(e)) : p));
        }

        /**
         * Recorded as the state machine asks (TransferStateMachine: no ATTESTED → DELIVERED shortcut): SUBMITTED with
         * the observed transaction, then the receipt poll records its outcome like any other.
         */
        private void followObserved(LonePreparation.Outcome.ExecutedElsewhere seen) {
            MessageId id = seen.transfer().id();
            telemetry.executedElsewhere(id, seen.txHash());
            // never rebroadcast (not ours to send), followed by its receipt
            Inflight observed = new Inflight(seen.transfer(), seen.txHash(), new Sender.Observed(seen.nonce()), Resend.Fixed.NEVER);
            pending.put(observed);
            getContext().pipeToSelf(env.within(sends.recordObserved(seen), "recording the execution of " + id),
                    (o, e) -> new ObservedRecorded(observed, o, e));
        }

        private Behavior<Command> onObservedRecorded(ObservedRecorded recorded) {
            if (recorded.error() != null || !TransactionSends.carries(recorded.outcome(), recorded.tx().txHash())) {
                pending.forget(List.of(recorded.tx()));
                telemetry.notRecorded(recorded.tx(), "its execution by " + recorded.tx().txHash(), "the sweep tries again",
                        recorded.error() != null ? rootMessage(recorded.error()) : recorded.outcome());
            }
            return this;
        }

        // ── undeliverable: over a limit, rejected for good, or a pre-flight that keeps reverting ──────

        /**
         * The node refused our transaction at {@code nonce} for good (SUBMITTED with it): it is never sent again, its nonce
         * is filled with a no-op at once (a recorded transaction's nonce never goes to another transaction: ADR 004), and
         * the transfer is UNDELIVERABLE. Were the fill lost, the nonce check fills it: its transfer is neither SUBMITTED
         * nor ATTESTED any more.
         */
        private Behavior<Command> onRejectedByNode(Inflight tx, long nonce, String reason) {
            MessageId id = tx.transfer().id();
            pending.forget(List.of(tx));
            telemetry.rejectedByNode(tx, nonce, reason);
            if (nonces.refused(nonce)) {
                fill(nonce);
            }
            recordUndeliverable(tx.transfer(), TransferStatus.SUBMITTED, GivingUp.rejectedByNode(tx.txHash(), reason));
            drain();
            return this;
        }

        private void recordUndeliverable(Transfer t, TransferStatus from, TransferEvent.Undeliverable event) {
            getContext().pipeToSelf(env.within(w.transfers().transition(t.id(), from, event, w.clock().instant()), "recording " + t.id()
                    + " undeliverable"), (o, e) -> new UndeliverableRecorded(t, event, o, e));
        }

        private Behavior<Command> onUndeliverableRecorded(UndeliverableRecorded r) {
            GivingUp.Recording recording = GivingUp.recording(r.outcome(), r.error());
            if (recording instanceof GivingUp.Recording.Recorded) {
                intake.finished(r.transfer().id());
                telemetry.undeliverable(r.transfer(), r.event());
            } else if (recording instanceof GivingUp.Recording.NotRecorded not) {
                telemetry.undeliverableNotRecorded(r.transfer(), r.event(), not.why());
            }
            return this; // a replay is quiet (logged once); a failed write is found by the sweep
        }

        // ── sign, persist, broadcast ─────────────────────────────────────────────────────────────────

        /** Signs it at the next nonce, then persists and broadcasts it (ADR 004's order). */
        private void sign(UnsignedDelivery p) {
            List<MessageId> ids = p.transfers().stream().map(Transfer::id).toList();
            OutgoingTransaction.Signed signed = OutgoingTransaction.sign(p, nonces.take(), env.account, w.chainId(), w.gateway(),
                    w.clock().instant());
            OutgoingTransaction tx = signed.tx();
            p.replacing().ifPresent(old -> telemetry.replacedDropped(ids.get(0), old, tx.hash(), tx.nonce()));
            telemetry.signed(p, tx.hash(), tx.nonce());
            nonces.track(signed.attempts());
            persistAndBroadcast(tx, w.submissions().record(signed.record()));
        }

        /** After {@code recorded}: persist each transfer's move to {@code tx}, then broadcast it once (ADR 004's order). */
        private void persistAndBroadcast(OutgoingTransaction tx, CompletionStage<Void> recorded) {
            List<Inflight> flights = pending.signed(tx.transfers(), tx.nonce(), tx.hash(), Optional.ofNullable(tx.raw()), tx.batchOf(),
                    w.clock().instant());
            CompletionStage<TransactionSends.SendResult> result = sends.afterRecord(recorded, tx.ids(), tx.from(), tx.event(), tx.hash(), tx.raw());
            getContext().pipeToSelf(env.within(result, "submitting " + tx.hash()),
                    (r, e) -> new Broadcast(List.copyOf(flights), e != null ? new TransactionSends.SendResult.NotSent(e) : r));
        }

        private Behavior<Command> onBroadcast(Broadcast b) {
            Inflight any = b.txs().get(0);
            long nonce = any.heldNonce().orElseThrow();
            BroadcastVerdict verdict = BroadcastVerdict.of(b.result());
            if (verdict instanceof BroadcastVerdict.Followed followed) {
                telemetry.count("broadcast");
                pending.advance(any.txHash(), new TxLifecycle.Event.Recorded(), new TxLifecycle.Event.Carried(), new TxLifecycle.Event.Sent());
                for (Inflight tx : b.txs()) {
                    if (followed.notCarried().contains(tx.transfer().id())) {
                        pending.forget(List.of(tx)); // it moved away before the batch was sent: not ours to follow
                    } else {
                        telemetry.submitted(tx, nonce, b.txs().size());
                    }
                }
            } else if (verdict instanceof BroadcastVerdict.NonceUnused unused) {
                pending.forget(b.txs());
                nonces.unused(nonce, unused.why());
                telemetry.notSent(b.txs(), nonce, unused.reason());
                drain();
            } else if (verdict instanceof BroadcastVerdict.RejectedForGood rejected) {
                b.txs().forEach(tx -> onRejectedByNode(tx, nonce, rejected.reason())); // sending it again cannot help
            } else if (verdict instanceof BroadcastVerdict.SendAgain again) {
                telemetry.count("broadcast_failed");
                telemetry.notSent(b.txs(), nonce, again.reason());
                pending.advance(any.txHash(), new TxLifecycle.Event.Recorded(), new TxLifecycle.Event.Carried(),
                        new TxLifecycle.Event.SendFailed());
                b.txs().forEach(tx -> pending.putIfFollowed(tx.with(Resend.Fixed.NEXT_POLL)));
            }
            return this; // AlreadyKnown: the node has it, fine
        }

        // ── receipts ─────────────────────────────────────────────────────────────────────────────────

        /** One round at a time: the next starts only when every poll of this one has completed (or failed). */
        private Behavior<Command> onPollReceipts() {
            OptionalLong started = pending.isEmpty() ? OptionalLong.empty() : receiptRounds.start();
            if (started.isEmpty()) {
                return this;
            }
            long round = started.getAsLong();
            List<PendingTransactions.Pending> snapshot = pending.snapshot();
            getContext().pipeToSelf(env.within(w.client().head().thenApply(h -> h.number()), "head of " + w.chainName()),
                    (h, e) -> e != null ? new HeadFailed(round, e) : new HeadRead(round, snapshot, h));
            return this;
        }

        private Behavior<Command> onHeadRead(HeadRead read) {
            if (!receiptRounds.isCurrent(read.round())) {
                return this;
            }
            // one receipt per transaction, for every transfer it carries, under any of its attempts (fee bumps)
            for (PendingTransactions.Pending tx : read.snapshot()) {
                List<TxHash> attempts = nonces.receiptHashes(tx.members().get(0).heldNonce(), tx.hash());
                getContext().pipeToSelf(env.within(TransferTracing.inTransfer(tx.members().get(0).transfer().id().toHex(),
                                () -> sends.receiptOfAny(attempts)), "receipt of " + tx.hash()),
                        (r, e) -> new ReceiptChecked(read.round(), tx.members(), r == null ? Optional.empty() : r, read.head(), e));
            }
            receiptRounds.asking(read.round(), read.snapshot().size());
            return this;
        }

        private Behavior<Command> onHeadFailed(HeadFailed failed) {
            if (receiptRounds.headFailed(failed.round())) {
                telemetry.failed("receipts", failed.error());
            }
            return this;
        }

        private Behavior<Command> onReceiptChecked(ReceiptChecked checked) {
            receiptRounds.answered(checked.round());
            // the transfers still followed with this transaction, as their entries are now
            List<Inflight> members = checked.error() != null ? List.of() : pending.stillCarrying(checked.txs());
            if (members.isEmpty()) {
                return this;
            }
            TxHash hash = members.get(0).txHash();
            ReceiptMeaning.Reading reading = ReceiptMeaning.read(members, checked.receipt(), checked.head(), s.destinationConfirmations(),
                    w.clock().instant(), s.rebroadcastAfter());
            if (reading instanceof ReceiptMeaning.Reading.Unmined unmined) {
                if (unmined.resend()) {
                    rebroadcast(members);
                }
                unmined.nonce().ifPresent(n -> nonces.unmined(n, hash, checked.head(), w.fees()).ifPresent(a -> startBump(a, checked.head())));
                return this;
            }
            if (reading instanceof ReceiptMeaning.Reading.NotFinal notFinal) {
                notFinal.reached().ifPresent(state -> pending.reached(hash, state));
                return this;
            }
            ReceiptMeaning.Reading.Final fin = (ReceiptMeaning.Reading.Final) reading;
            TxReceipt receipt = fin.receipt();
            List<Inflight> confirmed = pending.confirmed(members, fin.state());
            if (nonces.minedLeftAlone(members.get(0).heldNonce())) {
                publishExhausted();
            }
            int batchOf = pending.takeBatchSize(hash);
            telemetry.mined(receipt.txHash(), receipt, batchOf);
            ReceiptMeaning.Outcomes outcomes = ReceiptMeaning.outcomes(receipt, confirmed, batchOf, w.gateway());
            if (outcomes instanceof ReceiptMeaning.Outcomes.BatchReverted) {
                // the whole batch reverted: each goes again on its own (a replacement at a new nonce; its pre-flight finds
                // one executed meanwhile)
                telemetry.batchReverted(receipt, batchOf);
                rounds.alone(confirmed).forEach(m -> onDropped(new Dropped(m)));
                return this;
            }
            for (ReceiptMeaning.Recorded r : ((ReceiptMeaning.Outcomes.Each) outcomes).recorded()) {
                getContext().pipeToSelf(env.within(sends.recordOutcome(r.entry(), r.event()), "recording the outcome of " + receipt.txHash()),
                        (o, e) -> new Finished(r.entry(), o instanceof TransitionOutcome.Applied a ? Optional.of(a.updated().status()) : Optional.empty(), e));
            }
            return this;
        }

        // ── fee bumps: the same nonce, both fees raised, bounded (docs/adr/004, "Fees and bumps") ─────────

        private void startBump(NonceAttempts a, long head) {
            getContext().pipeToSelf(env.within(env.fees.market().thenApply(m -> FeeBump.next(a.fees(), m, a.bumps(), w.fees())),
                            "pricing a replacement at nonce " + a.nonce()),
                    (outcome, e) -> new BumpDecided(a.nonce(), head, outcome, e));
        }

        private Behavior<Command> onBumpDecided(BumpDecided decided) {
            if (decided.error() != null) {
                telemetry.failed("pricing the replacement at nonce " + decided.nonce(), decided.error());
            }
            NonceManager.Bump bump = nonces.bumpPriced(decided.nonce(), decided.head(), Optional.ofNullable(decided.outcome()));
            if (bump instanceof NonceManager.Bump.LeftAlone left) {
                publishExhausted();
                telemetry.leftAlone(left.attempts(), left.why());
                return this;
            }
            if (!(bump instanceof NonceManager.Bump.Replace replace)) {
                return this;
            }
            FeeBumps.Replacement r = FeeBumps.sign(replace, env.account, w.chainId(), w.gateway(), w.clock().instant());
            List<Inflight> before = pending.replace(r.before(), r.hash(), Optional.of(r.signed().raw()), w.clock().instant());
            if (before.isEmpty()) {
                nonces.bumpDropped(r.before().nonce());
                return this;
            }
            nonces.track(r.after());
            telemetry.replacing(r.before(), r.hash(), r.fees(), w.fees());
            // ADR 004's order: the replacement's record, the transfers' move to it, then the broadcast
            List<MessageId> ids = before.stream().map(m -> m.transfer().id()).toList();
            CompletionStage<TransactionSends.SendResult> result = sends.afterRecord(w.submissions().replace(r.before().current(), r.record()),
                    ids, TransferStatus.SUBMITTED, r.event(), r.hash(), r.signed().raw());
            getContext().pipeToSelf(env.within(result, "replacing " + r.before().newest()),
                    (sent, e) -> new BumpSent(r.before(), before, r.hash(), e != null ? new TransactionSends.SendResult.NotSent(e) : sent));
            return this;
        }

        private Behavior<Command> onBumpSent(BumpSent sent) {
            FeeBumps.AfterSend after = FeeBumps.afterSend(sent.result());
            if (after == FeeBumps.AfterSend.SENT) {
                pending.advance(sent.replacement(), new TxLifecycle.Event.Recorded(), new TxLifecycle.Event.Carried(), new TxLifecycle.Event.Sent());
                telemetry.feeBumped();
                return this;
            }
            if (after == FeeBumps.AfterSend.LOST && nonces.replacementLost(sent.before(), sent.replacement())) {
                // the replacement never became anyone's transaction: follow the previous one again, bump again later
                pending.replacementLost(sent.entriesBefore(), sent.replacement());
            }
            // NOT_SENT: recorded (perhaps) and carried; the receipt poll rebroadcasts it
            telemetry.failed("sending replacement " + sent.replacement() + " at nonce " + sent.before().nonce(), sent.result());
            return this;
        }

        /** {@code courier_fee_bumps_exhausted}: transactions of this chain left alone at their last bump or the cap, unmined. */
        private void publishExhausted() {
            telemetry.exhausted(nonces.exhausted());
        }

        /**
         * Sends the transaction again. If its nonce turns out to be used by another transaction (the node says "nonce
         * too low", or its record is below the chain's mined nonce) and it still has no receipt, it can never be mined:
         * {@link Dropped} has it replaced at a new nonce.
         */
        private void rebroadcast(List<Inflight> members) {
            List<Inflight> sentAgain = members.stream().map(m -> m.sentAgain(w.clock().instant())).toList();
            sentAgain.forEach(pending::put);
            Inflight tx = members.get(0);
            Optional<String> known = members.stream().map(m -> m.sender() instanceof Sender.Signed signed ? signed.raw() : Optional.<String>empty())
                    .flatMap(Optional::stream).findFirst();
            getContext().pipeToSelf(env.within(sends.resend(tx.txHash(), known), "rebroadcast of " + tx.txHash()),
                    (r, e) -> new Rebroadcast(sentAgain, r, e));
            telemetry.rebroadcasting(members);
        }

        private Behavior<Command> onRebroadcast(Rebroadcast r) {
            if (r.error() != null) {
                telemetry.failed("rebroadcast " + r.txs().get(0).txHash(), r.error());
                return this;
            }
            for (Inflight tx : r.txs()) {
                if (r.result() instanceof TransactionSends.Resent.RejectedForGood rejected) {
                    if (pending.follows(tx)) {
                        onRejectedByNode(tx, rejected.nonce(), rejected.reason());
                    }
                } else if (r.result() instanceof TransactionSends.Resent.NonceTaken) {
                    onDropped(new Dropped(tx));
                }
            }
            return this;
        }

        private Behavior<Command> onDropped(Dropped dropped) {
            MessageId id = dropped.tx().transfer().id();
            Optional<Inflight> current = pending.entry(id);
            if (!pending.follows(dropped.tx()) || !intake.startReplacing(id)) {
                return this;
            }
            // the pre-flight eth_call of its preparation is the last guard: if the message was executed after all, it reverts
            prepareLone(id, current, "replacing " + current.get().txHash());
            return this;
        }

        private Behavior<Command> onFinished(Finished f) {
            Inflight tx = f.tx();
            MessageId id = tx.transfer().id();
            pending.remove(id);
            intake.finished(id);
            if (f.error() != null) {
                telemetry.notRecorded(tx, "the outcome of " + tx.txHash(), "will re-check", f.error());
                // followed again from the next poll; someone else's transaction is still never sent
                pending.put(tx.sender() instanceof Sender.Observed ? tx : tx.sentAgain(w.clock().instant()));
                return this;
            }
            f.status().ifPresent(status -> telemetry.completed(tx, status));
            drain();
            return this;
        }

        private Behavior<Command> onStepFailed(StepFailed failed) {
            switch (failed.step()) {
                case SWEEP -> sweepRunning = false;
                case NONCE_CHECK -> nonceCheckRunning = false;
                case LOAD_NONCE -> { } // a late reply to the loading phase
            }
            telemetry.failed(failed.step().text, failed.error());
            return this;
        }

    }

    static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    static String rootMessage(Throwable e) {
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
