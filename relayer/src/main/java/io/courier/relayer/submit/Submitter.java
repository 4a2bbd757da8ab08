package io.courier.relayer.submit;

import io.courier.chain.ChainClient;
import io.courier.chain.ChainRpcException;
import io.courier.chain.FeeHistory;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.MessageId;
import io.courier.finality.Attestation;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AttestationStore;
import io.courier.finality.store.SubmissionStore;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.signing.ValidatorKeys;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import io.courier.relayer.handoff.AttestRequests;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.common.Attributes;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Delivers attested messages to one destination chain. It owns the signer's nonces, so there is one per
 * destination (a cluster singleton once several nodes run). Order of effects, so a crash at any point is
 * recoverable from Cassandra alone: sign → persist the submission and the SUBMITTED state → broadcast →
 * wait for the receipt and the destination confirmations → persist DELIVERED or FAILED.
 * A periodic sweep of the destination's open transfers re-drives anything a restart or a lost message left
 * behind: FINALIZED back to the attester, ATTESTED to submission, SUBMITTED to receipt tracking.
 */
public final class Submitter extends AbstractBehavior<Submitter.Command> {

    public sealed interface Command {}

    /** A transfer is ATTESTED and can be submitted. */
    public record Ready(MessageId id) implements Command {}

    private enum Sweep implements Command { INSTANCE }

    private enum PollReceipts implements Command { INSTANCE }

    private enum LoadNonce implements Command { INSTANCE }

    private enum CheckNonces implements Command { INSTANCE }

    private record NonceLoaded(NonceRecovery.Plan plan, long handlerGasLimit) implements Command {}

    private record NoncesChecked(NonceRecovery.Plan plan) implements Command {}

    private record FillSent(long nonce, String txHash, Throwable error) implements Command {}

    private record SweepLoaded(List<Transfer> open) implements Command {}

    /** {@code replacing}: the dropped transaction this one replaces, or null for a first submission. */
    private record Prepared(Transfer transfer, String calldata, BigInteger gasLimit, FeeQuote fees, Inflight replacing) implements Command {}

    /** The transaction's nonce was used by another transaction and it has no receipt: it can never be mined. */
    private record Dropped(Inflight tx) implements Command {}

    /**
     * Someone else's transaction (or one of ours we lost track of) executed the message on the destination;
     * {@code replacing}: our dropped transaction the transfer is SUBMITTED with, or null when it is ATTESTED.
     */
    private record ExecutedElsewhere(Transfer transfer, String txHash, long nonce, Inflight replacing) implements Command {}

    private record ObservedRecorded(Inflight tx, TransitionOutcome outcome, Throwable error) implements Command {}

    private record PrepareFailed(MessageId id, String reason) implements Command {}

    private record Broadcast(Inflight tx, Throwable error) implements Command {}

    private record ReceiptChecked(Inflight tx, Optional<TxReceipt> receipt, long head, Throwable error) implements Command {}

    private record Finished(Inflight tx, TransferStatus status, Throwable error) implements Command {}

    private record StepFailed(String what, Throwable error) implements Command {}

    /** A transaction of this signer not yet confirmed. {@code raw} is null when recovered without it. */
    record Inflight(Transfer transfer, long nonce, String txHash, String raw, Instant lastSent) {
        Inflight sentAgain(Instant at) {
            return new Inflight(transfer, nonce, txHash, raw, at);
        }
    }

    /** What the submitter needs. */
    public record Wiring(long chainId, String chainName, String gateway, ChainClient client, Credentials signer,
                         SubmitterSettings settings, TransferStore transfers, AttestationStore attestations,
                         SubmissionStore submissions, ValidatorKeys keys, AttestRequests attester,
                         CourierMetrics metrics, TransferTracing tracing, Clock clock,
                         HaltedChains halted) {}

