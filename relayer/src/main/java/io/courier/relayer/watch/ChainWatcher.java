package io.courier.relayer.watch;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.LogScanner;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.message.MessageId;
import io.courier.finality.CanonicalWindow;
import io.courier.finality.ChainCursor;
import io.courier.finality.ChainTip;
import io.courier.finality.FinalityPolicy;
import io.courier.finality.Header;
import io.courier.finality.ReorgPolicy;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.CursorStore;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.finality.store.UnfinalizedTransfer;
import io.courier.chain.quorum.Corroboration;
import io.courier.chain.quorum.QuorumHead;
import io.courier.chain.quorum.QuorumUnreached;
import io.courier.chain.quorum.SourceWitnesses;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.handoff.AttestRequests;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusBoard;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.courier.payment.GasPayment;
import io.courier.payment.PaymentVerdict;
import io.opentelemetry.api.common.Attributes;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches one chain. Each poll cycle, one at a time, all I/O asynchronous:
 * <ol>
 *   <li>links the new head into the window of recent canonical headers (fetching missing or forked ancestors);
 *       on a reorg within finality it rewinds the scan cursor to the fork point, so the new branch's logs are
 *       scanned; on a reorg deeper than the finality policy it halts the chain (durably) until an operator
 *       resumes it;</li>
 *   <li>scans the gateway's {@code MessageSent} logs from the durable cursor and records each transfer as SENT
 *       before the cursor moves past its block (a crash re-scans instead of losing it); a transfer seen again in
 *       another block (re-included after a reorg) is relocated there;</li>
 *   <li>unless the chain is halted, applies the finality policy to the transfers waiting on this chain: a final
 *       block whose hash is still canonical finalizes them; otherwise the transaction was re-included (relocate)
 *       or is gone (REORGED: never attested, never delivered).</li>
 * </ol>
 *
 * <p><b>Payments</b> (issue 11, {@link Payments}): the scan also records the gateway's {@code GasPaid} logs, as pending.
 * At settlement a pending payment whose block is final and still canonical counts (it is confirmed), one whose block
 * left the chain is discarded; then each message about to be finalized is judged by its route's policy against the
 * quote: paid enough (or a sponsored route) → FINALIZED; too little → UNDERPAID, with the charge recorded for the API;
 * no quote on a required route → it stays SENT and waits, never delivered free. A confirmed top-up that covers an
 * UNDERPAID message's charge moves it to FINALIZED and on to the attester. A pending payment's row goes only after
 * all that is written, so a crash in between redoes it (every step is idempotent).
 *
 * <p><b>Phases</b>, each its own behaviour: {@link #loading} reads the cursor and checks its blocks against the
 * chain; {@link #running} polls; {@link #halted} (a reorg deeper than finality) goes on scanning, finalizes
 * nothing and waits for an operator's resume. A cycle in flight ({@link #scanning}, then {@link #settling}) lets
 * ticks pass. A cycle is two stages piped back to the actor: the scan (steps 1–2, and reading what waits for
 * finality), then, after the actor has planned finality ({@link FinalityPlan}) and noted the highest block it is
 * about to treat as final, the settlement (step 3). The stages get only immutable inputs; their results come
 * back as messages, and every piece of actor state ({@link Progress}) changes on the actor's thread only. The
 * settlement also reports each FINALIZED write as it applies ({@link FinalizedEarly}), and the actor hands that
 * transfer to the attester at once: after a burst, the attester signs the first transfers while the settlement still
 * writes the rest.
 *
 * <p><b>Deadlines</b> are actor timers, one per load attempt or cycle, cancelled when it ends; a missed one
 * fails it. Every stage result carries its attempt's number, so the late answer of an abandoned attempt is
 * dropped (its writes are idempotent, and it hands nothing to the attester).
 */
public final class ChainWatcher {

    // stages complete off the actor's thread, where getContext().getLog() must not be used
    private static final Logger log = LoggerFactory.getLogger(ChainWatcher.class);
    private static final int MAX_FORK_WALK_ROUNDS = 64;
    private static final Duration LOAD_DEADLINE = Duration.ofSeconds(30);
    private static final Duration CYCLE_DEADLINE = Duration.ofSeconds(90);
    private static final String DEADLINE = "deadline";
    private static final Duration QUORUM_LOG_INTERVAL = Duration.ofSeconds(30);

    public sealed interface Command {}

    private enum Tick implements Command { INSTANCE }

    private record Loaded(long attempt, Start start, Throwable error) implements Command {}

    private record Scanned(long attempt, Scan scan, Throwable error) implements Command {}

    private record Settled(long attempt, Settlement settlement, Throwable error) implements Command {}

    /**
     * The settlement of cycle {@code attempt} has just written this transfer FINALIZED ({@code null}: the write did
     * not apply); handed to the attester at once, not after the cycle's last write.
     */
    private record FinalizedEarly(long attempt, Transfer transfer) implements Command {}

    private record DeadlineMissed(long attempt, String what, Duration limit) implements Command {}

    /** What the watcher needs; built once by the node. */
    public record Wiring(ChainClient client, LogScanner scanner, MessageSentDecoder decoder, TransferStore transfers,
                         CursorStore cursors, Set<Long> destinations, ChainStatusBoard board, Clock clock,
                         CourierMetrics metrics, TransferTracing tracing, AttestRequests attester,
                         HaltedChains halted, SourceWitnesses witnesses, Payments payments) {

        /** Without payments ({@link Payments#OFF}): every final message goes on, no {@code GasPaid} log is read. */
        public Wiring(ChainClient client, LogScanner scanner, MessageSentDecoder decoder, TransferStore transfers,
                      CursorStore cursors, Set<Long> destinations, ChainStatusBoard board, Clock clock,
                      CourierMetrics metrics, TransferTracing tracing, AttestRequests attester,
                      HaltedChains halted, SourceWitnesses witnesses) {
            this(client, scanner, decoder, transfers, cursors, destinations, board, clock, metrics, tracing, attester, halted,
                    witnesses, Payments.OFF);
        }
    }

    public static Behavior<Command> create(ChainSettings chain, Wiring wiring) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
                new ChainWatcher(ctx, timers, chain, wiring).loading(0)));
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    // ── state: what the watcher knows between cycles (changed on the actor's thread only) ──────────────────

    /**
     * @param lastScanned      the last block whose logs are recorded (the cursor)
     * @param window           recent canonical headers
     * @param lastTip          the tip the last scan saw (reorgs are judged against it)
     * @param finalizedActedOn the highest source block this watcher has treated as final (persisted in the cursor):
     *                         a reorg replacing it or anything below is deeper than finality, whatever the head looked
     *                         like when the reorg was seen
     * @param waitingFrom      no transfer of this chain below this block waits for finality (see {@link #survey})
     * @param confirmationsAt  the head at which every waiting transfer's confirmation count was recorded
     *                         ({@code -1}: none yet)
     * @param failures         failed attempts in a row (load or cycle), for the backoff
     * @param lastStatus       the last status published
     */
    private record Progress(long lastScanned, CanonicalWindow window, ChainTip lastTip, long finalizedActedOn,
                            long waitingFrom, long confirmationsAt, int failures, ChainStatus lastStatus) {

        Progress scanned(Scan s, long finalizedHeight) {
            return new Progress(s.scannedTo(), s.window(), new ChainTip(s.head().number(), ChainTip.UNKNOWN,
                    finalizedHeight < 0 ? ChainTip.UNKNOWN : finalizedHeight), finalizedActedOn,
                    Math.min(waitingFrom, s.scanFrom()), confirmationsAt, failures, lastStatus);
        }

        Progress actingOn(long finalBlock) {
            return new Progress(lastScanned, window, lastTip, Math.max(finalizedActedOn, finalBlock), waitingFrom,
                    confirmationsAt, failures, lastStatus);
        }

        Progress settled(long waitingFrom, long confirmationsAt) {
            return new Progress(lastScanned, window, lastTip, finalizedActedOn, waitingFrom, confirmationsAt,
                    failures, lastStatus);
        }

        Progress published(ChainStatus status) {
            return new Progress(lastScanned, window, lastTip, finalizedActedOn, waitingFrom, confirmationsAt, 0, status);
        }

        /**
         * After a failed cycle, what is known of the waiting transfers is forgotten ({@code waitingFrom = 0}: the
         * next cycle reads them all): a rewound scan or a relocation may have written one below the mark before the
         * failure, and the next cycle need not rewind the same way.
         */
        Progress failed() {
            return new Progress(lastScanned, window, lastTip, finalizedActedOn, 0, confirmationsAt, failures + 1, lastStatus);
        }
    }

    /** The cursor as loaded and checked against the chain. */
    private record Start(long lastScanned, long finalizedHeight, Optional<String> haltedFor) {}

    /** The waiting transfers read by a scan, and the canonical header of each block among them that may be final. */
    private record Survey(List<UnfinalizedTransfer> rows, List<GasPayment> payments, Map<Long, Optional<BlockHeader>> blocks) {}

    /**
     * What a cycle's first stage found and did.
     *
     * @param scanFrom       the first block this scan read (after a rewind), or would have
     * @param haltedFor      set when this scan halted the chain
     * @param resumedInStore a halted chain found resumed in Cassandra (by another node or the CLI)
     * @param survey         empty while halted: nothing is finalized then
     */
    private record Scan(BlockHeader head, ChainTip tip, CanonicalWindow window, long scanFrom, long scannedTo,
                        int observed, Optional<String> haltedFor, boolean resumedInStore, Optional<Survey> survey) {}

    private record ConfirmationFailure(MessageId id, long confirmations, Throwable error) {}

    private record Reorged(UnfinalizedTransfer before, Transfer after) {}

    /** A transfer final by height whose source too few endpoints vouched for: it stays SENT (docs/adr/007). */
    record Unconfirmed(UnfinalizedTransfer row, Corroboration corroboration) {}

    /** What became of a transfer the plan would finalize. */
    sealed interface Finalizing {}

    record Written(TransitionOutcome outcome) implements Finalizing {}

    record NotVouchedFor(Unconfirmed unconfirmed) implements Finalizing {}

    /** Final, but paid too little: held as UNDERPAID ({@code outcome} of the SENT → UNDERPAID write). */
    record Held(TransitionOutcome outcome, PaymentVerdict.Underpaid verdict) implements Finalizing {}

    /** Final, on a required route, but the oracle cannot quote: it stays SENT and is judged again next cycle. */
    record Unpriced(UnfinalizedTransfer row, String reason) implements Finalizing {}

    /** An UNDERPAID transfer a top-up moved to FINALIZED. */
    record ToppedUp(Transfer transfer, BigInteger paid) {}

    /** The transfers about to be finalized as read, and those too few endpoints vouched for. */
    private record Vouching(Map<MessageId, Transfer> found, Map<MessageId, Unconfirmed> unconfirmed) {}

    /** What a cycle's settlement wrote. */
    private record Settlement(List<Transfer> finalized, List<Reorged> reorged, long lowestRelocation,
                              int confirmationsWritten, List<ConfirmationFailure> confirmationFailures,
                              List<Unconfirmed> unconfirmed, List<Held> held, List<Unpriced> unpriced,
                              List<ToppedUp> toppedUp, long lowestPendingPayment) {

        Settlement withPayments(List<ToppedUp> toppedUp, long lowestPendingPayment) {
            return new Settlement(finalized, reorged, lowestRelocation, confirmationsWritten, confirmationFailures, unconfirmed,
                    held, unpriced, toppedUp, lowestPendingPayment);
        }
    }

    /** What became of a transfer whose block left the chain. */
    private sealed interface Gone {}

    private record Moved(long toBlock) implements Gone {}

    private record MarkedReorged(Reorged reorged) implements Gone {}

    private enum Unchanged implements Gone { INSTANCE }

    private final ActorContext<Command> ctx;
    private final TimerScheduler<Command> timers;
    private final ChainSettings chain;
    private final Wiring w;
    private final FinalityPolicy policy;
    private final ReorgPolicy reorgPolicy;
    private final String label;
    private long attempts; // numbers load attempts and cycles, so a late answer of an abandoned one is recognized
    private Optional<String> quorumShortfall = Optional.empty(); // for the status page; set by each settlement
    private Instant quorumWarnedAt = Instant.EPOCH; // the shortfall is logged at most once per QUORUM_LOG_INTERVAL
    private Instant unpricedWarnedAt = Instant.EPOCH; // messages waiting for a quote: logged at most once per interval too

    private final SourceLogRecorder recorder;
    private final PaymentJudgement judge;

    private ChainWatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, ChainSettings chain, Wiring wiring) {
        ctx.setLoggerName(ChainWatcher.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
        this.ctx = ctx;
        this.timers = timers;
        this.chain = chain;
        this.w = wiring;
        this.policy = chain.finality();
        this.reorgPolicy = new ReorgPolicy(policy);
        this.label = chain.name();
        this.recorder = new SourceLogRecorder(chain, wiring);
        this.judge = new PaymentJudgement(chain, wiring);
        wiring.board().update(ChainStatus.starting(chain.chainId(), chain.name()));
    }

    // ── loading ─────────────────────────────────────────────────────────────────────────────────────────

    /**
     * Reads the cursor and checks it against the chain. Nothing else reaches the watcher meanwhile (its commands
     * are all its own), so there is nothing to stash: a stale tick or answer is dropped.
     */
    private Behavior<Command> loading(int failures) {
        long attempt = ++attempts;
        CompletionStage<Start> loaded = w.cursors().load(chain.chainId()).thenCompose(cursor -> cursor.isEmpty()
                ? CompletableFuture.completedFuture(new Start(chain.startBlock() - 1, ChainTip.UNKNOWN, Optional.empty()))
                : checkedAgainstChain(cursor.get()));
        deadline(attempt, LOAD_DEADLINE, "loading the cursor of chain " + label);
        ctx.pipeToSelf(loaded, (start, error) -> new Loaded(attempt, start, error));
        ChainStatus starting = ChainStatus.starting(chain.chainId(), label);
        return Behaviors.receive(Command.class)
                .onMessage(Loaded.class, m -> m.attempt() == attempt, m -> m.error() != null
                        ? loadFailed(failures, starting, m.error()) : started(m.start(), failures))
                .onMessage(DeadlineMissed.class, m -> m.attempt() == attempt,
                        m -> loadFailed(failures, starting, new StageDeadline.Missed(m.what(), m.limit())))
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    /** Waits out the backoff after a failed load, then loads again. */
    private Behavior<Command> loadFailed(int failures, ChainStatus starting, Throwable error) {
        timers.cancel(DEADLINE);
        Duration delay = failedAttempt(failures + 1, starting, error);
        timers.startSingleTimer(Tick.INSTANCE, delay);
        return Behaviors.receive(Command.class)
                .onMessageEquals(Tick.INSTANCE, () -> loading(failures + 1))
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private Behavior<Command> started(Start start, int failures) {
        timers.cancel(DEADLINE);
        // waitingFrom 0: after a start, the first cycle reads every waiting transfer once
        Progress p = new Progress(start.lastScanned(), CanonicalWindow.empty(chain.windowSize()), ChainTip.ofHead(0),
                Math.max(ChainTip.UNKNOWN, start.finalizedHeight()), 0, -1, failures,
                ChainStatus.starting(chain.chainId(), label));
        start.haltedFor().ifPresent(reason -> {
            w.halted().halt(chain.chainId(), reason);
            ctx.getLog().error("chain {} ({}) is HALTED: {}; resume with `courier chain resume {}` or POST /v1/admin/chains/{}/resume",
                    label, chain.chainId(), reason, chain.chainId(), chain.chainId());
        });
        ctx.getLog().info("chain {} ({}): resuming after block {}, finality {}", label, chain.chainId(), p.lastScanned(), policy);
        ctx.getSelf().tell(Tick.INSTANCE);
        return start.haltedFor().isPresent() ? halted(p) : running(p);
    }

    /**
     * The window starts empty after a restart, so a reorg that happened while the node was away is found here: if
     * the last scanned block is not the one the cursor names, the chain changed below it. If the block the cursor
     * treated as final changed too, that reorg was deeper than finality (halt); otherwise every block above the final
     * one is scanned again, so the new branch's transfers are recorded and the orphaned ones are found by finality.
     */
    private CompletionStage<Start> checkedAgainstChain(ChainCursor c) {
        if (c.halted()) {
            return CompletableFuture.completedFuture(new Start(c.lastScannedBlock(), c.finalizedHeight(), Optional.of(c.haltReason())));
        }
        return w.client().blockByNumber(c.lastScannedBlock()).thenCompose(scanned -> {
            if (scanned.map(b -> b.hash().toHex().equals(c.lastScannedHash())).orElse(false)) {
                return CompletableFuture.completedFuture(new Start(c.lastScannedBlock(), c.finalizedHeight(), Optional.empty()));
            }
            String now = scanned.map(b -> b.hash().toHex()).orElse("missing");
            CompletionStage<Optional<BlockHeader>> finalBlock = c.finalizedBlockHash().isPresent()
                    ? w.client().blockByNumber(c.finalizedHeight()) : CompletableFuture.completedFuture(Optional.empty());
            return finalBlock.thenCompose(fin -> {
                if (c.finalizedBlockHash().isPresent() && !fin.map(b -> b.hash().toHex().equals(c.finalizedHash())).orElse(false)) {
                    w.metrics().deepReorgs.labelValues(label).inc();
                    String reason = "reorg while this node was away, at or below the final block " + c.finalizedHeight()
                            + " (was " + c.finalizedHash() + ", now " + fin.map(b -> b.hash().toHex()).orElse("missing")
                            + "); last scanned block " + c.lastScannedBlock() + " was " + c.lastScannedHash() + ", now " + now;
                    return halt(reason).thenApply(x -> new Start(c.lastScannedBlock(), c.finalizedHeight(), Optional.of(reason)));
                }
                // without the final block's hash (an older cursor, or a tag policy before the node named one) the
                // final height says nothing: go back one window, which is as deep as a reorg can be without halting
                long rewound = Math.max(chain.startBlock() - 1, c.finalizedBlockHash().isPresent()
                        ? Math.min(c.lastScannedBlock(), c.finalizedHeight())
                        : c.lastScannedBlock() - chain.windowSize());
                w.metrics().reorgs.labelValues(label, "unknown").inc();
                log.warn("chain {} ({}): block {} is no longer {} (now {}): a reorg above the final block {} happened while "
                        + "this node was away; re-scanning from block {}", label, chain.chainId(), c.lastScannedBlock(),
                        c.lastScannedHash(), now, c.finalizedHeight(), rewound + 1);
                return CompletableFuture.completedFuture(new Start(rewound, c.finalizedHeight(), Optional.empty()));
            });
        });
    }

    // ── running and halted ──────────────────────────────────────────────────────────────────────────────

    private Behavior<Command> running(Progress p) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Tick.INSTANCE, () -> startCycle(p, false))
                .onAnyMessage(m -> Behaviors.same()) // a late answer of an abandoned cycle
                .build();
    }

    /** Scans and records (safe: nothing is finalized), finalizes nothing, and looks for an operator's resume. */
    private Behavior<Command> halted(Progress p) {
        return Behaviors.receive(Command.class)
                .onMessageEquals(Tick.INSTANCE, () -> {
                    if (!w.halted().isHalted(chain.chainId())) {
                        ctx.getLog().warn("chain {} ({}) resumed", label, chain.chainId()); // through this node's API
                        return startCycle(p, false);
                    }
                    return startCycle(p, true);
                })
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    private Behavior<Command> startCycle(Progress p, boolean halted) {
        long attempt = ++attempts;
        deadline(attempt, CYCLE_DEADLINE, "poll cycle of chain " + label);
        ctx.pipeToSelf(scan(p, halted), (scan, error) -> new Scanned(attempt, scan, error));
        return scanning(p, attempt, halted);
    }

    private Behavior<Command> scanning(Progress p, long attempt, boolean halted) {
        return Behaviors.receive(Command.class)
                .onMessage(Scanned.class, m -> m.attempt() == attempt, m -> m.error() != null
                        ? cycleFailed(p, m.error()) : onScanned(p, attempt, halted, m.scan()))
                .onMessage(DeadlineMissed.class, m -> m.attempt() == attempt,
                        m -> cycleFailed(p, new StageDeadline.Missed(m.what(), m.limit())))
                .onAnyMessage(m -> Behaviors.same()) // ticks wait: one cycle at a time
                .build();
    }

    private Behavior<Command> onScanned(Progress before, long attempt, boolean halted, Scan s) {
        long finalizedHeight = policy.finalizedHeight(s.tip());
        Progress p = before.scanned(s, finalizedHeight);
        if (halted && s.resumedInStore()) {
            w.halted().resume(chain.chainId());
            ctx.getLog().warn("chain {} ({}) resumed (found in Cassandra)", label, chain.chainId());
        }
        if (s.survey().isEmpty() || w.halted().isHalted(chain.chainId())) {
            return cycleDone(p, s);
        }
        Survey survey = s.survey().get();
        FinalityPlan plan = FinalityPlan.of(policy, survey.rows(), survey.blocks(), s.head(), s.tip(), s.scannedTo(),
                w.clock().instant(), s.head().number() != p.confirmationsAt(), s.scannedTo() + 1);
        // noted before the first FINALIZED write, so even if this cycle fails half way, a reorg replacing these
        // blocks halts the chain
        Progress acting = p.actingOn(plan.highestFinal());
        // each FINALIZED write reports here as it applies: the attester starts on a cycle's first transfers while the
        // settlement still writes the rest (hundreds of conditional writes after a burst), instead of after the last
        Map<MessageId, CompletableFuture<Transfer>> writes = new java.util.HashMap<>();
        for (FinalityPlan.Finalize f : plan.toFinalize()) {
            CompletableFuture<Transfer> write = new CompletableFuture<>();
            writes.put(f.row().id(), write);
            ctx.pipeToSelf(write, (t, error) -> new FinalizedEarly(attempt, t));
        }
        ctx.pipeToSelf(settle(plan, survey, finalizedHeight, s.scannedTo(), w.clock().instant(), writes),
                (settlement, error) -> new Settled(attempt, settlement, error));
        return settling(acting, attempt, s, plan, new java.util.HashSet<>());
    }

    /** @param handed the transfers of this settlement already handed to the attester (as their writes applied) */
    private Behavior<Command> settling(Progress p, long attempt, Scan s, FinalityPlan plan, Set<MessageId> handed) {
        return Behaviors.receive(Command.class)
                .onMessage(FinalizedEarly.class, m -> m.attempt() == attempt && m.transfer() != null, m -> {
                    handOver(m.transfer(), handed);
                    return Behaviors.same();
                })
                .onMessage(Settled.class, m -> m.attempt() == attempt, m -> m.error() != null
                        ? cycleFailed(p, m.error()) : onSettled(p, s, plan, m.settlement(), handed))
                .onMessage(DeadlineMissed.class, m -> m.attempt() == attempt,
                        m -> cycleFailed(p, new StageDeadline.Missed(m.what(), m.limit())))
                .onAnyMessage(m -> Behaviors.same())
                .build();
    }

    /**
     * A transfer the current cycle's settlement wrote FINALIZED, handed on as its write applied. Only here and in
     * {@link #onSettled}, on the actor's thread and for the current cycle, is work handed on: a halted chain's
     * transfers stay FINALIZED and the submitter's sweep brings them back after a resume.
     */
    private void handOver(Transfer t, Set<MessageId> handed) {
        if (w.halted().isHalted(chain.chainId()) || !handed.add(t.id())) {
            return; // halted: onSettled traces it and hands nothing over
        }
        w.tracing().stage(t.id().toHex(), t.route(), "finality.wait", t.createdAt(), w.clock().instant(), Attributes.empty(), true);
        w.attester().attestVouched(t); // FINALIZED only after this cycle's quorum vouched for it (finalize)
    }

    private Behavior<Command> onSettled(Progress p, Scan s, FinalityPlan plan, Settlement r, Set<MessageId> handed) {
        Instant now = w.clock().instant();
        boolean halted = w.halted().isHalted(chain.chainId());
        for (Transfer t : r.finalized()) {
            if (handed.contains(t.id())) {
                continue; // handed on as its write applied
            }
            w.tracing().stage(t.id().toHex(), t.route(), "finality.wait", t.createdAt(), now, Attributes.empty(), true);
            if (!halted) {
                handed.add(t.id());
                w.attester().attestVouched(t); // FINALIZED only after this cycle's quorum vouched for it (finalize)
            }
        }
        for (ToppedUp up : r.toppedUp()) {
            Transfer t = up.transfer();
            t.stageTime(TransferStatus.UNDERPAID).ifPresent(since ->
                    w.tracing().stage(t.id().toHex(), t.route(), "payment.wait", since, now, Attributes.empty(), true));
            ctx.getLog().info("chain {}: transfer {} topped up to {} wei: FINALIZED, on to attestation", label, t.id(), up.paid());
            if (!halted) {
                w.attester().attest(t);
            }
        }
        for (Held held : r.held()) {
            if (held.outcome() instanceof TransitionOutcome.Applied a) {
                Transfer t = a.updated();
                w.tracing().stage(t.id().toHex(), t.route(), "finality.wait", t.createdAt(), now, Attributes.empty(), true);
                ctx.getLog().info("chain {}: transfer {} UNDERPAID: paid {} wei, quote {} wei, {} wei missing; anyone may top it up "
                        + "with payForGas({}) on gateway {} of chain {}", label, t.id(), held.verdict().paid(),
                        held.verdict().required(), held.verdict().missing(), t.id(), chain.gateway(), chain.chainId());
            }
        }
        if (!r.unpriced().isEmpty() && !now.isBefore(unpricedWarnedAt.plus(QUORUM_LOG_INTERVAL))) {
            unpricedWarnedAt = now;
            Unpriced first = r.unpriced().get(0);
            ctx.getLog().warn("chain {} ({}): {} final transfer(s) on required routes wait for a quote, none delivered unpaid; "
                    + "e.g. {}: {}", label, chain.chainId(), r.unpriced().size(), first.row().id(), first.reason());
        }
        for (Reorged gone : r.reorged()) {
            Transfer t = gone.after();
            w.tracing().stage(t.id().toHex(), t.route(), "finality.wait", t.createdAt(), now, Attributes.empty(), false);
            w.metrics().transfersCompleted.labelValues(TransferStatus.REORGED.name(), t.route()).inc();
            w.tracing().outcome(t, TransferStatus.REORGED, now, "block " + gone.before().blockNumber() + " left the canonical chain");
            ctx.getLog().warn("chain {}: transfer {} REORGED: its block {} ({}) left the canonical chain", label, t.id(),
                    gone.before().blockNumber(), gone.before().blockHash());
        }
        for (ConfirmationFailure f : r.confirmationFailures()) {
            ctx.getLog().warn("chain {} ({}): could not record {} confirmations of transfer {}, written again next cycle: {}",
                    label, chain.chainId(), f.confirmations(), f.id(), rootCause(f.error()).toString());
        }
        if (r.confirmationsWritten() > 0 || !r.confirmationFailures().isEmpty()) {
            ctx.getLog().debug("chain {}: confirmations at head {}: {} recorded, {} failed", label, s.head().number(),
                    r.confirmationsWritten(), r.confirmationFailures().size());
        }
        long lowestUnconfirmed = noteUnconfirmed(r.unconfirmed(), now);
        // a failed count keeps the mark where it was, so the next cycle writes the counts again, new head or not
        long confirmationsAt = r.confirmationFailures().isEmpty() ? s.head().number() : p.confirmationsAt();
        long lowestUnpriced = r.unpriced().stream().mapToLong(u -> u.row().blockNumber()).min().orElse(Long.MAX_VALUE);
        long waitingFrom = Math.min(Math.min(Math.min(plan.stillWaitingFrom(), r.lowestRelocation()), lowestUnconfirmed),
                Math.min(lowestUnpriced, r.lowestPendingPayment()));
        return cycleDone(p.settled(waitingFrom, confirmationsAt), s);
    }

    /**
     * Transfers the endpoints did not vouch for stay SENT and are asked about again next cycle: counted, shown on
     * the status page, logged at most once per {@link #QUORUM_LOG_INTERVAL} naming the endpoints and what they said.
     *
     * @return the lowest block among them ({@code Long.MAX_VALUE} for none), where the next survey must start
     */
    private long noteUnconfirmed(List<Unconfirmed> unconfirmed, Instant now) {
        if (unconfirmed.isEmpty()) {
            quorumShortfall = Optional.empty();
            return Long.MAX_VALUE;
        }
        long disputed = unconfirmed.stream().filter(u -> u.corroboration().disputed()).count();
        w.metrics().quorumUnconfirmed.labelValues(label).inc(unconfirmed.size());
        if (disputed > 0) {
            w.metrics().quorumDisputes.labelValues(label).inc(disputed);
        }
        Unconfirmed first = unconfirmed.get(0);
        String shortfall = unconfirmed.size() + " transfer(s) final by height wait for " + w.witnesses().quorum()
                + " endpoint(s) to vouch; e.g. " + first.row().id() + ": " + first.corroboration().summary();
        quorumShortfall = Optional.of(shortfall);
        if (!now.isBefore(quorumWarnedAt.plus(QUORUM_LOG_INTERVAL))) {
            quorumWarnedAt = now;
            ctx.getLog().warn("chain {} ({}): {}", label, chain.chainId(), shortfall);
        }
        return unconfirmed.stream().mapToLong(u -> u.row().blockNumber()).min().orElse(Long.MAX_VALUE);
    }

    /** Publishes the chain's status and schedules the next cycle; back to running, or halted. */
    private Behavior<Command> cycleDone(Progress p, Scan s) {
        timers.cancel(DEADLINE);
        BlockHeader head = s.head();
        long finalizedHeight = policy.finalizedHeight(s.tip());
        boolean halted = w.halted().isHalted(chain.chainId());
        w.metrics().chainHeadBlock.labelValues(label).set(head.number());
        w.metrics().chainScannedBlock.labelValues(label).set(p.lastScanned());
        if (finalizedHeight >= 0) { // below the first final block there is none yet: no value rather than a false 0
            w.metrics().chainFinalizedBlock.labelValues(label).set(finalizedHeight);
        }
        w.metrics().chainHealthy.labelValues(label).set(1);
        w.metrics().chainHalted.labelValues(label).set(halted ? 1 : 0);
        Instant now = w.clock().instant();
        Instant headTime = Instant.ofEpochSecond(head.timestamp());
        w.metrics().chainHeadLagSeconds.labelValues(label).set(Math.max(0, Duration.between(headTime, now).toMillis() / 1000.0));
        ChainStatus status = new ChainStatus(chain.chainId(), label, head.number(), p.lastScanned(), Math.max(0, finalizedHeight),
                Math.max(0, head.number() - p.lastScanned()), Math.max(0, Duration.between(headTime, now).toSeconds()),
                w.client().anyEndpointHealthy(), halted, halted ? w.halted().reason(chain.chainId()).orElse("halted") : null,
                quorumShortfall.orElse(null));
        w.board().update(status);
        if (p.lastScanned() < head.number()) {
            ctx.getSelf().tell(Tick.INSTANCE); // behind the head: go on at once
        } else {
            timers.startSingleTimer(Tick.INSTANCE, chain.pollInterval());
        }
        Progress next = p.published(status);
        return halted ? halted(next) : running(next);
    }

    private Behavior<Command> cycleFailed(Progress p, Throwable error) {
        timers.cancel(DEADLINE);
        Duration delay = failedAttempt(p.failures() + 1, p.lastStatus(), error);
        timers.startSingleTimer(Tick.INSTANCE, delay);
        Progress next = p.failed();
        return w.halted().isHalted(chain.chainId()) ? halted(next) : running(next);
    }

    /** Publishes an unhealthy chain and logs (not every time); the backoff before the next attempt. */
    private Duration failedAttempt(int failures, ChainStatus last, Throwable error) {
        Throwable cause = rootCause(error);
        w.metrics().chainHealthy.labelValues(label).set(0);
        boolean halted = w.halted().isHalted(chain.chainId());
        w.board().update(new ChainStatus(last.chainId(), last.name(), last.headBlock(), last.lastScannedBlock(),
                last.finalizedHeight(), last.lagBlocks(), last.headAgeSeconds(), false, halted,
                halted ? w.halted().reason(chain.chainId()).orElse("halted") : null,
                cause instanceof QuorumUnreached ? cause.getMessage() : last.waitingForQuorum()));
        // bounded, jittered backoff between failed attempts; the loop itself never stops
        long delayMs = Math.min(30_000, chain.pollInterval().toMillis() * (1L << Math.min(5, failures)));
        delayMs = delayMs / 2 + (long) (Math.random() * delayMs / 2);
        if (failures == 1 || failures % 10 == 0) {
            ctx.getLog().warn("chain {} ({}): poll failed ({} in a row), next try in {} ms: {}", label,
                    chain.chainId(), failures, delayMs, cause.toString());
        }
        return Duration.ofMillis(delayMs);
    }

    private void deadline(long attempt, Duration limit, String what) {
        timers.startSingleTimer(DEADLINE, new DeadlineMissed(attempt, what, limit), limit);
    }

    private static Throwable rootCause(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    // ── the cycle's stages (run off the actor's thread; everything they need is passed in) ───────────────

    /** Head, tip, window, reorgs; the scan of new logs and the cursor; then what waits for finality. */
    private CompletionStage<Scan> scan(Progress p, boolean halted) {
        return agreedHead().thenCompose(head -> tip(head).thenCompose(tip ->
                track(p.window().apply(header(head)), 0).thenCompose(outcome -> {
                    long scanned = p.lastScanned();
                    CompletionStage<Optional<String>> halting = CompletableFuture.completedFuture(Optional.empty());
                    if (outcome instanceof CanonicalWindow.Reorg reorg) {
                        ReorgPolicy.Verdict verdict = reorgPolicy.judge(reorg, p.lastTip(), p.finalizedActedOn());
                        scanned = onReorg(reorg, verdict, scanned);
                        if (verdict.mustHalt()) {
                            // recording the new branch's transfers as SENT stays safe while halted: nothing is finalized
                            String reason = verdict + "; orphaned " + describe(reorg.orphaned()) + ", new branch "
                                    + describe(reorg.added());
                            halting = halt(reason).thenApply(x -> Optional.of(reason));
                        }
                    } else if (outcome instanceof CanonicalWindow.BeyondWindow beyond) {
                        w.metrics().deepReorgs.labelValues(label).inc();
                        String reason = "reorg beyond the window of " + chain.windowSize() + " headers (at least "
                                + beyond.minDepth() + " blocks; oldest kept " + beyond.oldest() + ")";
                        return halt(reason).thenApply(x -> new Scan(head, tip, CanonicalWindow.empty(chain.windowSize()),
                                p.lastScanned() + 1, p.lastScanned(), 0, Optional.of(reason), false, Optional.empty()));
                    }
                    long rewoundTo = scanned;
                    return halting.thenCompose(haltedFor -> scanAndSurvey(p, halted, head, tip, outcome.window(), rewoundTo, haltedFor));
                })));
    }

    private CompletionStage<Scan> scanAndSurvey(Progress p, boolean halted, BlockHeader head, ChainTip tip,
                                               CanonicalWindow after, long scanned, Optional<String> haltedFor) {
        long from = scanned + 1;
        long to = Math.min(head.number(), from + chain.maxLogRange() - 1);
        boolean rewound = scanned != p.lastScanned();
        CompletionStage<Integer> recorded = to < from
                ? (rewound ? saveCursor(scanned, head, tip, after).thenApply(x -> 0) : CompletableFuture.completedFuture(0))
                : recorder.scanAndRecord(from, to).thenCompose(observed -> saveCursor(to, head, tip, after).thenApply(x -> observed));
        long scannedTo = Math.max(to, scanned);
        return recorded.thenCompose(observed -> {
            if (halted) {
                return resumedInStore().thenApply(resumed ->
                        new Scan(head, tip, after, from, scannedTo, observed, haltedFor, resumed, Optional.empty()));
            }
            if (haltedFor.isPresent()) {
                return CompletableFuture.completedFuture(
                        new Scan(head, tip, after, from, scannedTo, observed, haltedFor, false, Optional.empty()));
            }
            return survey(Math.min(p.waitingFrom(), from), scannedTo, policy.finalizedHeight(tip)).thenApply(survey ->
                    new Scan(head, tip, after, from, scannedTo, observed, haltedFor, false, Optional.of(survey)));
        });
    }

    /**
     * The transfers waiting for finality from block {@code readFrom} up, and the canonical header of each distinct
     * block among them that may be final (one fetch per block, however many transfers it holds).
     *
     * <p>Why not from block 0: the index keeps a row per waiting transfer and a tombstone per settled one, so a
     * read from 0 grows with the chain's history. Why not from "the final height minus the window" either: a
     * transfer can wait far below that (its FINALIZED write failed, a tag policy's minimum age, a node that was
     * away for a day). So the watcher keeps a low-water mark, {@link Progress#waitingFrom}: the lowest block it
     * left a transfer waiting in, a relocation moved one to, or it scanned since (a rewound scan records below the
     * cursor). It starts at 0 (one full read per start, as the mark is not stored) and goes back to 0 after a failed
     * cycle (which may have written below it).
     */
    private CompletionStage<Survey> survey(long readFrom, long scannedTo, long finalizedHeight) {
        // pending payments are read from the same mark: the settlement keeps it at or below the lowest one left pending
        CompletionStage<List<GasPayment>> pending = w.payments().store()
                .map(store -> store.pending(chain.chainId(), readFrom))
                .orElseGet(() -> CompletableFuture.completedFuture(List.of()));
        return w.transfers().unfinalized(chain.chainId(), readFrom).thenCombine(pending, (rows, payments) -> {
            Map<Long, CompletableFuture<Optional<BlockHeader>>> fetches = new LinkedHashMap<>();
            java.util.stream.LongStream blocks = java.util.stream.LongStream.concat(
                    rows.stream().mapToLong(UnfinalizedTransfer::blockNumber), payments.stream().mapToLong(GasPayment::blockNumber));
            blocks.forEach(block -> {
                if (block <= scannedTo && block <= finalizedHeight && !fetches.containsKey(block)) {
                    fetches.put(block, w.client().blockByNumber(block).toCompletableFuture());
                }
            });
            return CompletableFuture.allOf(fetches.values().toArray(CompletableFuture[]::new)).thenApply(x -> {
                Map<Long, Optional<BlockHeader>> headers = new LinkedHashMap<>();
                fetches.forEach((block, fetch) -> headers.put(block, fetch.join()));
                return new Survey(rows, payments, headers);
            });
        }).thenCompose(f -> f);
    }

    /** While halted: an operator may have resumed the chain through another node or the CLI (in Cassandra). */
    private CompletionStage<Boolean> resumedInStore() {
        return w.cursors().load(chain.chainId()).thenApply(cursor -> cursor.isPresent() && !cursor.get().halted());
    }

    /**
     * Executes a finality plan: FINALIZED transitions, orphaned transfers relocated or REORGED, confirmation
     * counts. A failed count does not fail the cycle (it is progress for the API); it is reported and retried.
     */
    private CompletionStage<Settlement> settle(FinalityPlan plan, Survey survey, long finalizedHeight, long scannedTo,
                                               Instant now, Map<MessageId, CompletableFuture<Transfer>> writes) {
        // payments whose block is final: counted when the block is still canonical, dropped when it left the chain; the
        // rest stay pending. Counted before any message is judged, so a payment in the message's own block counts.
        List<GasPayment> confirmed = new ArrayList<>();
        List<GasPayment> orphaned = new ArrayList<>();
        long lowestPending = Long.MAX_VALUE;
        for (GasPayment p : survey.payments()) {
            Optional<BlockHeader> canonical = p.blockNumber() <= scannedTo && p.blockNumber() <= finalizedHeight
                    ? survey.blocks().getOrDefault(p.blockNumber(), Optional.empty()) : Optional.empty();
            if (canonical.isEmpty()) {
                lowestPending = Math.min(lowestPending, p.blockNumber()); // not final yet (or its block not fetched)
            } else if (canonical.get().hash().equals(p.blockHash())) {
                confirmed.add(p);
            } else {
                orphaned.add(p);
            }
        }
        long stillPending = lowestPending;
        CompletionStage<Void> counted = all(confirmed.stream().map(p -> w.payments().store().orElseThrow().confirm(p)).toList());
        return counted.thenCompose(x -> finalize(plan, now, writes))
                .thenCompose(settlement -> judge.topUps(confirmed, now).thenApply(up -> settlement.withPayments(up, stillPending)))
                // out of the pending index last: a crash before this point redoes every step above (all idempotent)
                .thenCompose(settlement -> {
                    List<GasPayment> done = new ArrayList<>(confirmed);
                    done.addAll(orphaned);
                    return all(done.stream().map(p -> w.payments().store().orElseThrow().discard(p)).toList())
                            .thenApply(x -> settlement);
                });
    }

    private static CompletionStage<Void> all(List<? extends CompletionStage<?>> stages) {
        return CompletableFuture.allOf(stages.stream().map(CompletionStage::toCompletableFuture).toArray(CompletableFuture[]::new));
    }

    /** @param writes completed, per transfer, with the FINALIZED transfer as its write applies ({@code null} otherwise) */
    private CompletionStage<Settlement> finalize(FinalityPlan plan, Instant now, Map<MessageId, CompletableFuture<Transfer>> writes) {
        // one question per endpoint and distinct receipt or block, for every transfer final by height
        CompletableFuture<Vouching> vouching = unvouched(plan.toFinalize()).toCompletableFuture();
        Map<MessageId, CompletableFuture<Finalizing>> byId = new LinkedHashMap<>();
        plan.toFinalize().forEach(f -> byId.put(f.row().id(), new CompletableFuture<>()));
        // the writes go out in nonce order (the survey's rows come in id order): each transfer goes to the attester as
        // its write applies, and the submitter's cheapest path, a checkpoint, needs the lowest nonces attested first
        vouching.whenComplete((v, failed) -> {
            if (failed != null) {
                byId.values().forEach(f -> f.completeExceptionally(failed));
                writes.values().forEach(done -> done.complete(null)); // nothing was written: nothing to hand over
                return;
            }
            plan.toFinalize().stream().sorted(Comparator.comparingLong((FinalityPlan.Finalize f) ->
                    Optional.ofNullable(v.found().get(f.row().id())).map(t -> t.message().nonce()).orElse(Long.MAX_VALUE))
                    .thenComparing(f -> f.row().id().toHex())).forEach(f -> {
                MessageId id = f.row().id();
                // through thenCompose, so that a judgement that throws fails its future instead of leaving it pending
                CompletableFuture.completedFuture(v).thenCompose(x -> v.unconfirmed().containsKey(id)
                        ? CompletableFuture.<Finalizing>completedFuture(new NotVouchedFor(v.unconfirmed().get(id)))
                        : judge.judged(f, Optional.ofNullable(v.found().get(id)), now))
                        .whenComplete((outcome, error) -> {
                            Optional.ofNullable(writes.get(id)).ifPresent(done -> done.complete(
                                    outcome instanceof Written write && write.outcome() instanceof TransitionOutcome.Applied a ? a.updated() : null));
                            if (error != null) {
                                byId.get(id).completeExceptionally(error);
                            } else {
                                byId.get(id).complete(outcome);
                            }
                        });
            });
        });
        List<CompletableFuture<Finalizing>> finalized = new ArrayList<>(byId.values());
        List<CompletableFuture<Gone>> gone = new ArrayList<>();
        for (FinalityPlan.Orphaned o : plan.orphaned()) {
            gone.add(reorgedOut(o.row(), o.canonical(), now).toCompletableFuture());
        }
        List<CompletableFuture<Optional<ConfirmationFailure>>> counted = new ArrayList<>();
        for (FinalityPlan.Confirm c : plan.confirm()) {
            // progress for the API ("3 of 12 confirmations"); one small write per new head
            counted.add(w.transfers().updateConfirmations(c.row().id(), c.confirmations())
                    .handle((x, error) -> error == null ? Optional.<ConfirmationFailure>empty()
                            : Optional.of(new ConfirmationFailure(c.row().id(), c.confirmations(), error)))
                    .toCompletableFuture());
        }
        List<CompletableFuture<?>> all = new ArrayList<>(finalized);
        all.addAll(gone);
        all.addAll(counted);
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            // any other outcome: someone else moved it, or a stale index row: the sweep sees its real state
            List<Transfer> applied = finalized.stream().map(CompletableFuture::join)
                    .flatMap(o -> o instanceof Written written && written.outcome() instanceof TransitionOutcome.Applied a
                            ? java.util.stream.Stream.of(a.updated())
                            : java.util.stream.Stream.empty())
                    .toList();
            List<Unconfirmed> unconfirmed = finalized.stream().map(CompletableFuture::join)
                    .flatMap(o -> o instanceof NotVouchedFor n ? java.util.stream.Stream.of(n.unconfirmed())
                            : java.util.stream.Stream.empty())
                    .toList();
            List<Held> held = finalized.stream().map(CompletableFuture::join)
                    .flatMap(o -> o instanceof Held h ? java.util.stream.Stream.of(h) : java.util.stream.Stream.empty()).toList();
            List<Unpriced> unpriced = finalized.stream().map(CompletableFuture::join)
                    .flatMap(o -> o instanceof Unpriced u ? java.util.stream.Stream.of(u) : java.util.stream.Stream.empty()).toList();
            List<Reorged> reorged = new ArrayList<>();
            long lowestRelocation = Long.MAX_VALUE;
            for (CompletableFuture<Gone> g : gone) {
                Gone result = g.join();
                if (result instanceof MarkedReorged m) {
                    reorged.add(m.reorged());
                } else if (result instanceof Moved m) {
                    lowestRelocation = Math.min(lowestRelocation, m.toBlock());
                }
            }
            List<ConfirmationFailure> failures = counted.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
            return new Settlement(applied, reorged, lowestRelocation, counted.size() - failures.size(), failures, unconfirmed,
                    held, unpriced, List.of(), Long.MAX_VALUE);
        });
    }

    /**
     * Asks the chain's endpoints about the transfers about to become FINALIZED; those too few vouch for, by id. A
     * transfer gone from the store is left out (its transition then finds nothing to do).
     */
    private CompletionStage<Vouching> unvouched(List<FinalityPlan.Finalize> toFinalize) {
        if (toFinalize.isEmpty()) {
            return CompletableFuture.completedFuture(new Vouching(Map.of(), Map.of()));
        }
        List<CompletableFuture<Optional<Transfer>>> reads = toFinalize.stream()
                .map(f -> w.transfers().find(f.row().id()).toCompletableFuture()).toList();
        Map<MessageId, Transfer> found = new java.util.concurrent.ConcurrentHashMap<>();
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            List<Transfer> transfers = reads.stream().map(CompletableFuture::join).flatMap(Optional::stream).toList();
            transfers.forEach(t -> found.put(t.id(), t));
            List<SourceWitnesses.Claim> claims = transfers.stream()
                    .map(t -> new SourceWitnesses.Claim(t.message(), t.source())).toList();
            return w.witnesses().corroborate(claims);
        }).thenApply(verdicts -> {
            Map<MessageId, Unconfirmed> unconfirmed = new LinkedHashMap<>();
            for (FinalityPlan.Finalize f : toFinalize) {
                Corroboration c = verdicts.get(f.row().id());
                if (c != null && !c.confirmed()) {
                    unconfirmed.put(f.row().id(), new Unconfirmed(f.row(), c));
                }
            }
            return new Vouching(Map.copyOf(found), unconfirmed);
        });
    }

    /** The transfer's block left the chain: re-included elsewhere (relocate, wait again) or gone (REORGED). */
    private CompletionStage<Gone> reorgedOut(UnfinalizedTransfer t, Optional<BlockHeader> canonical, Instant now) {
        return w.transfers().find(t.id()).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(Unchanged.INSTANCE);
            }
            Transfer transfer = found.get();
            // this receipt is asked for this transfer: its request is a span of the transfer's trace
            return TransferTracing.inTransfer(t.id().toHex(), () -> w.client().receipt(transfer.source().txHash())).thenCompose(receipt -> {
                Optional<ChainLog> again = receipt.flatMap(r ->
                        GatewayEvents.find(r.logs(), chain.gateway(), GatewayEvents.MESSAGE_SENT_TOPIC, t.id()));
                if (again.isEmpty()) {
                    return markReorged(t, transfer, canonical, now);
                }
                SourceRef moved = SourceLogRecorder.sourceOf(again.get());
                // a receipt is only as good as its block: a node may still answer the receipt of an orphaned block
                // (Ganache does after a revert). Following it would "move" the transfer back into that block every
                // cycle and it would wait forever; only a receipt in a canonical block is a re-inclusion.
                // (re-mined at the same height: the cycle already fetched that block's canonical header)
                CompletionStage<Optional<BlockHeader>> atMoved = moved.blockNumber() == t.blockNumber()
                        ? CompletableFuture.completedFuture(canonical) : w.client().blockByNumber(moved.blockNumber());
                return atMoved.thenCompose(block -> {
                    if (block.map(b -> b.hash().equals(moved.blockHash())).orElse(false)) {
                        log.warn("chain {}: transfer {} re-included: block {} -> {}", label, t.id(), t.blockNumber(), moved.blockNumber());
                        return w.transfers().relocate(t.id(), moved, now).thenApply(o -> (Gone) new Moved(moved.blockNumber()));
                    }
                    return markReorged(t, transfer, canonical, now);
                });
            });
        });
    }

    private CompletionStage<Gone> markReorged(UnfinalizedTransfer t, Transfer transfer, Optional<BlockHeader> canonical, Instant now) {
        TransferEvent.Reorged event = new TransferEvent.Reorged("block " + t.blockNumber() + " is now "
                + canonical.map(b -> b.hash().toHex()).orElse("missing") + ", was " + t.blockHash()
                + "; tx " + transfer.source().txHash() + " not on the canonical chain");
        return TransferTracing.inTransfer(t.id().toHex(), () -> w.transfers().markReorged(t, event, now)).thenApply(o -> o instanceof TransitionOutcome.Applied a
                ? new MarkedReorged(new Reorged(t, a.updated())) : (Gone) Unchanged.INSTANCE);
    }

    /**
     * The latest block: of the one endpoint, or, with several, the block at the highest height a majority (and at
     * least the quorum) of them have reached ({@link io.courier.chain.quorum.QuorumHead}), so an endpoint claiming a
     * head far ahead of the others moves nothing.
     */
    private CompletionStage<BlockHeader> agreedHead() {
        if (w.witnesses().size() == 1) {
            return w.client().head();
        }
        return w.witnesses().headHeight().thenCompose(height -> {
            if (height.isEmpty()) {
                throw new QuorumUnreached(label, "their latest block", QuorumHead.needed(w.witnesses().quorum(),
                        w.witnesses().size()), w.witnesses().size());
            }
            return w.client().blockByNumber(height.getAsLong()).thenApply(block -> block.orElseThrow(() ->
                    new QuorumUnreached(label, "block " + height.getAsLong() + " (the agreed head)",
                            w.witnesses().quorum(), w.witnesses().size())));
        });
    }

    /** The chain tip as the policy needs it: head only, or with the node's safe/finalized block for a tag policy. */
    private CompletionStage<ChainTip> tip(BlockHeader head) {
        if (policy instanceof FinalityPolicy.Tag tag) {
            CompletionStage<OptionalLong> tagged = w.witnesses().size() == 1
                    ? w.client().blockByTag(tag.tag()).thenApply(b -> b.map(x -> OptionalLong.of(x.number())).orElse(OptionalLong.empty()))
                    : w.witnesses().tagHeight(tag.tag());
            return tagged.thenApply(b -> {
                long height = b.orElse(ChainTip.UNKNOWN);
                return tag.tag().equals(FinalityPolicy.Tag.SAFE)
                        ? new ChainTip(head.number(), height, ChainTip.UNKNOWN)
                        : new ChainTip(head.number(), ChainTip.UNKNOWN, height);
            });
        }
        return CompletableFuture.completedFuture(ChainTip.ofHead(head.number()));
    }

    /** Drives the window through gaps and fork walks until it has an answer (bounded rounds). */
    private CompletionStage<CanonicalWindow.Outcome> track(CanonicalWindow.Outcome outcome, int round) {
        if (!(outcome instanceof CanonicalWindow.NeedHeaders need)) {
            return CompletableFuture.completedFuture(outcome);
        }
        if (round >= MAX_FORK_WALK_ROUNDS) {
            return CompletableFuture.failedFuture(new IllegalStateException("chain " + label
                    + ": window still needs headers after " + round + " rounds"));
        }
        List<CompletableFuture<Optional<BlockHeader>>> fetches = new ArrayList<>();
        for (long n = need.fromNumber(); n <= need.toNumber(); n++) {
            fetches.add(w.client().blockByNumber(n).toCompletableFuture());
        }
        return CompletableFuture.allOf(fetches.toArray(CompletableFuture[]::new)).thenCompose(x -> {
            List<Header> fetched = new ArrayList<>();
            for (CompletableFuture<Optional<BlockHeader>> f : fetches) {
                Optional<BlockHeader> b = f.join();
                if (b.isEmpty()) {
                    // the chain moved under us: keep the window as it was, the next cycle starts again
                    return CompletableFuture.completedFuture((CanonicalWindow.Outcome) new CanonicalWindow.Duplicate(outcome.window()));
                }
                fetched.add(header(b.get()));
            }
            return track(outcome.window().resume(need, fetched), round + 1);
        });
    }

    /** A reorg the policy can absorb: count it and rewind the scan to the fork point; returns the new cursor. */
    private long onReorg(CanonicalWindow.Reorg reorg, ReorgPolicy.Verdict verdict, long scanned) {
        w.metrics().reorgs.labelValues(label, Integer.toString(reorg.depth())).inc();
        if (verdict.mustHalt()) {
            w.metrics().deepReorgs.labelValues(label).inc();
        }
        long rewound = Math.min(scanned, reorg.forkPoint().number());
        log.warn("chain {} ({}): reorg of depth {} at fork point {}: orphaned {}, new branch {}; {}; re-scanning from block {}",
                label, chain.chainId(), reorg.depth(), reorg.forkPoint(), describe(reorg.orphaned()), describe(reorg.added()),
                verdict, rewound + 1);
        return rewound;
    }

    /**
     * Halts the chain at once, from the stage: {@link HaltedChains} is the node's shared, thread-safe view that the
     * attester and submitters consult (the sooner they see it the better); the actor's own phase follows when the
     * stage's result arrives.
     */
    private CompletionStage<Void> halt(String reason) {
        w.halted().halt(chain.chainId(), reason);
        w.metrics().chainHalted.labelValues(label).set(1);
        log.error("CHAIN HALTED {} ({}): {}. Nothing from this chain is attested or delivered until an operator runs "
                + "`courier chain resume {}` or POST /v1/admin/chains/{}/resume.", label, chain.chainId(), reason,
                chain.chainId(), chain.chainId());
        return w.cursors().halt(chain.chainId(), reason, w.clock().instant()).thenApply(stored -> null);
    }

    private CompletionStage<Void> saveCursor(long to, BlockHeader head, ChainTip tip, CanonicalWindow window) {
        if (to < 0) {
            return CompletableFuture.completedFuture(null); // nothing scanned yet: keep the start block
        }
        long finalized = policy.finalizedHeight(tip);
        CompletionStage<String> finalHash = finalized < 0 ? CompletableFuture.completedFuture(null) : hashOf(finalized, head, window);
        return hashOf(to, head, window).thenCombine(finalHash, (h, f) -> new ChainCursor(chain.chainId(), to, h,
                Math.max(0, finalized), w.clock().instant(), f)).thenCompose(w.cursors()::save);
    }

    private CompletionStage<String> hashOf(long number, BlockHeader head, CanonicalWindow window) {
        if (number == head.number()) {
            return CompletableFuture.completedFuture(head.hash().toHex());
        }
        Optional<Header> known = window.at(number);
        return known.isPresent() ? CompletableFuture.completedFuture(known.get().hash())
                : w.client().blockByNumber(number).thenApply(b -> b.map(x -> x.hash().toHex()).orElseThrow(() ->
                        new IllegalStateException("chain " + label + ": block " + number + " vanished while saving the cursor")));
    }

    private static Header header(BlockHeader b) {
        return new Header(b.number(), b.hash().toHex(), b.parentHash().toHex());
    }

    private static String describe(List<Header> headers) {
        if (headers.isEmpty()) {
            return "[]";
        }
        Header first = headers.get(0);
        Header last = headers.get(headers.size() - 1);
        return headers.size() == 1 ? "[" + first.number() + " " + first.hash() + "]"
                : "[" + first.number() + " " + first.hash() + " .. " + last.number() + " " + last.hash() + "]";
    }
}
