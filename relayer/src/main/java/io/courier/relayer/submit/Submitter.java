package io.courier.relayer.submit;

import io.courier.chain.ChainClient;
import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.delivery.DeliveryPlanner;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeSettings;
import io.courier.finality.Transfer;
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
 * for ({@link NonceRecovery}) before anything is signed; {@link Ready} requests wait in a stash. <b>Running</b>:
 * requests are planned ({@link PlanningRound}) and prepared ({@link LonePreparation}, {@link BatchPreparation}), then
 * signed, persisted and broadcast ({@link TransactionSends}, in the order {@link TxLifecycle} allows) and followed to
 * their receipts ({@link Outbox}); the gateway is read through {@link DestinationGateway}. The actor is the shell:
 * {@link PlanningRound} and {@link Outbox} hold the state and turn each result into typed steps, the actor carries
 * them out.
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

    /**
     * The running phase: a shell over {@link PlanningRound} (what to prepare) and {@link Outbox} (what was signed and what
     * each result means). Each handler hands its message to one of them and carries out the steps it returns; the I/O of
     * every step is here, each result comes back as a message.
     */
    static final class Running extends AbstractBehavior<Command> {

        private final SubmitterEnv env;
        private final Wiring w;
        private final SubmitterSettings s;
        private final long handlerGasLimit; // the gateway's, read once with the nonce
        private final PlanningRound rounds = new PlanningRound();
        private final Intake intake = rounds.intake();
        private final Outbox outbox;
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
            this.handlerGasLimit = loaded.handlerGasLimit();
            this.validatorSet = loaded.validatorSet();
            this.batching = new BatchPreparation(w, env.gateway, env.fees);
            this.sends = new TransactionSends(w, env.signer);
            this.telemetry = new DeliveryTelemetry(w.chainName(), w.metrics(), w.tracing(), w.clock(), getContext().getLog());
            this.lone = new LonePreparation(w, env.gateway, env.fees, loaded.handlerGasLimit());
            this.outbox = new Outbox(loaded.plan().firstFree(), intake, telemetry, env.account, w.chainId(), w.gateway(), w.fees(),
                    s.destinationConfirmations(), s.rebroadcastAfter(), w.clock());
            telemetry.starting(w.chainId(), env.signer, loaded.plan());
            carryOut(outbox.noncePlan(loaded.plan()));
            env.timers.startTimerWithFixedDelay(Sweep.INSTANCE, s.sweepInterval(), s.sweepInterval());
            env.timers.startTimerWithFixedDelay(PollReceipts.INSTANCE, s.receiptPollInterval(), s.receiptPollInterval());
            env.timers.startTimerWithFixedDelay(CheckNonces.INSTANCE, s.nonceCheckInterval(), s.nonceCheckInterval());
            getContext().getSelf().tell(Sweep.INSTANCE); // what a restart or lost messages left behind, at once
            drain();
        }

        @Override
        public Receive<Command> createReceive() {
            return newReceiveBuilder()
                    .onMessage(Ready.class, r -> {
                        rounds.offer(r.id(), outbox.carries(r.id()), w.clock().instant());
                        return drain();
                    })
                    .onMessageEquals(Sweep.INSTANCE, this::onSweep)
                    .onMessage(SweepLoaded.class, this::onSweepLoaded)
                    .onMessage(BalanceRead.class, this::onBalanceRead)
                    .onMessageEquals(DrainTick.INSTANCE, this::drainNow)
                    .onMessage(Loaded.class, this::onLoaded)
                    .onMessage(BatchPrepared.class, p -> carryOut(rounds.batchPrepared(p.outcome(), w.halted()::isHalted)))
                    .onMessage(LonePrepared.class, p -> carryOut(rounds.lonePrepared(p.outcome(), w.halted()::isHalted, w.clock().instant())))
                    .onMessage(Broadcast.class, b -> carryOut(outbox.sent(b.txs(), b.result())))
                    .onMessageEquals(PollReceipts.INSTANCE, this::onPollReceipts)
                    .onMessage(HeadRead.class, this::onHeadRead)
                    .onMessage(HeadFailed.class, f -> {
                        outbox.headFailed(f.round(), f.error());
                        return this;
                    })
                    .onMessage(ReceiptChecked.class, c -> carryOut(outbox.receipt(c.round(), c.txs(), c.receipt(), c.head(), c.error())))
                    .onMessage(Rebroadcast.class, r -> carryOut(outbox.resent(r.txs(), r.result(), r.error())))
                    .onMessage(Finished.class, f -> carryOut(outbox.outcomeRecorded(f.tx(), f.status(), f.error())))
                    .onMessage(BumpDecided.class, d -> carryOut(outbox.bumpPriced(d.nonce(), d.head(), d.outcome(), d.error())))
                    .onMessage(BumpSent.class, b -> {
                        outbox.replacementSent(b.before(), b.entriesBefore(), b.replacement(), b.result());
                        return this;
                    })
                    .onMessage(ObservedRecorded.class, r -> {
                        outbox.observedRecorded(r.tx(), r.outcome(), r.error());
                        return this;
                    })
                    .onMessage(UndeliverableRecorded.class, r -> {
                        outbox.undeliverableRecorded(r.transfer(), r.event(), r.outcome(), r.error());
                        return this;
                    })
                    .onMessageEquals(CheckNonces.INSTANCE, this::onCheckNonces)
                    .onMessage(NoncesChecked.class, c -> {
                        nonceCheckRunning = false;
                        return carryOut(outbox.nonceChecked(c.plan()));
                    })
                    .onMessage(FillSent.class, f -> {
                        outbox.filled(f.nonce(), f.txHash(), f.error());
                        return this;
                    })
                    .onMessage(StepFailed.class, this::onStepFailed)
                    .onAnyMessage(stale -> this) // LoadNonce, NonceLoaded: replies to the loading phase
                    .build();
        }

        // ── timers: sweep (with the signer's balance), nonce check, receipt rounds ──────────────────────

        private Behavior<Command> onSweep() {
            if (sweepRunning) {
                return this;
            }
            sweepRunning = true;
            // the balance rides on the sweep's tick, which runs even when nothing is in flight
            getContext().pipeToSelf(env.within(w.client().balance(env.signer), "balance of " + env.signer + " on " + w.chainName()),
                    BalanceRead::new);
            LocalDate today = LocalDate.ofInstant(w.clock().instant(), ZoneOffset.UTC);
            getContext().pipeToSelf(env.within(w.transfers().open(w.chainId(), today.minusDays(SWEEP_DAYS), today.plusDays(1), SWEEP_LIMIT),
                            "sweep of " + w.chainName()),
                    (open, e) -> e != null ? new StepFailed(Step.SWEEP, e) : new SweepLoaded(open));
            return this;
        }

        private Behavior<Command> onBalanceRead(BalanceRead read) {
            if (read.error() != null) {
                telemetry.balanceUnread(env.signer, read.error()); // the gauge keeps its last value; the next sweep tries again
                return this;
            }
            boolean below = w.funds().report(w.chainId(), env.signer.toHex(), read.wei(), w.signerFloorWei());
            telemetry.balance(read.wei(), belowFloor, below, w.chainId(), env.signer, w.signerFloorWei());
            belowFloor = below;
            return below ? this : drain();
        }

        private Behavior<Command> onSweepLoaded(SweepLoaded loaded) {
            sweepRunning = false;
            telemetry.open(w.chainId(), loaded.open());
            for (Transfer t : rounds.swept(loaded.open(), outbox::carries, w.clock().instant())) {
                if (t.status() == TransferStatus.FINALIZED) {
                    w.attester().attest(t);
                } else {
                    outbox.recovered(t); // SUBMITTED
                }
            }
            return drain();
        }

        private Behavior<Command> onCheckNonces() {
            if (nonceCheckRunning || outbox.settled()) {
                return this;
            }
            nonceCheckRunning = true;
            getContext().pipeToSelf(env.within(env.readNoncePlan(), "nonce check on " + w.chainName()),
                    (plan, e) -> e != null ? new StepFailed(Step.NONCE_CHECK, e) : new NoncesChecked(plan));
            return this;
        }

        /** One round at a time: the next starts only when every poll of this one has completed (or failed). */
        private Behavior<Command> onPollReceipts() {
            OptionalLong started = outbox.startReceiptRound();
            if (started.isPresent()) {
                long round = started.getAsLong();
                List<PendingTransactions.Pending> snapshot = outbox.receiptSnapshot();
                getContext().pipeToSelf(env.within(w.client().head().thenApply(h -> h.number()), "head of " + w.chainName()),
                        (h, e) -> e != null ? new HeadFailed(round, e) : new HeadRead(round, snapshot, h));
            }
            return this;
        }

        private Behavior<Command> onHeadRead(HeadRead read) {
            for (Outbox.ReceiptAsk ask : outbox.headRead(read.round(), read.snapshot())) {
                List<Inflight> members = ask.tx().members();
                getContext().pipeToSelf(env.within(TransferTracing.inTransfer(members.get(0).transfer().id().toHex(),
                                () -> sends.receiptOfAny(ask.attempts())), "receipt of " + ask.tx().hash()),
                        (r, e) -> new ReceiptChecked(read.round(), members, r == null ? Optional.empty() : r, read.head(), e));
            }
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

        // ── planning: what is queued is loaded, planned, prepared ───────────────────────────────────────

        private Behavior<Command> drain() {
            if (intake.hasQueued()) {
                if (!s.batch().enabled() || s.batch().maxWait().isZero()) {
                    drainNow();
                } else if (!env.timers.isTimerActive(DrainTick.INSTANCE)) {
                    // what becomes ready meanwhile shares the transactions planned at the tick
                    env.timers.startSingleTimer(DrainTick.INSTANCE, s.batch().maxWait());
                }
            }
            return this;
        }

        private Behavior<Command> drainNow() {
            if (!belowFloor) { // else the queue waits for the balance (read on every sweep)
                rounds.drainNow(s.batch().enabled() && validatorSet.isPresent(), outbox.transactions(), s.maxInFlight())
                        .forEach(this::carryOut);
            }
            return this;
        }

        private Behavior<Command> onLoaded(Loaded round) {
            rounds.loaded(round.loaded()).forEach(this::carryOut);
            GatewayCalldata.ValidatorSet set = validatorSet.orElseThrow();
            rounds.plan(set, BatchPreparation.gas(set, handlerGasLimit, s.batch().handlerGasEstimate()),
                    new DeliveryPlanner.Limits(s.batch().maxMessages(), s.maxGasLimit(), w.checkpoints().signers() >= set.threshold()))
                    .forEach(this::carryOut);
            return this;
        }

        /** One step of the intake and its planning round. */
        private Behavior<Command> carryOut(PlanningRound.Step step) {
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
                carryOut(List.of(outbox.sign(sign.delivery())));
            } else if (step instanceof PlanningRound.Step.LetGo letGo) {
                // a revert at estimation (bad attestation, already executed elsewhere), a transient error, a batch split
                // or postponed: nothing was signed or spent; the queue or the next sweep brings it back
                telemetry.letGo(letGo);
                drain();
            } else if (step instanceof PlanningRound.Step.Undeliverable u) {
                carryOut(outbox.undeliverable(u.transfer(), u.from(), u.event()));
            } else if (step instanceof PlanningRound.Step.FollowObserved f) {
                carryOut(List.of(outbox.followObserved(f.seen())));
            }
            return this;
        }

        private void prepareLone(MessageId id, Optional<Inflight> replacing, String what) {
            getContext().pipeToSelf(env.within(lone.prepare(id, replacing), what),
                    (p, e) -> new LonePrepared(e != null ? new LonePreparation.Outcome.NotNow(id, rootMessage(e)) : p));
        }

        // ── the outbox's steps: record, send, follow (ADR 004's order) ──────────────────────────────────

        private Behavior<Command> carryOut(List<Outbox.Step> steps) {
            steps.forEach(this::carryOut);
            return this;
        }

        private void carryOut(Outbox.Step step) {
            if (step instanceof Outbox.Step.Send send) {
                OutgoingTransaction tx = send.tx();
                CompletionStage<Void> recorded = send.record().map(w.submissions()::record)
                        .orElseGet(() -> CompletableFuture.completedFuture(null)); // adopted: recorded before a restart
                getContext().pipeToSelf(env.within(sends.afterRecord(recorded, tx.ids(), tx.from(), tx.event(), tx.hash(), tx.raw()),
                        "submitting " + tx.hash()), (r, e) -> new Broadcast(send.entries(), e != null ? new TransactionSends.SendResult.NotSent(e) : r));
            } else if (step instanceof Outbox.Step.Fill fill) {
                long nonce = fill.nonce();
                getContext().pipeToSelf(env.within(NonceManager.sendFill(nonce, env.fees, env.account, w.client()), "filling nonce " + nonce),
                        (h, e) -> new FillSent(nonce, h, e));
            } else if (step instanceof Outbox.Step.PriceBump bump) {
                NonceAttempts a = bump.attempts();
                getContext().pipeToSelf(env.within(env.fees.market().thenApply(m -> FeeBump.next(a.fees(), m, a.bumps(), w.fees())),
                        "pricing a replacement at nonce " + a.nonce()), (outcome, e) -> new BumpDecided(a.nonce(), bump.head(), outcome, e));
            } else if (step instanceof Outbox.Step.SendReplacement sr) {
                FeeBumps.Replacement r = sr.replacement();
                List<MessageId> ids = sr.before().stream().map(m -> m.transfer().id()).toList();
                // ADR 004's order: the replacement's record, the transfers' move to it, then the broadcast
                CompletionStage<TransactionSends.SendResult> result = sends.afterRecord(w.submissions().replace(r.before().current(), r.record()),
                        ids, TransferStatus.SUBMITTED, r.event(), r.hash(), r.signed().raw());
                getContext().pipeToSelf(env.within(result, "replacing " + r.before().newest()),
                        (sent, e) -> new BumpSent(r.before(), sr.before(), r.hash(), e != null ? new TransactionSends.SendResult.NotSent(e) : sent));
            } else if (step instanceof Outbox.Step.Resend resend) {
                TxHash hash = resend.entries().get(0).txHash();
                getContext().pipeToSelf(env.within(sends.resend(hash, resend.raw()), "rebroadcast of " + hash),
                        (r, e) -> new Rebroadcast(resend.entries(), r, e));
            } else if (step instanceof Outbox.Step.Replace replace) {
                prepareLone(replace.id(), Optional.of(replace.current()), "replacing " + replace.current().txHash());
            } else if (step instanceof Outbox.Step.RecordOutcome ro) {
                ReceiptMeaning.Recorded r = ro.outcome();
                getContext().pipeToSelf(env.within(sends.recordOutcome(r.entry(), r.event()), "recording the outcome of " + ro.tx()),
                        (o, e) -> new Finished(r.entry(), o instanceof TransitionOutcome.Applied a ? Optional.of(a.updated().status()) : Optional.empty(), e));
            } else if (step instanceof Outbox.Step.RecordObserved ro) {
                getContext().pipeToSelf(env.within(sends.recordObserved(ro.seen()), "recording the execution of " + ro.seen().id()),
                        (o, e) -> new ObservedRecorded(ro.observed(), o, e));
            } else if (step instanceof Outbox.Step.RecordUndeliverable u) {
                Transfer t = u.transfer();
                getContext().pipeToSelf(env.within(w.transfers().transition(t.id(), u.from(), u.event(), w.clock().instant()),
                        "recording " + t.id() + " undeliverable"), (o, e) -> new UndeliverableRecorded(t, u.event(), o, e));
            } else if (step == Outbox.Step.Drain.INSTANCE) {
                drain();
            }
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