    public static Behavior<Command> create(Wiring wiring) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Submitter(ctx, timers, wiring)));
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    private static final int SWEEP_DAYS = 7;
    private static final String HANDLER_GAS_LIMIT_CALL = org.web3j.abi.FunctionEncoder.encode(
            new org.web3j.abi.datatypes.Function("handlerGasLimit", List.of(), List.of()));
    private static final int SWEEP_LIMIT = 2_000;
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);
    private static final BigInteger FILL_GAS = BigInteger.valueOf(21_000);
    // where an execution by someone else is looked for: the last LOOKBACK_WINDOWS x LOOKBACK_BLOCKS blocks
    private static final int LOOKBACK_WINDOWS = 10;
    private static final long LOOKBACK_BLOCKS = 2_000;

    private final TimerScheduler<Command> timers;
    private final Wiring w;
    private final SubmitterSettings s;
    private final Eip1559FeePolicy feePolicy;
    private final String signer;
    private NonceAllocator nonces; // null until loaded from chain and store
    private long handlerGasLimit; // the gateway's, read once with the nonce
    private final LinkedHashSet<MessageId> queue = new LinkedHashSet<>();
    private final Set<MessageId> preparing = new java.util.HashSet<>();
    private final Map<MessageId, Inflight> inflight = new HashMap<>();
    private final Set<Long> filling = new java.util.HashSet<>();
    private final Set<MessageId> replacing = new java.util.HashSet<>();
    private boolean receiptPollRunning;
    private boolean sweepRunning;
    private boolean nonceCheckRunning;

    private Submitter(ActorContext<Command> ctx, TimerScheduler<Command> timers, Wiring wiring) {
        super(ctx);
        ctx.setLoggerName(Submitter.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
        this.timers = timers;
        this.w = wiring;
        this.s = wiring.settings();
        this.feePolicy = new Eip1559FeePolicy(s.minPriorityFeeGwei(), s.baseFeeMultiplier(), s.maxFeePerGasGwei());
        this.signer = wiring.signer().getAddress().toLowerCase();
        ctx.getSelf().tell(LoadNonce.INSTANCE);
        timers.startTimerWithFixedDelay(Sweep.INSTANCE, Duration.ZERO.plusMillis(200), s.sweepInterval());
        timers.startTimerWithFixedDelay(PollReceipts.INSTANCE, s.receiptPollInterval(), s.receiptPollInterval());
        timers.startTimerWithFixedDelay(CheckNonces.INSTANCE, s.nonceCheckInterval(), s.nonceCheckInterval());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(LoadNonce.INSTANCE, this::onLoadNonce)
                .onMessage(NonceLoaded.class, this::onNonceLoaded)
                .onMessageEquals(CheckNonces.INSTANCE, this::onCheckNonces)
                .onMessage(NoncesChecked.class, this::onNoncesChecked)
                .onMessage(FillSent.class, this::onFillSent)
                .onMessage(Dropped.class, this::onDropped)
                .onMessage(ExecutedElsewhere.class, this::onExecutedElsewhere)
                .onMessage(ObservedRecorded.class, this::onObservedRecorded)
                .onMessage(Ready.class, this::onReady)
                .onMessageEquals(Sweep.INSTANCE, this::onSweep)
                .onMessage(SweepLoaded.class, this::onSweepLoaded)
                .onMessage(Prepared.class, this::onPrepared)
                .onMessage(PrepareFailed.class, this::onPrepareFailed)
                .onMessage(Broadcast.class, this::onBroadcast)
                .onMessageEquals(PollReceipts.INSTANCE, this::onPollReceipts)
                .onMessage(ReceiptChecked.class, this::onReceiptChecked)
                .onMessage(Finished.class, this::onFinished)
                .onMessage(StepFailed.class, this::onStepFailed)
                .build();
    }

    // ── nonces ───────────────────────────────────────────────────────────────────────────────────────

    private Behavior<Command> onLoadNonce() {
        // every unmined nonce of the signer is accounted for before anything new is signed: see NonceRecovery
        CompletionStage<Long> handlerGas = w.client().call(w.gateway(), HANDLER_GAS_LIMIT_CALL, signer)
                .thenApply(hex -> Numeric.toBigInt(hex).longValueExact());
        getContext().pipeToSelf(StageDeadline.within(readNoncePlan().thenCombine(handlerGas, NonceLoaded::new), STEP_DEADLINE,
                "loading the nonce on " + w.chainName()), (loaded, e) -> e != null ? new StepFailed("load nonce", e) : loaded);
        return this;
    }

    /** The chain's mined and pending nonces, the submissions recorded from the mined one on, and their transfers. */
    private CompletionStage<NonceRecovery.Plan> readNoncePlan() {
        return w.client().nonce(signer, false).thenCombine(w.client().nonce(signer, true), (mined, pending) -> new long[] {mined, pending})
                .thenCompose(chain -> w.submissions().list(w.chainId(), signer, chain[0], NonceRecovery.MAX_SPAN).thenCompose(recorded -> {
                    Set<MessageId> ids = new LinkedHashSet<>();
                    recorded.forEach(sub -> ids.addAll(sub.messageIds()));
                    Map<MessageId, Transfer> found = new java.util.concurrent.ConcurrentHashMap<>();
                    CompletableFuture<?>[] reads = ids.stream().map(id -> w.transfers().find(id)
                            .thenAccept(t -> t.ifPresent(x -> found.put(id, x))).toCompletableFuture()).toArray(CompletableFuture[]::new);
                    return CompletableFuture.allOf(reads).thenApply(x -> NonceRecovery.plan(chain[0], chain[1], recorded, found));
                }));
    }

    private Behavior<Command> onNonceLoaded(NonceLoaded loaded) {
        nonces = new NonceAllocator(loaded.plan().firstFree());
        handlerGasLimit = loaded.handlerGasLimit();
        getContext().getLog().info("submitter {} ({}): signer {} starts at nonce {}{}", w.chainName(), w.chainId(), signer,
                loaded.plan().firstFree(), loaded.plan().steps().isEmpty() ? "" : "; unmined before it: " + describe(loaded.plan()));
        applyNoncePlan(loaded.plan());
        drain();
        return this;
    }

    private Behavior<Command> onCheckNonces() {
        if (nonces == null || nonceCheckRunning || inflight.isEmpty() && nonces.peekNext() == nonces.next()) {
            return this;
        }
        nonceCheckRunning = true;
        getContext().pipeToSelf(StageDeadline.within(readNoncePlan(), STEP_DEADLINE, "nonce check on " + w.chainName()),
                (plan, e) -> e != null ? new StepFailed("nonce check", e) : new NoncesChecked(plan));
        return this;
    }

    private Behavior<Command> onNoncesChecked(NoncesChecked checked) {
        nonceCheckRunning = false;
        applyNoncePlan(checked.plan());
        return this;
    }

    /**
     * Applies what the present state does not already cover: a nonce held by a transaction in flight is left
     * alone, and only nonces this allocator handed out (or was built past) are filled.
     */
    private void applyNoncePlan(NonceRecovery.Plan plan) {
        Set<Long> held = new java.util.HashSet<>();
        inflight.values().forEach(f -> held.add(f.nonce()));
        for (NonceRecovery.Step step : plan.steps()) {
            long nonce = step.nonce();
            if (held.contains(nonce) || filling.contains(nonce)) {
                continue;
            }
            if (step instanceof NonceRecovery.Follow follow) {
                for (Transfer t : follow.transfers()) {
                    Inflight current = inflight.get(t.id());
                    if (current == null || current.nonce() < 0) {
                        // broadcast again at the next poll: the crash may have come before the first broadcast
                        queue.remove(t.id());
                        inflight.put(t.id(), new Inflight(t, nonce, follow.submission().txHash(),
                                follow.submission().rawTransaction(), Instant.EPOCH));
                    }
                }
            } else if (step instanceof NonceRecovery.Adopt adopt) {
                if (adopt.transfers().stream().anyMatch(t -> inflight.containsKey(t.id()) || preparing.contains(t.id()))
                        || nonce >= nonces.next()) {
                    continue;
                }
                nonces.claim(nonce);
                for (Transfer t : adopt.transfers()) {
                    getContext().getLog().warn("transfer {}: adopting its recorded transaction {} at nonce {} (recorded, "
                            + "never marked SUBMITTED)", t.id(), adopt.submission().txHash(), nonce);
                    queue.remove(t.id());
                    persistAndBroadcast(t, nonce, adopt.submission().txHash(), adopt.submission().rawTransaction(),
                            CompletableFuture.completedFuture(null));
                }
            } else if (nonce < nonces.next()) {
                nonces.claim(nonce);
                fill(nonce);
            }
        }
    }

    /** A no-op (0 value to itself) at {@code nonce}, so the transactions after it can be mined. */
    private void fill(long nonce) {
        filling.add(nonce);
        CompletionStage<String> sent = w.client().feeHistory(s.feeHistoryBlocks(), List.of(s.priorityFeePercentile())).thenCompose(fees -> {
            FeeQuote q = quote(fees).orElseThrow(() -> new IllegalStateException(aboveCap(fees)));
            RawTransaction tx = RawTransaction.createTransaction(w.chainId(), BigInteger.valueOf(nonce), FILL_GAS, signer,
                    BigInteger.ZERO, "0x", q.maxPriorityFeePerGas(), q.maxFeePerGas());
            String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, w.chainId(), w.signer()));
            return w.client().sendRawTransaction(raw).thenApply(h -> Hash.sha3(raw));
        });
        getContext().pipeToSelf(StageDeadline.within(sent, STEP_DEADLINE, "filling nonce " + nonce), (h, e) -> new FillSent(nonce, h, e));
    }

    private Behavior<Command> onFillSent(FillSent sent) {
        filling.remove(sent.nonce());
        w.metrics().submissions.labelValues(w.chainName(), sent.error() == null ? "gap_filled" : "gap_fill_failed").inc();
        if (sent.error() == null) {
            getContext().getLog().warn("submitter {}: nonce {} had no transaction that could still be sent; filled it with "
                    + "a no-op {}", w.chainName(), sent.nonce(), sent.txHash());
        } else {
            // already known, underpriced or nonce too low: something holds the nonce after all; else the next check retries
            getContext().getLog().warn("submitter {}: filling nonce {} failed, next check retries: {}", w.chainName(),
                    sent.nonce(), rootMessage(sent.error()));
        }
        return this;
    }

    private static String describe(NonceRecovery.Plan plan) {
        StringBuilder out = new StringBuilder();
        for (NonceRecovery.Step step : plan.steps()) {
            out.append(out.length() == 0 ? "" : ", ").append(step.nonce()).append(' ').append(step.getClass().getSimpleName().toLowerCase());
        }
        return out.toString();
    }

    // ── intake ───────────────────────────────────────────────────────────────────────────────────────

    private Behavior<Command> onReady(Ready ready) {
        if (!inflight.containsKey(ready.id()) && !preparing.contains(ready.id())) {
            queue.add(ready.id());
        }
        drain();
        return this;
    }

    private Behavior<Command> onSweep() {
        if (sweepRunning) {
            return this;
        }
        sweepRunning = true;
        LocalDate today = LocalDate.ofInstant(w.clock().instant(), ZoneOffset.UTC);
        getContext().pipeToSelf(StageDeadline.within(w.transfers().open(w.chainId(), today.minusDays(SWEEP_DAYS), today.plusDays(1), SWEEP_LIMIT), STEP_DEADLINE, "sweep of " + w.chainName()),
                (open, e) -> e != null ? new StepFailed("sweep", e) : new SweepLoaded(open));
        return this;
    }

    private Behavior<Command> onSweepLoaded(SweepLoaded loaded) {
        sweepRunning = false;
        Map<TransferStatus, Map<String, Integer>> counts = new EnumMap<>(TransferStatus.class);
        for (Transfer t : loaded.open()) {
            counts.computeIfAbsent(t.status(), k -> new HashMap<>()).merge(t.route(), 1, Integer::sum);
            switch (t.status()) {
                case FINALIZED -> w.attester().attest(t);
                case ATTESTED -> {
                    if (!inflight.containsKey(t.id()) && !preparing.contains(t.id())) {
                        queue.add(t.id());
                    }
                }
                case SUBMITTED -> {
                    if (!inflight.containsKey(t.id())) {
                        // recovered after a restart: track its recorded transaction (raw bytes loaded if it must be resent)
                        inflight.put(t.id(), new Inflight(t, -1, t.destinationTx().orElse(""), null,
                                t.updatedAt()));
                    }
                }
                default -> { }
            }
        }
        for (TransferStatus status : TransferStatus.values()) {
            if (!status.isTerminal()) {
                w.metrics().transfers.labelValues(status.name(), "*->" + w.chainId()).set(0);
            }
        }
        counts.forEach((status, byRoute) -> byRoute.forEach((route, n) -> w.metrics().transfers.labelValues(status.name(), route).set(n)));
        drain();
        return this;
    }

    // ── prepare: load, select signatures, estimate, price ────────────────────────────────────────────

    private void drain() {
        while (nonces != null && !queue.isEmpty() && preparing.size() + inflight.size() < s.maxInFlight()) {
            MessageId id = queue.iterator().next();
            queue.remove(id);
            preparing.add(id);
            getContext().pipeToSelf(StageDeadline.within(prepare(id, null), STEP_DEADLINE, "preparing " + id), (p, e) -> e != null ? new PrepareFailed(id, rootMessage(e)) : p);
        }
    }

    /** An execute of {@code id}, ATTESTED; or, {@code replacing} a dropped transaction, still SUBMITTED with it. */
    private CompletionStage<Command> prepare(MessageId id, Inflight replacing) {
        long handlerGas = handlerGasLimit; // read on the actor's thread; the stages below run elsewhere
        return w.transfers().find(id).thenCompose(found -> {
            boolean ready = replacing == null
                    ? found.isPresent() && found.get().status() == TransferStatus.ATTESTED
                    : found.isPresent() && found.get().status() == TransferStatus.SUBMITTED
                            && found.get().destinationTx().map(replacing.txHash()::equalsIgnoreCase).orElse(false);
            if (!ready) {
                return CompletableFuture.completedFuture(new PrepareFailed(id, "not " + (replacing == null ? "ATTESTED"
                        : "SUBMITTED with " + replacing.txHash()) + " any more: " + found.map(t -> t.status().name()).orElse("unknown")));
            }
            Transfer t = found.get();
            if (w.halted().isHalted(t.message().srcChainId())) {
                return CompletableFuture.completedFuture(new PrepareFailed(id, "source chain " + t.message().srcChainId()
                        + " is halted: not delivered until an operator resumes it"));
            }
            var digest = w.keys().digest(id, t.message().dstChainId(), w.gateway());
            return w.attestations().list(id).thenCompose(all -> {
                List<Attestation> valid = new ArrayList<>(w.keys().valid(digest, all));
                if (valid.size() < w.keys().threshold()) {
                    return CompletableFuture.completedFuture(new PrepareFailed(id, "only " + valid.size() + " valid signatures"));
                }
                // exactly threshold signatures (each extra one costs gas), ordered by signer as the gateway checks
                valid.sort(Comparator.comparing(a -> a.validator().toLowerCase()));
                List<byte[]> signatures = valid.subList(0, w.keys().threshold()).stream()
                        .map(a -> Numeric.hexStringToByteArray(a.signature())).toList();
                String calldata = ExecuteCall.encode(t.message(), signatures);
                BigInteger gasLimit = ExecuteGasLimit.of(Numeric.hexStringToByteArray(calldata), signatures.size(), handlerGas)
                        .min(BigInteger.valueOf(s.maxGasLimit()));
                // one eth_call as a pre-flight: a message that would revert (already executed, bad signatures)
                // costs nothing here instead of a mined failure
                CompletionStage<BigInteger> gas = w.client().call(w.gateway(), calldata, signer).thenApply(ok -> gasLimit);
                CompletionStage<FeeHistory> history = w.client().feeHistory(s.feeHistoryBlocks(), List.of(s.priorityFeePercentile()));
                CompletionStage<Command> priced = gas.thenCombine(history, (limit, fees) -> {
                    return quote(fees).<Command>map(q -> new Prepared(t, calldata, limit, q, replacing))
                            .orElseGet(() -> new PrepareFailed(id, aboveCap(fees)));
                });
                // a pre-flight revert may mean the message was executed already (execute is permissionless)
                return priced.exceptionallyCompose(e -> unwrap(e) instanceof ChainRpcException rpc
                        && rpc.kind() == ChainRpcException.Kind.REVERTED
                        ? executedElsewhere(t, replacing).thenApply(seen -> seen.orElseThrow(() -> new CompletionException(unwrap(e))))
                        : CompletableFuture.failedFuture(unwrap(e)));
            });
        });
    }

    /**
     * If the gateway says the message was executed, the transaction that did it (its {@code MessageExecuted} log,
     * searched back from the head over a bounded range) and its nonce; empty when it was not executed.
     */
    private CompletionStage<Optional<Command>> executedElsewhere(Transfer t, Inflight replacing) {
        String status = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("messageStatus",
                List.of(new org.web3j.abi.datatypes.generated.Bytes32(t.id().bytes())), List.of()));
        return w.client().call(w.gateway(), status, signer).thenCompose(hex -> Numeric.toBigInt(hex).signum() == 0
                ? CompletableFuture.completedFuture(Optional.<Command>empty())
                : w.client().head().thenCompose(head -> findExecution(t.id().toHex(), head.number(), 0)).thenCompose(log -> log.isEmpty()
                        ? CompletableFuture.failedFuture(new IllegalStateException("executed on " + w.chainName()
                                + " but no MessageExecuted for it in the last " + LOOKBACK_WINDOWS * LOOKBACK_BLOCKS + " blocks"))
                        : w.client().transactionNonce(log.get().txHash()).thenApply(nonce -> nonce.<Command>map(n ->
                                new ExecutedElsewhere(t, log.get().txHash(), n, replacing)))));
    }

    private CompletionStage<Optional<io.courier.chain.ChainLog>> findExecution(String id, long to, int window) {
        if (window >= LOOKBACK_WINDOWS || to < 0) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        long from = Math.max(0, to - LOOKBACK_BLOCKS + 1);
        return w.client().logs(w.gateway(), List.of(io.courier.chain.GatewayEvents.MESSAGE_EXECUTED_TOPIC), id, from, to)
                .thenCompose(logs -> logs.isEmpty() ? findExecution(id, from - 1, window + 1)
                        : CompletableFuture.completedFuture(Optional.of(logs.get(logs.size() - 1))));
    }

    /**
     * Recorded as the state machine asks (TransferStateMachine: no ATTESTED → DELIVERED shortcut): SUBMITTED with
     * the observed transaction, then the receipt poll records its outcome like any other.
     */
    private Behavior<Command> onExecutedElsewhere(ExecutedElsewhere seen) {
        MessageId id = seen.transfer().id();
        preparing.remove(id);
        replacing.remove(id);
        w.metrics().submissions.labelValues(w.chainName(), "executed_elsewhere").inc();
        getContext().getLog().warn("transfer {}: already executed on {} by transaction {} (not one this node is tracking); "
                + "recording it", id, w.chainName(), seen.txHash());
        // never rebroadcast (not ours to send), followed by its receipt
        Inflight observed = new Inflight(seen.transfer(), -1, seen.txHash(), null, Instant.MAX);
        inflight.put(id, observed);
        // ATTESTED: SUBMITTED with it; SUBMITTED with a dropped transaction of ours: that one replaced by it
        CompletionStage<TransitionOutcome> recorded = seen.replacing() == null
                ? w.transfers().transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(seen.txHash(), seen.nonce()), w.clock().instant())
                : w.transfers().transition(id, TransferStatus.SUBMITTED, new TransferEvent.Replaced(seen.txHash(), seen.nonce()), w.clock().instant());
        getContext().pipeToSelf(StageDeadline.within(recorded, STEP_DEADLINE,
                        "recording the execution of " + id), (o, e) -> new ObservedRecorded(observed, o, e));
        return this;
    }

    private Behavior<Command> onObservedRecorded(ObservedRecorded recorded) {
        if (recorded.error() != null || !carries(recorded.outcome(), recorded.tx().txHash())) {
            MessageId id = recorded.tx().transfer().id();
            if (sameTx(inflight.get(id), recorded.tx())) {
                inflight.remove(id);
            }
            getContext().getLog().warn("transfer {}: could not record its execution by {}, the sweep tries again: {}", id,
                    recorded.tx().txHash(), recorded.error() != null ? rootMessage(recorded.error()) : recorded.outcome());
        }
        return this;
    }

    private Behavior<Command> onPrepareFailed(PrepareFailed failed) {
        preparing.remove(failed.id());
        replacing.remove(failed.id());
        // a revert at estimation (bad attestation, already executed elsewhere) or a transient error: the transfer
        // stays ATTESTED and the next sweep tries again; nothing was signed or spent
        getContext().getLog().warn("transfer {} to {}: not submitted now: {}", failed.id(), w.chainName(), failed.reason());
        drain();
        return this;
    }

    // ── sign, persist, broadcast ─────────────────────────────────────────────────────────────────────

    private Behavior<Command> onPrepared(Prepared p) {
        MessageId id = p.transfer().id();
        preparing.remove(id);
        replacing.remove(id);
        long nonce = nonces.take();
        RawTransaction tx = RawTransaction.createTransaction(w.chainId(), BigInteger.valueOf(nonce), p.gasLimit(), w.gateway(),
                BigInteger.ZERO, p.calldata(), p.fees().maxPriorityFeePerGas(), p.fees().maxFeePerGas());
        String raw = Numeric.toHexString(TransactionEncoder.signMessage(tx, w.chainId(), w.signer()));
        String hash = Hash.sha3(raw);
        Submission record = new Submission(w.chainId(), signer, nonce, hash, List.of(id), p.fees().maxFeePerGas(),
                p.fees().maxPriorityFeePerGas(), p.gasLimit().longValue(), w.clock().instant(), null, raw);
        if (p.replacing() != null) {
            w.metrics().submissions.labelValues(w.chainName(), "replaced_dropped").inc();
            getContext().getLog().warn("transfer {}: its transaction {} (nonce {}) can never be mined (the nonce was used by "
                    + "another transaction); replaced by {} at nonce {}", id, p.replacing().txHash(), p.replacing().nonce(), hash, nonce);
        }
        persistAndBroadcast(p.transfer(), nonce, hash, raw, w.submissions().record(record), p.replacing() == null
                ? TransferStatus.ATTESTED : TransferStatus.SUBMITTED, p.replacing() == null
                ? new TransferEvent.Submitted(hash, nonce) : new TransferEvent.Replaced(hash, nonce));
        return this;
    }

    /** After {@code recorded}: persist SUBMITTED with the transaction, then broadcast it (ADR 004's order). */
    private void persistAndBroadcast(Transfer t, long nonce, String hash, String raw, CompletionStage<Void> recorded) {
        persistAndBroadcast(t, nonce, hash, raw, recorded, TransferStatus.ATTESTED, new TransferEvent.Submitted(hash, nonce));
    }

    private void persistAndBroadcast(Transfer t, long nonce, String hash, String raw, CompletionStage<Void> recorded,
                                     TransferStatus from, TransferEvent event) {
        MessageId id = t.id();
        Inflight flight = new Inflight(t, nonce, hash, raw, w.clock().instant());
        inflight.put(id, flight);
        CompletionStage<Void> persisted = recorded
                .thenCompose(x -> w.transfers().transition(id, from, event, w.clock().instant()))
                .thenAccept(outcome -> {
                    if (!carries(outcome, hash)) {
                        throw new IllegalStateException("transfer " + id + " moved away from " + from + ": " + outcome);
                    }
                });
        CompletionStage<String> sent = persisted.thenCompose(x -> w.client().sendRawTransaction(raw));
        getContext().pipeToSelf(StageDeadline.within(sent, STEP_DEADLINE, "submitting " + hash), (h, e) -> new Broadcast(flight, e));
    }

    private Behavior<Command> onBroadcast(Broadcast b) {
        Inflight tx = b.tx();
        if (b.error() == null) {
            w.metrics().submissions.labelValues(w.chainName(), "broadcast").inc();
            w.tracing().stage(tx.transfer().id().toHex(), tx.transfer().route(), "submit",
                    tx.transfer().stageTime(TransferStatus.ATTESTED).orElse(tx.lastSent()), w.clock().instant(),
                    Attributes.builder().put("courier.tx_hash", tx.txHash()).put("courier.nonce", tx.nonce()).build(), true);
            return this;
        }
        Throwable cause = unwrap(b.error());
        if (cause instanceof ChainRpcException rpc && (rpc.kind() == ChainRpcException.Kind.ALREADY_KNOWN)) {
            return this; // the node has it: fine
        }
        if (cause instanceof IllegalStateException) {
            // never persisted as ours: the nonce was not used on chain
            inflight.remove(tx.transfer().id());
            nonces.giveBack(tx.nonce());
            getContext().getLog().warn("transfer {}: {}", tx.transfer().id(), cause.getMessage());
            drain();
            return this;
        }
        // persisted as SUBMITTED but the broadcast failed (transient RPC error, nonce clash): receipt polling
        // rebroadcasts it after rebroadcast-after
        w.metrics().submissions.labelValues(w.chainName(), "broadcast_failed").inc();
        getContext().getLog().warn("transfer {}: broadcast of {} (nonce {}) failed, will retry: {}", tx.transfer().id(),
                tx.txHash(), tx.nonce(), cause.toString());
        inflight.put(tx.transfer().id(), new Inflight(tx.transfer(), tx.nonce(), tx.txHash(), tx.raw(), Instant.EPOCH));
        return this;
    }

    // ── receipts ─────────────────────────────────────────────────────────────────────────────────────

    private Behavior<Command> onPollReceipts() {
        if (receiptPollRunning || inflight.isEmpty()) {
            return this;
        }
        receiptPollRunning = true;
        List<Inflight> snapshot = List.copyOf(inflight.values());
        ActorRef<Command> self = getContext().getSelf();
        CompletionStage<Long> head = StageDeadline.within(w.client().head().thenApply(h -> h.number()), STEP_DEADLINE, "head of " + w.chainName());
        head.whenComplete((h, e) -> {
            if (e != null) {
                self.tell(new StepFailed("receipts", e));
                return;
            }
            for (Inflight tx : snapshot) {
                if (tx.txHash().isEmpty()) {
                    continue;
                }
                StageDeadline.within(w.client().receipt(tx.txHash()), STEP_DEADLINE, "receipt of " + tx.txHash()).whenComplete((r, re) ->
                        self.tell(new ReceiptChecked(tx, r == null ? Optional.empty() : r, h, re)));
            }
            self.tell(new StepFailed("receipts-done", null));
        });
        return this;
    }

    private Behavior<Command> onReceiptChecked(ReceiptChecked checked) {
        Inflight tx = checked.tx();
        if (checked.error() != null || inflight.get(tx.transfer().id()) != tx && !sameTx(inflight.get(tx.transfer().id()), tx)) {
            return this;
        }
        if (checked.receipt().isEmpty()) {
            Duration waited = Duration.between(tx.lastSent(), w.clock().instant());
            if (waited.compareTo(s.rebroadcastAfter()) >= 0) {
                rebroadcast(tx);
            }
            return this;
        }
        TxReceipt receipt = checked.receipt().get();
        long confirmations = checked.head() - receipt.blockNumber() + 1;
        if (confirmations < s.destinationConfirmations()) {
            return this;
        }
        inflight.put(tx.transfer().id(), new Inflight(tx.transfer(), tx.nonce(), tx.txHash(), tx.raw(), Instant.MAX));
        if (receipt.gasUsed() != null) {
            w.metrics().gasUsed.labelValues(w.chainName()).inc(receipt.gasUsed().doubleValue());
        }
        receipt.feePaid().ifPresent(f -> w.metrics().gasSpentWei.labelValues(w.chainName()).inc(f.doubleValue()));
        ExecutionOutcome outcome = ExecutionOutcome.of(receipt, tx.transfer().id(), w.gateway());
        TransferEvent event;
        if (outcome instanceof ExecutionOutcome.RecipientReverted r) {
            event = new TransferEvent.ExecutionFailed("recipient reverted: " + r.revertData(), tx.txHash());
        } else if (outcome instanceof ExecutionOutcome.TransactionReverted r) {
            event = new TransferEvent.ExecutionFailed(r.reason(), tx.txHash());
        } else {
            event = new TransferEvent.Delivered(tx.txHash(), receipt.blockNumber());
        }
        getContext().pipeToSelf(StageDeadline.within(recordOutcome(tx, event), STEP_DEADLINE, "recording the outcome of " + tx.txHash()),
                (o, e) -> new Finished(tx, o instanceof TransitionOutcome.Applied a ? a.updated().status() : null, e));
        return this;
    }

    /**
     * SUBMITTED → the outcome. A transfer still ATTESTED here had its SUBMITTED write fail with an unknown outcome
     * (a timeout) after the transaction was recorded: the mined transaction is ours, so SUBMITTED is written first.
     */
    private CompletionStage<TransitionOutcome> recordOutcome(Inflight tx, TransferEvent event) {
        MessageId id = tx.transfer().id();
        Instant now = w.clock().instant();
        return w.transfers().transition(id, TransferStatus.SUBMITTED, event, now).thenCompose(outcome ->
                outcome instanceof TransitionOutcome.Conflict c && c.actual() == TransferStatus.ATTESTED && tx.nonce() >= 0
                        ? w.transfers().transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(tx.txHash(), tx.nonce()), now)
                                .thenCompose(x -> w.transfers().transition(id, TransferStatus.SUBMITTED, event, now))
                        : CompletableFuture.completedFuture(outcome));
    }

    private static boolean sameTx(Inflight a, Inflight b) {
        return a != null && b != null && a.txHash().equals(b.txHash());
    }

    /**
     * Sends the transaction again. If its nonce turns out to be used by another transaction (the node says "nonce
     * too low", or its record is below the chain's mined nonce) and it still has no receipt, it can never be mined:
     * {@link Dropped} has it replaced at a new nonce.
     */
    private void rebroadcast(Inflight tx) {
        Instant now = w.clock().instant();
        ActorRef<Command> self = getContext().getSelf();
        Inflight again = tx.sentAgain(now);
        inflight.put(tx.transfer().id(), again);
        // a recovered transaction's raw bytes are in its record, which is listed from the mined nonce on
        CompletionStage<Optional<String>> raw = tx.raw() != null
                ? CompletableFuture.completedFuture(Optional.of(tx.raw()))
                : w.client().nonce(signer, false).thenCompose(mined -> w.submissions().list(w.chainId(), signer, mined, 1_000))
                        .thenApply(subs -> subs.stream().filter(sub -> sub.txHash().equalsIgnoreCase(tx.txHash()))
                                .findFirst().flatMap(Submission::raw));
        CompletionStage<Boolean> nonceUsed = raw.thenCompose(r -> r.isEmpty()
                ? CompletableFuture.completedFuture(true)
                : w.client().sendRawTransaction(r.get()).handle((h, e) -> {
                    if (e == null) {
                        return false;
                    }
                    if (unwrap(e) instanceof ChainRpcException rpc) {
                        if (rpc.kind() == ChainRpcException.Kind.NONCE_TOO_LOW) {
                            return true;
                        }
                        if (rpc.kind() == ChainRpcException.Kind.ALREADY_KNOWN || rpc.kind() == ChainRpcException.Kind.UNDERPRICED) {
                            return false; // the node holds it (some nodes call a duplicate "underpriced")
                        }
                    }
                    throw new CompletionException(unwrap(e));
                }));
        nonceUsed.thenCompose(used -> used
                        ? w.client().receipt(tx.txHash()).thenApply(Optional::isEmpty)
                        : CompletableFuture.completedFuture(false))
                .whenComplete((dropped, e) -> {
                    if (e != null) {
                        self.tell(new StepFailed("rebroadcast " + tx.txHash(), e));
                    } else if (dropped) {
                        self.tell(new Dropped(again));
                    }
                });
        getContext().getLog().info("transfer {}: no receipt for {} yet, broadcast again", tx.transfer().id(), tx.txHash());
    }

    private Behavior<Command> onDropped(Dropped dropped) {
        MessageId id = dropped.tx().transfer().id();
        Inflight current = inflight.get(id);
        if (nonces == null || !sameTx(current, dropped.tx()) || replacing.contains(id)) {
            return this;
        }
        replacing.add(id);
        // the pre-flight eth_call in prepare() is the last guard: if the message was executed after all, it reverts
        getContext().pipeToSelf(StageDeadline.within(prepare(id, current), STEP_DEADLINE, "replacing " + current.txHash()),
                (p, e) -> e != null ? new PrepareFailed(id, rootMessage(e)) : p);
        return this;
    }

    private Behavior<Command> onFinished(Finished f) {
        Inflight tx = f.tx();
        MessageId id = tx.transfer().id();
        inflight.remove(id);
        if (f.error() != null) {
            getContext().getLog().warn("transfer {}: recording the outcome of {} failed, will re-check: {}", id, tx.txHash(), f.error().toString());
            inflight.put(id, tx.sentAgain(w.clock().instant()));
            return this;
        }
        if (f.status() != null) {
            Transfer t = tx.transfer();
            Instant now = w.clock().instant();
            w.metrics().transfersCompleted.labelValues(f.status().name(), t.route()).inc();
            w.tracing().stage(id.toHex(), t.route(), "destination.confirm",
                    t.stageTime(TransferStatus.SUBMITTED).orElse(now), now, Attributes.empty(), f.status() == TransferStatus.DELIVERED);
            if (f.status() == TransferStatus.DELIVERED) {
                Duration total = Duration.between(t.createdAt(), now);
                w.metrics().deliveryDuration.labelValues(t.route()).observe(total.toMillis() / 1000.0);
                w.tracing().transferEnded(id.toHex(), t.route(), t.createdAt(), now, f.status().name());
            } else {
                getContext().getLog().warn("transfer {}: FAILED on {} in {}", id, w.chainName(), tx.txHash());
            }
        }
        drain();
        return this;
    }

    private Behavior<Command> onStepFailed(StepFailed failed) {
        if ("receipts-done".equals(failed.what())) {
            receiptPollRunning = false;
            return this;
        }
        if (failed.what().equals("receipts")) {
            receiptPollRunning = false;
        }
        if (failed.what().equals("sweep")) {
            sweepRunning = false;
        }
        if (failed.what().equals("nonce check")) {
            nonceCheckRunning = false;
        }
        getContext().getLog().warn("submitter {}: {} failed: {}", w.chainName(), failed.what(), rootMessage(failed.error()));
        if (failed.what().equals("load nonce")) {
            timers.startSingleTimer(LoadNonce.INSTANCE, Duration.ofSeconds(2));
        }
        return this;
    }

    /** The price of a transaction from the fee history (priority fees at the configured percentile), unless above the cap. */
    private Optional<FeeQuote> quote(FeeHistory fees) {
        return feePolicy.quote(fees.baseFeePerGas(), fees.rewards().stream().filter(r -> !r.isEmpty()).map(r -> r.get(0)).toList());
    }

    private static String aboveCap(FeeHistory fees) {
        return "next base fee " + fees.nextBaseFee() + " wei is above the cap";
    }

    /** The write moved the transfer to carry {@code txHash}, now or in an earlier attempt (a replay). */
    private static boolean carries(TransitionOutcome outcome, String txHash) {
        return outcome instanceof TransitionOutcome.Applied
                || outcome instanceof TransitionOutcome.AlreadyApplied done
                && done.current().destinationTx().map(txHash::equalsIgnoreCase).orElse(false);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
