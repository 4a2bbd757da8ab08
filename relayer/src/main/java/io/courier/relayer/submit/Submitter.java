package io.courier.relayer.submit;

import io.courier.chain.CallRequest;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.FeeHistory;
import io.courier.chain.GatewayCalldata;
import io.courier.chain.GatewayEvents;
import io.courier.chain.LogFilter;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.delivery.Delivery;
import io.courier.delivery.DeliveryGas;
import io.courier.delivery.DeliveryPlanner;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeMarket;
import io.courier.fees.FeeMode;
import io.courier.fees.FeePricer;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Attestation;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.TransitionRejectedException;
import io.courier.finality.store.AttestationStore;
import io.courier.finality.store.StoreException;
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
import io.courier.relayer.submit.Inflight.Sender;
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
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * Delivers attested messages to one destination chain. It owns the signer's nonces, so there is one per
 * destination (a cluster singleton once several nodes run). Order of effects, so a crash at any point is
 * recoverable from Cassandra alone: sign → persist the submission and the SUBMITTED state → broadcast →
 * wait for the receipt and the destination confirmations → persist DELIVERED or FAILED.
 * A periodic sweep of the destination's open transfers re-drives anything a restart or a lost message left
 * behind: FINALIZED back to the attester, ATTESTED to submission, SUBMITTED to receipt tracking.
 *
 * <p>Two phases, two behaviours. <b>Loading</b>: every unmined nonce of the signer is accounted for
 * ({@link NonceRecovery}) before anything is signed; {@link Ready} requests wait in a stash. <b>Running</b>: the
 * nonce allocator exists, requests are prepared, signed, persisted, broadcast and followed to their receipts.
 * A halted source chain does not pause the submitter: it is checked per transfer (no new transaction for it).
 * All state lives in the running behaviour and changes only on the actor's thread: every asynchronous step
 * comes back as a message ({@code pipeToSelf}).
 */
public final class Submitter {

    public sealed interface Command {}

    /** A transfer is ATTESTED and can be submitted. */
    public record Ready(MessageId id) implements Command {}

    /** Timer: sweep the destination's open transfers (package-private: tests drive the loop). */
    enum Sweep implements Command { INSTANCE }

    /** Timer: a round of receipt polls of the transactions in flight. */
    enum PollReceipts implements Command { INSTANCE }

    /** Timer: check the unmined nonces against the chain while transactions are in flight. */
    enum CheckNonces implements Command { INSTANCE }

    private enum LoadNonce implements Command { INSTANCE }

    /** {@code validatorSet}: the gateway's, as its batched paths take it; empty when batching is off. */
    private record NonceLoaded(NonceRecovery.Plan plan, long handlerGasLimit, Optional<GatewayCalldata.ValidatorSet> validatorSet)
            implements Command {}

    /** Whether and how to replace the newest transaction at {@code nonce}, unmined at {@code head} (a fee bump). */
    private record BumpDecided(long nonce, long head, FeeBump.Outcome outcome, Throwable error) implements Command {}

    /**
     * A fee-bump replacement recorded and sent (or not: {@code result}); {@code before}: the attempts and entries as they
     * were, put back when nothing of the replacement was recorded.
     */
    private record BumpSent(NonceAttempts before, List<Inflight> entriesBefore, TxHash replacement, SendResult result) implements Command {}

    /** Timer: plan what is queued (batching waits up to {@code batch.max-wait} for messages to share a transaction). */
    private enum DrainTick implements Command { INSTANCE }

    /** A planning round's queued messages, loaded ({@link BatchPreparation#load}). */
    private record Loaded(BatchPreparation.Loaded loaded) implements Command {}

    /** A multi-message delivery prepared ({@link BatchPreparation#prepare}). */
    private record BatchPrepared(BatchPreparation.Outcome outcome) implements Command {}


    private record NoncesChecked(NonceRecovery.Plan plan) implements Command {}

    private record FillSent(long nonce, TxHash txHash, Throwable error) implements Command {}

    private record SweepLoaded(List<Transfer> open) implements Command {}

    /** The signer's balance, read on each sweep for {@code courier_signer_balance_wei}. */
    private record BalanceRead(BigInteger wei, Throwable error) implements Command {}

    /**
     * A transaction ready to sign for {@code transfers} (one, or a batch's in nonce order) by {@code path};
     * {@code replacing}: the dropped transaction this one replaces (lone only); empty for a first submission.
     */
    private record Prepared(List<Transfer> transfers, String path, String calldata, BigInteger gasLimit, Fees fees,
                            Optional<Inflight> replacing) implements Command {

        Prepared(Transfer transfer, String calldata, BigInteger gasLimit, Fees fees, Optional<Inflight> replacing) {
            this(List.of(transfer), "lone", calldata, gasLimit, fees, replacing);
        }

        Transfer first() {
            return transfers.get(0);
        }
    }

    /** The transaction's nonce was used by another transaction and it has no receipt: it can never be mined. */
    private record Dropped(Inflight tx) implements Command {}

    /**
     * Someone else's transaction (or one of ours we lost track of) executed the message on the destination;
     * {@code replacing}: our dropped transaction the transfer is SUBMITTED with, empty when it is ATTESTED.
     */
    private record ExecutedElsewhere(Transfer transfer, TxHash txHash, long nonce, Optional<Inflight> replacing) implements Command {}

    private record ObservedRecorded(Inflight tx, TransitionOutcome outcome, Throwable error) implements Command {}

    private record PrepareFailed(MessageId id, String reason) implements Command {}

    /**
     * Over a destination limit ({@link DeliveryCheck}): moved to UNDELIVERABLE without taking a nonce. {@code from}:
     * ATTESTED, or SUBMITTED when it was the replacement of a dropped transaction.
     */
    private record Blocked(Transfer transfer, TransferStatus from, TransferEvent.Undeliverable event) implements Command {}

    /** The pre-flight {@code eth_call} reverted and nobody executed the message: back off ({@link PreflightBackoff}) or park it. */
    private record PreflightReverted(Transfer transfer, String reason) implements Command {}

    private record UndeliverableRecorded(Transfer transfer, TransferEvent.Undeliverable event, TransitionOutcome outcome,
                                         Throwable error) implements Command {}

    /** {@code txs}: the transaction's entry for each transfer it carries (one, or a batch's). */
    private record Broadcast(List<Inflight> txs, SendResult result) implements Command {}

    /** The head a round of receipt polls counts confirmations from. */
    private record HeadRead(long round, List<Inflight> snapshot, long head, Throwable error) implements Command {}

    /** One receipt poll of a transaction, for every transfer it carries ({@code txs}, the round's snapshot). */
    private record ReceiptChecked(long round, List<Inflight> txs, Optional<TxReceipt> receipt, long head, Throwable error) implements Command {}

    /**
     * A rebroadcast's verdict: {@code dropped} when the nonce was used by another transaction and ours has no receipt;
     * {@code rejected} when the node refused it for good (TX_REJECTED), with its nonce.
     */
    private record Rebroadcast(List<Inflight> txs, boolean dropped, Optional<RejectedForGood> rejected, Throwable error) implements Command {}

    /** The node refused a transaction at {@code nonce} for a reason sending it again cannot fix ({@code reason}: its words). */
    private static final class RejectedForGood extends RuntimeException {
        final long nonce;

        RejectedForGood(long nonce, String reason) {
            super(reason, null, false, false);
            this.nonce = nonce;
        }
    }

    private record Finished(Inflight tx, TransferStatus status, Throwable error) implements Command {}

    /** A step that runs one at a time failed; the flag that keeps it one at a time is cleared. */
    private record StepFailed(Step step, Throwable error) implements Command {}

    private enum Step {
        LOAD_NONCE("load nonce"), SWEEP("sweep"), NONCE_CHECK("nonce check");

        final String text;

        Step(String text) {
            this.text = text;
        }
    }

    /** What became of persisting and broadcasting a signed transaction. */
    private sealed interface SendResult {

        /**
         * Persisted as SUBMITTED and accepted by the node; {@code notCarried}: transfers of a batch that had moved
         * away (they are not followed with it; the others' SUBMITTED needed the transaction sent).
         */
        record Sent(Set<MessageId> notCarried) implements SendResult {}

        /** The submission's record was certainly not written and nothing was sent: its nonce is free again. */
        record NothingRecorded(Throwable cause) implements SendResult {}

        /**
         * Recorded, but the transfer moved away (or the move was rejected), so it was never sent. Its nonce is not
         * handed out again (a second transaction at it would compete with the record): recovery adopts or fills it.
         */
        record NotPersisted(String reason) implements SendResult {}

        /** Persisted, or its outcome unknown, but not (known to be) broadcast: the receipt poll sends it again. */
        record NotSent(Throwable cause) implements SendResult {}
    }

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
                stash -> loading(new Env(ctx, timers, wiring), stash))));
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    private static final int STASH_CAPACITY = 10_000;
    private static final int SWEEP_DAYS = 7;
    private static final String HANDLER_GAS_LIMIT_CALL = org.web3j.abi.FunctionEncoder.encode(
            new org.web3j.abi.datatypes.Function("handlerGasLimit", List.of(), List.of()));
    private static final int SWEEP_LIMIT = 2_000;
    private static final String VALIDATOR_SET_CALL = org.web3j.abi.FunctionEncoder.encode(
            new org.web3j.abi.datatypes.Function("validatorSet", List.of(), List.of()));
    /** Most queued messages one planning round loads (the rest wait for the next round). */
    private static final int PLAN_LIMIT = 1_024;
    private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);
    private static final Duration LOAD_RETRY = Duration.ofSeconds(2);
    private static final BigInteger FILL_GAS = BigInteger.valueOf(21_000);
    // where an execution by someone else is looked for: the last LOOKBACK_WINDOWS x LOOKBACK_BLOCKS blocks
    private static final int LOOKBACK_WINDOWS = 10;
    private static final long LOOKBACK_BLOCKS = 2_000;

    private Submitter() {}

    /** What both phases share: the wiring and what is derived from it. Immutable. */
    private static final class Env {
        final ActorContext<Command> ctx;
        final TimerScheduler<Command> timers;
        final Wiring w;
        final SubmitterSettings s;
        final Address signer;

        Env(ActorContext<Command> ctx, TimerScheduler<Command> timers, Wiring w) {
            ctx.setLoggerName(Submitter.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
            this.ctx = ctx;
            this.timers = timers;
            this.w = w;
            this.s = w.settings();
            this.signer = Address.fromHex(w.signer().getAddress());
        }

        /**
         * What a transaction would pay now: the chain's market (EIP-1559 from the fee history, or legacy by
         * {@code eth_gasPrice}, detected in mode auto) priced under the chain's caps (docs/adr/004, "Fees and bumps").
         */
        CompletionStage<FeePricer.Outcome> price() {
            return market().thenApply(market -> FeePricer.price(market, w.fees()));
        }

        /** The chain's fee market now: EIP-1559 from the fee history, or legacy by {@code eth_gasPrice}. */
        CompletionStage<FeeMarket> market() {
            FeeSettings f = w.fees();
            CompletionStage<Optional<FeeHistory>> history = f.mode() == FeeMode.LEGACY
                    ? CompletableFuture.completedFuture(Optional.empty())
                    : w.client().feeHistory(f.historyBlocks(), f.percentiles()).thenApply(Optional::of)
                            .exceptionallyCompose(e -> f.mode() == FeeMode.AUTO && FeeMarket.missingFeeHistory(e)
                                    // a node before London has no fee history to give: priced by eth_gasPrice
                                    ? CompletableFuture.completedFuture(Optional.empty())
                                    : CompletableFuture.failedFuture(unwrap(e)));
            return history.thenCompose(h -> FeeMarket.needsGasPrice(f.mode(), h)
                            ? w.client().gasPrice().thenApply(p -> FeeMarket.of(f.mode(), h, Optional.of(p)))
                            : CompletableFuture.completedFuture(FeeMarket.of(f.mode(), h, Optional.empty())));
        }

        /** A signed transaction from the signer at {@code nonce}, typed by its fees (EIP-1559, or legacy with EIP-155). */
        String sign(long nonce, BigInteger gasLimit, String to, String data, Fees fees) {
            RawTransaction tx = fees instanceof Fees.Eip1559Fees e
                    ? RawTransaction.createTransaction(w.chainId(), BigInteger.valueOf(nonce), gasLimit, to, BigInteger.ZERO, data,
                            e.maxPriorityFeePerGas(), e.maxFeePerGas())
                    : RawTransaction.createTransaction(BigInteger.valueOf(nonce), fees.maxFee(), gasLimit, to, BigInteger.ZERO, data);
            return Numeric.toHexString(TransactionEncoder.signMessage(tx, w.chainId(), w.signer()));
        }

        <T> CompletionStage<T> within(CompletionStage<T> stage, String what) {
            return w.deadlines().within(stage, STEP_DEADLINE, what);
        }

        /** The chain's mined and pending nonces, the submissions recorded from the mined one on, and their transfers. */
        CompletionStage<NonceRecovery.Plan> readNoncePlan() {
            return w.client().nonce(signer, false).thenCombine(w.client().nonce(signer, true), (mined, pending) -> new long[] {mined, pending})
                    .thenCompose(chain -> w.submissions().list(w.chainId(), signer, chain[0], NonceRecovery.MAX_SPAN).thenCompose(recorded -> {
                        Set<MessageId> ids = new LinkedHashSet<>();
                        recorded.forEach(sub -> ids.addAll(sub.messageIds()));
                        Map<MessageId, Transfer> found = new ConcurrentHashMap<>();
                        CompletableFuture<?>[] reads = ids.stream().map(id -> w.transfers().find(id)
                                .thenAccept(t -> t.ifPresent(x -> found.put(id, x))).toCompletableFuture()).toArray(CompletableFuture[]::new);
                        return CompletableFuture.allOf(reads).thenApply(x -> NonceRecovery.plan(chain[0], chain[1], recorded, found));
                    }));
        }
    }

    // ── loading ──────────────────────────────────────────────────────────────────────────────────────

    /**
     * Reads the nonce plan (and the gateway's handler gas limit) until it succeeds; {@link Ready} requests wait in
     * the stash (the sweep finds any that overflow it). Timer ticks and late replies of an earlier incarnation
     * (same actor ref after a restart) are dropped: the running phase starts its own.
     */
    private static Behavior<Command> loading(Env env, StashBuffer<Command> stash) {
        env.ctx.getSelf().tell(LoadNonce.INSTANCE);
        return Behaviors.receive(Command.class)
                .onMessageEquals(LoadNonce.INSTANCE, () -> {
                    loadNonce(env);
                    return Behaviors.same();
                })
                .onMessage(NonceLoaded.class, loaded -> {
                    Optional<String> overCap = DeliveryCheck.handlerOverCap(loaded.handlerGasLimit(), env.s.maxGasLimit());
                    return overCap.isPresent() ? refusing(env, overCap.get()) : stash.unstashAll(new Running(env, loaded));
                })
                .onMessage(StepFailed.class, failed -> {
                    if (failed.step() == Step.LOAD_NONCE) {
                        env.ctx.getLog().warn("submitter {}: {} failed: {}", env.w.chainName(), failed.step().text, rootMessage(failed.error()));
                        env.timers.startSingleTimer(LoadNonce.INSTANCE, LOAD_RETRY);
                    }
                    return Behaviors.same();
                })
                .onMessage(Ready.class, ready -> {
                    if (!stash.isFull()) {
                        stash.stash(ready);
                    }
                    return Behaviors.same();
                })
                .onAnyMessage(other -> Behaviors.same())
                .build();
    }

    /**
     * No execute of this gateway can fit under the cap: every message would fail alike, so none is signed and no nonce
     * is taken. Transfers stay ATTESTED until an operator raises {@code max-gas-limit} (or redeploys the gateway with
     * a smaller handler gas) and restarts the node. Said once, as an error naming both numbers.
     */
    private static Behavior<Command> refusing(Env env, String reason) {
        env.ctx.getLog().error("submitter {} ({}): REFUSING to submit to this chain: {}. Nothing is signed for it until "
                + "submitter.max-gas-limit is raised (or the gateway's handler gas lowered) and the node restarted",
                env.w.chainName(), env.w.chainId(), reason);
        env.w.metrics().submissions.labelValues(env.w.chainName(), "refused_handler_over_cap").inc();
        return Behaviors.receive(Command.class).onAnyMessage(ignored -> Behaviors.same()).build();
    }

    private static void loadNonce(Env env) {
        // every unmined nonce of the signer is accounted for before anything new is signed: see NonceRecovery
        Wiring w = env.w;
        CompletionStage<Long> handlerGas = w.client().call(CallRequest.to(w.gateway(), HANDLER_GAS_LIMIT_CALL).from(env.signer))
                .thenApply(hex -> Numeric.toBigInt(hex).longValueExact());
        // the batched paths carry the gateway's validator set in calldata, as the gateway stores it (ADR 008)
        CompletionStage<Optional<GatewayCalldata.ValidatorSet>> set = env.s.batch().enabled()
                ? w.client().call(CallRequest.to(w.gateway(), VALIDATOR_SET_CALL).from(env.signer)).thenApply(hex -> Optional.of(validatorSet(hex)))
                : CompletableFuture.completedFuture(Optional.empty());
        env.ctx.pipeToSelf(env.within(env.readNoncePlan().thenCombine(handlerGas, (plan, gas) -> new Object[] {plan, gas})
                                .thenCombine(set, (pg, vs) -> new NonceLoaded((NonceRecovery.Plan) pg[0], (Long) pg[1], vs)),
                        "loading the nonce on " + w.chainName()),
                (loaded, e) -> e != null ? new StepFailed(Step.LOAD_NONCE, e) : loaded);
    }

    /** {@code validatorSet()}'s answer: ABI {@code bytes} holding the packed set ({@link GatewayCalldata.ValidatorSet#fromPacked}). */
    static GatewayCalldata.ValidatorSet validatorSet(String abiHex) {
        @SuppressWarnings({"rawtypes", "unchecked"})
        List<org.web3j.abi.datatypes.Type> out = org.web3j.abi.FunctionReturnDecoder.decode(abiHex,
                org.web3j.abi.Utils.convert(List.of(new org.web3j.abi.TypeReference<org.web3j.abi.datatypes.DynamicBytes>() {})));
        return GatewayCalldata.ValidatorSet.fromPacked(((org.web3j.abi.datatypes.DynamicBytes) out.get(0)).getValue());
    }

    // ── running ──────────────────────────────────────────────────────────────────────────────────────

    /** A round of receipt polls: {@code outstanding} polls have not completed yet (-1 while the head is read). */
    private record ReceiptRound(long id, int outstanding) {}

    private static final class Running extends AbstractBehavior<Command> {

        private final Env env;
        private final Wiring w;
        private final SubmitterSettings s;
        private final Address signer;
        private final NonceAllocator nonces;
        private final long handlerGasLimit; // the gateway's, read once with the nonce
        private final LinkedHashSet<MessageId> queue = new LinkedHashSet<>();
        private final Set<MessageId> preparing = new HashSet<>();
        private final Map<MessageId, Inflight> inflight = new HashMap<>();
        private final Set<Long> filling = new HashSet<>();
        private final Set<MessageId> replacing = new HashSet<>();
        /** Messages whose pre-flight reverted, waiting before they are prepared again (never holding up the others). */
        private final Map<MessageId, PreflightBackoff> backingOff = new HashMap<>();
        /** Nonces whose transaction was recorded but never sent: recovery adopts or fills each before it is dropped. */
        private final Set<Long> unsent = new TreeSet<>();
        private Optional<ReceiptRound> receiptRound = Optional.empty();
        private long receiptRounds;
        /** The gateway's validator set (batching on), read with the nonce. */
        private final Optional<GatewayCalldata.ValidatorSet> validatorSet;
        /** Messages to send on their own: their batch could not go (ADR 009); cleared when they leave the queue for good. */
        private final Set<MessageId> alone = new HashSet<>();
        /** Transactions of this signer that carry several messages, by hash: how many (a reverted one is re-planned, not FAILED). */
        private final Map<TxHash, Integer> batches = new HashMap<>();
        private final BatchPreparation batching;
        /** This incarnation's transactions by nonce, with their fee-bump replacements: receipts are asked of all. */
        private final Map<Long, NonceAttempts> attempts = new HashMap<>();
        /** The signer's balance was below the chain's floor at the last read: nothing new is signed. */
        private boolean belowFloor;
        /** A planning round is loading the queued messages. */
        private boolean planning;
        /** Batches being prepared, and the messages they hold (in {@code preparing} too). */
        private int preparingBatches;
        private int preparingBatchIds;
        private boolean sweepRunning;
        private boolean nonceCheckRunning;

        Running(Env env, NonceLoaded loaded) {
            super(env.ctx);
            this.env = env;
            this.w = env.w;
            this.s = env.s;
            this.signer = env.signer;
            this.nonces = new NonceAllocator(loaded.plan().firstFree());
            this.handlerGasLimit = loaded.handlerGasLimit();
            this.validatorSet = loaded.validatorSet();
            this.batching = new BatchPreparation(w, signer, env::price);
            getContext().getLog().info("submitter {} ({}): signer {} starts at nonce {}{}", w.chainName(), w.chainId(), signer,
                    loaded.plan().firstFree(), loaded.plan().steps().isEmpty() ? "" : "; unmined before it: " + describe(loaded.plan()));
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
                    .onMessage(ExecutedElsewhere.class, this::onExecutedElsewhere)
                    .onMessage(ObservedRecorded.class, this::onObservedRecorded)
                    .onMessage(Ready.class, this::onReady)
                    .onMessageEquals(Sweep.INSTANCE, this::onSweep)
                    .onMessage(SweepLoaded.class, this::onSweepLoaded)
                    .onMessage(BalanceRead.class, this::onBalanceRead)
                    .onMessage(Prepared.class, this::onPrepared)
                    .onMessageEquals(DrainTick.INSTANCE, this::onDrainTick)
                    .onMessage(Loaded.class, this::onLoaded)
                    .onMessage(BatchPrepared.class, this::onBatchPrepared)
                    .onMessage(BumpDecided.class, this::onBumpDecided)
                    .onMessage(BumpSent.class, this::onBumpSent)
                    .onMessage(PrepareFailed.class, this::onPrepareFailed)
                    .onMessage(Blocked.class, this::onBlocked)
                    .onMessage(PreflightReverted.class, this::onPreflightReverted)
                    .onMessage(UndeliverableRecorded.class, this::onUndeliverableRecorded)
                    .onMessage(Broadcast.class, this::onBroadcast)
                    .onMessageEquals(PollReceipts.INSTANCE, this::onPollReceipts)
                    .onMessage(HeadRead.class, this::onHeadRead)
                    .onMessage(ReceiptChecked.class, this::onReceiptChecked)
                    .onMessage(Rebroadcast.class, this::onRebroadcast)
                    .onMessage(Finished.class, this::onFinished)
                    .onMessage(StepFailed.class, this::onStepFailed)
                    .onAnyMessage(stale -> this) // LoadNonce, NonceLoaded: replies to the loading phase
                    .build();
        }

        // ── nonces ───────────────────────────────────────────────────────────────────────────────────

        private Behavior<Command> onCheckNonces() {
            if (nonceCheckRunning || inflight.isEmpty() && nonces.peekNext() == nonces.next() && unsent.isEmpty()) {
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
            // the plan starts at the chain's mined nonce: an unsent nonce below it is used for good
            long mined = checked.plan().steps().isEmpty() ? checked.plan().firstFree() : checked.plan().steps().get(0).nonce();
            unsent.removeIf(n -> n < mined);
            return this;
        }

        /**
         * Applies what the present state does not already cover: a nonce held by a transaction in flight is left
         * alone, and only nonces this allocator handed out (or was built past) are filled.
         */
        private void applyNoncePlan(NonceRecovery.Plan plan) {
            Set<Long> held = new HashSet<>();
            inflight.values().forEach(f -> f.heldNonce().ifPresent(held::add));
            for (NonceRecovery.Step step : plan.steps()) {
                long nonce = step.nonce();
                if (held.contains(nonce) || filling.contains(nonce)) {
                    continue;
                }
                if (step instanceof NonceRecovery.Follow follow) {
                    if (follow.submission().messageIds().size() > 1) {
                        batches.put(follow.submission().txHash(), follow.submission().messageIds().size());
                    }
                    for (Transfer t : follow.transfers()) {
                        Inflight current = inflight.get(t.id());
                        if (current == null || current.heldNonce().isEmpty()) {
                            // broadcast again at the next poll: the crash may have come before the first broadcast
                            queue.remove(t.id());
                            inflight.put(t.id(), Inflight.signed(t, nonce, follow.submission().txHash(),
                                    follow.submission().raw(), Resend.Fixed.NEXT_POLL));
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
                    }
                    if (adopt.submission().messageIds().size() > 1) {
                        batches.put(adopt.submission().txHash(), adopt.submission().messageIds().size());
                    }
                    persistAndBroadcast(adopt.transfers(), nonce, adopt.submission().txHash(), adopt.submission().rawTransaction(),
                            CompletableFuture.completedFuture(null), TransferStatus.ATTESTED,
                            new TransferEvent.Submitted(adopt.submission().txHash(), nonce));
                } else if (nonce < nonces.next()) {
                    nonces.claim(nonce);
                    fill(nonce);
                }
            }
        }

        /** A no-op (0 value to itself) at {@code nonce}, so the transactions after it can be mined. */
        private void fill(long nonce) {
            filling.add(nonce);
            CompletionStage<TxHash> sent = env.price().thenCompose(outcome -> {
                if (!(outcome instanceof FeePricer.Priced priced)) {
                    return CompletableFuture.failedFuture(new IllegalStateException(overCap(outcome)));
                }
                String raw = env.sign(nonce, FILL_GAS, signer.toHex(), "0x", priced.fees());
                return w.client().sendRawTransaction(raw).thenApply(h -> TxHash.fromHex(Hash.sha3(raw)));
            });
            getContext().pipeToSelf(env.within(sent, "filling nonce " + nonce), (h, e) -> new FillSent(nonce, h, e));
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

        // ── intake ───────────────────────────────────────────────────────────────────────────────────

        /** Not in flight, not being prepared, and not waiting out a pre-flight backoff. */
        private boolean admissible(MessageId id) {
            PreflightBackoff wait = backingOff.get(id);
            return !inflight.containsKey(id) && !preparing.contains(id) && (wait == null || !wait.waiting(w.clock().instant()));
        }

        private Behavior<Command> onReady(Ready ready) {
            if (admissible(ready.id())) {
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
                w.metrics().signerBalanceWei.labelValues(w.chainName()).set(read.wei().doubleValue());
                boolean below = w.funds().report(w.chainId(), signer.toHex(), read.wei(), w.signerFloorWei());
                if (below && !belowFloor) {
                    getContext().getLog().error("submitter {} ({}): signer {} holds {} wei, below the floor of {} wei: NO NEW transactions "
                            + "on this chain until it is topped up (those in flight are followed to the end)", w.chainName(), w.chainId(),
                            signer, read.wei(), w.signerFloorWei());
                } else if (!below && belowFloor) {
                    getContext().getLog().warn("submitter {}: signer {} holds {} wei again, above the floor: taking new work",
                            w.chainName(), signer, read.wei());
                }
                belowFloor = below;
                if (!below) {
                    drain();
                }
            } else {
                // the gauge keeps its last value; the next sweep tries again
                getContext().getLog().debug("submitter {}: balance of {} not read: {}", w.chainName(), signer, read.error().toString());
            }
            return this;
        }

        private Behavior<Command> onSweepLoaded(SweepLoaded loaded) {
            sweepRunning = false;
            Map<String, Map<String, Integer>> counts = new HashMap<>();
            for (Transfer t : loaded.open()) {
                counts.computeIfAbsent(t.status().name(), k -> new HashMap<>()).merge(t.route(), 1, Integer::sum);
                switch (t.status()) {
                    case FINALIZED -> w.attester().attest(t);
                    case ATTESTED -> {
                        if (admissible(t.id())) {
                            queue.add(t.id());
                        }
                    }
                    case SUBMITTED -> {
                        if (!inflight.containsKey(t.id()) && t.destinationTx().isPresent()) {
                            // recovered after a restart: track its recorded transaction (raw bytes loaded if it must be resent)
                            inflight.put(t.id(), new Inflight(t, t.destinationTx().get(), new Sender.Recovered(),
                                    new Resend.After(t.updatedAt())));
                        }
                    }
                    default -> { }
                }
            }
            w.metrics().openTransfers(w.chainId(), counts);
            drain();
            return this;
        }

        // ── prepare: load, select signatures, estimate, price ────────────────────────────────────────

        /**
         * Transactions being prepared or in flight: a lone message being prepared, a batch being prepared, or a
         * distinct transaction followed to its receipt ({@code max-in-flight} bounds their sum).
         */
        private int busy() {
            long txs = inflight.values().stream().map(Inflight::txHash).distinct().count();
            return (preparing.size() - preparingBatchIds) + preparingBatches + (int) txs + (planning ? 1 : 0);
        }

        private void drain() {
            if (queue.isEmpty()) {
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
            if (belowFloor) {
                return; // the queue waits for the balance (read on every sweep)
            }
            if (s.batch().enabled() && validatorSet.isPresent()) {
                if (planning || queue.isEmpty() || busy() >= s.maxInFlight()) {
                    return;
                }
                // one planning round at a time: it loads what is queued now and plans it (docs/adr/009)
                List<MessageId> ids = new ArrayList<>();
                for (var it = queue.iterator(); it.hasNext() && ids.size() < PLAN_LIMIT; ) {
                    MessageId id = it.next();
                    it.remove();
                    ids.add(id);
                }
                preparing.addAll(ids);
                preparingBatchIds += ids.size();
                planning = true;
                getContext().pipeToSelf(env.within(batching.load(ids), "loading " + ids.size() + " ready messages"),
                        (l, e) -> new Loaded(e != null ? new BatchPreparation.Loaded(List.of(),
                                ids.stream().map(id -> new BatchPreparation.Refusal(id, rootMessage(e))).toList()) : l));
                return;
            }
            while (!queue.isEmpty() && busy() < s.maxInFlight()) {
                MessageId id = queue.iterator().next();
                queue.remove(id);
                startLone(id);
            }
        }

        private void startLone(MessageId id) {
            preparing.add(id);
            getContext().pipeToSelf(env.within(prepare(id, Optional.empty()), "preparing " + id),
                    (p, e) -> e != null ? new PrepareFailed(id, rootMessage(e)) : p);
        }

        private Behavior<Command> onLoaded(Loaded round) {
            planning = false;
            BatchPreparation.Loaded loaded = round.loaded();
            for (BatchPreparation.Refusal refused : loaded.refused()) {
                preparingBatchIds--;
                onPrepareFailed(new PrepareFailed(refused.id(), refused.reason()));
            }
            GatewayCalldata.ValidatorSet set = validatorSet.orElseThrow();
            // the gateway's 63/64 guard wants this much left before its last handler call: paid in the limit, not in gas used
            long reserve = (handlerGasLimit + ExecuteGasLimit.HANDLER_RESERVE) * 64 / 63 + 1;
            DeliveryGas gas = new DeliveryGas(set.threshold(), set.validators().size(), s.batch().handlerGasEstimate(), reserve);
            DeliveryPlanner.Limits limits = new DeliveryPlanner.Limits(s.batch().maxMessages(), s.maxGasLimit(),
                    w.checkpoints().signers() >= set.threshold());
            Map<MessageId, BatchPreparation.Candidate> byId = new HashMap<>();
            loaded.ready().forEach(r -> byId.put(r.transfer().id(), r));
            List<Delivery> plan = DeliveryPlanner.plan(loaded.ready().stream().map(r -> r.transfer().message()).toList(), alone, limits, gas);
            for (Delivery d : plan) {
                List<BatchPreparation.Candidate> members = d.messages().stream().map(m -> byId.get(m.id())).toList();
                if (d instanceof Delivery.Lone) {
                    preparingBatchIds--; // from here on a lone message, prepared (and counted) as before batching
                    getContext().pipeToSelf(env.within(prepare(members.get(0).transfer().id(), Optional.empty()), "preparing " + d.messages().get(0).id()),
                            (p, e) -> e != null ? new PrepareFailed(members.get(0).transfer().id(), rootMessage(e)) : p);
                } else {
                    preparingBatches++;
                    List<MessageId> ids = members.stream().map(r -> r.transfer().id()).toList();
                    getContext().pipeToSelf(env.within(batching.prepare(d, members, set, gas), "preparing a " + d.path() + " of " + ids.size()),
                            (p, e) -> new BatchPrepared(e != null ? new BatchPreparation.Outcome.Postponed(ids, rootMessage(e)) : p));
                }
            }
            return this;
        }

        private Behavior<Command> onBatchPrepared(BatchPrepared prepared) {
            if (prepared.outcome() instanceof BatchPreparation.Outcome.Ready r) {
                return onPrepared(new Prepared(r.transfers(), r.path(), r.calldata(), r.gasLimit(), r.fees(), Optional.empty()));
            }
            return prepared.outcome() instanceof BatchPreparation.Outcome.Split split ? onBatchSplit(split)
                    : onBatchPostponed((BatchPreparation.Outcome.Postponed) prepared.outcome());
        }

        private void batchResolved(List<MessageId> ids) {
            preparingBatches--;
            preparingBatchIds -= ids.size();
            ids.forEach(preparing::remove);
        }

        private Behavior<Command> onBatchSplit(BatchPreparation.Outcome.Split split) {
            batchResolved(split.ids());
            w.metrics().submissions.labelValues(w.chainName(), "batch_split").inc();
            getContext().getLog().warn("submitter {}: a batch of {} messages cannot go as planned ({}); each goes on its own",
                    w.chainName(), split.ids().size(), split.reason());
            alone.addAll(split.ids());
            queue.addAll(split.ids());
            drain();
            return this;
        }

        private Behavior<Command> onBatchPostponed(BatchPreparation.Outcome.Postponed failed) {
            batchResolved(failed.ids());
            // nothing signed or spent; the transfers stay ATTESTED and the next sweep queues them again
            getContext().getLog().warn("submitter {}: a batch of {} messages not submitted now: {}", w.chainName(), failed.ids().size(),
                    failed.reason());
            drain();
            return this;
        }

        /** An execute of {@code id}, ATTESTED; or, {@code replacing} a dropped transaction, still SUBMITTED with it. */
        private CompletionStage<Command> prepare(MessageId id, Optional<Inflight> replacing) {
            long handlerGas = handlerGasLimit; // read on the actor's thread; the stages below run elsewhere
            return w.transfers().find(id).thenCompose(found -> {
                boolean ready = replacing.isEmpty()
                        ? found.isPresent() && found.get().status() == TransferStatus.ATTESTED
                        : found.isPresent() && found.get().status() == TransferStatus.SUBMITTED
                                && found.get().destinationTx().map(replacing.get().txHash()::equals).orElse(false);
                if (!ready) {
                    return CompletableFuture.completedFuture(new PrepareFailed(id, "not " + replacing.map(r -> "SUBMITTED with " + r.txHash())
                            .orElse("ATTESTED") + " any more: " + found.map(t -> t.status().name()).orElse("unknown")));
                }
                Transfer t = found.get();
                if (w.halted().isHalted(t.message().srcChainId())) {
                    return CompletableFuture.completedFuture(new PrepareFailed(id, haltedReason(t)));
                }
                var digest = w.keys().digest(id, t.message().dstChainId(), w.gateway().toHex());
                return w.attestations().list(id).thenCompose(all -> {
                    // exactly threshold signatures (each extra one costs gas), ordered by signer as the gateway checks
                    List<Attestation> chosen = w.keys().forExecute(digest, all);
                    if (chosen.size() < w.keys().threshold()) {
                        return CompletableFuture.completedFuture(new PrepareFailed(id, "only " + chosen.size() + " valid signatures"));
                    }
                    List<byte[]> signatures = chosen.stream().map(a -> Numeric.hexStringToByteArray(a.signature())).toList();
                    String calldata = ExecuteCall.encode(t.message(), signatures);
                    byte[] bytes = Numeric.hexStringToByteArray(calldata);
                    // within the destination's limits, or never signed: a transaction the node must refuse would hold
                    // its nonce and every later one of this signer (the head gives the block gas limit)
                    return w.client().head().thenCompose(head -> {
                        DeliveryCheck.Verdict verdict = DeliveryCheck.of(bytes, signatures.size(), handlerGas, s.maxGasLimit(), head.gasLimit());
                        if (verdict instanceof DeliveryCheck.Verdict.Blocked blocked) {
                            return CompletableFuture.<Command>completedFuture(new Blocked(t, replacing.isEmpty() ? TransferStatus.ATTESTED
                                    : TransferStatus.SUBMITTED, new TransferEvent.Undeliverable(blocked.obstacle(), blocked.detail())));
                        }
                        return preflightAndPrice(t, calldata, ((DeliveryCheck.Verdict.Fits) verdict).gasLimit(), replacing);
                    });
                });
            });
        }

        private CompletionStage<Command> preflightAndPrice(Transfer t, String calldata, BigInteger gasLimit, Optional<Inflight> replacing) {
            // one eth_call as a pre-flight: a message that would revert (already executed, bad signatures)
            // costs nothing here instead of a mined failure
            CompletionStage<BigInteger> gas = TransferTracing.inTransfer(t.id().toHex(),
                    () -> w.client().call(CallRequest.to(w.gateway(), calldata).from(signer))).thenApply(ok -> gasLimit);
            CompletionStage<Command> priced = gas.thenCombine(env.price(), (limit, outcome) -> outcome instanceof FeePricer.Priced p
                    ? new Prepared(t, calldata, limit, p.fees(), replacing)
                    : new PrepareFailed(t.id(), overCap(outcome)));
            // a pre-flight revert may mean the message was executed already (execute is permissionless); if not, a
            // first submission backs off (a replacement keeps its old handling: the next drop check tries again)
            return priced.exceptionallyCompose(e -> unwrap(e) instanceof ChainRpcException rpc
                    && rpc.kind() == ChainRpcException.Kind.REVERTED
                    ? executedElsewhere(t, replacing).thenApply(seen -> {
                        if (seen.isPresent()) {
                            return seen.get();
                        }
                        if (replacing.isEmpty()) {
                            return new PreflightReverted(t, rpc.revertReason().or(rpc::revertData).orElse(rootMessage(rpc)));
                        }
                        throw new CompletionException(rpc);
                    })
                    : CompletableFuture.failedFuture(unwrap(e)));
        }

        /**
         * If the gateway says the message was executed, the transaction that did it (its {@code MessageExecuted} log,
         * searched back from the head over a bounded range) and its nonce; empty when it was not executed.
         */
        private CompletionStage<Optional<Command>> executedElsewhere(Transfer t, Optional<Inflight> replacing) {
            // the gateway keeps replay state per source route and nonce (ADR 008): asked by the message's fields
            CrossChainMessage m = t.message();
            String status = org.web3j.abi.FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("messageStatus", List.of(
                    new org.web3j.abi.datatypes.generated.Uint256(m.srcChainId()), new org.web3j.abi.datatypes.Address(m.srcGateway()),
                    new org.web3j.abi.datatypes.generated.Uint64(m.nonce()), new org.web3j.abi.datatypes.generated.Bytes32(t.id().bytes())),
                    List.of()));
            return w.client().call(CallRequest.to(w.gateway(), status).from(signer)).thenCompose(hex -> Numeric.toBigInt(hex).signum() == 0
                    ? CompletableFuture.completedFuture(Optional.<Command>empty())
                    : w.client().head().thenCompose(head -> findExecution(t.message(), head.number(), 0)).thenCompose(log -> log.isEmpty()
                            ? CompletableFuture.completedFuture(Optional.<Command>of(nonceUsedByAnother(t, replacing)))
                            : w.client().transactionNonce(log.get().txHash()).thenApply(nonce -> nonce.<Command>map(n ->
                                    new ExecutedElsewhere(t, log.get().txHash(), n, replacing)))));
        }

        /**
         * The route's nonce is executed on the destination but no execution of this id is in sight: parked as
         * UNDELIVERABLE (never sent again: it would revert) with the reason, for an operator.
         */
        private Blocked nonceUsedByAnother(Transfer t, Optional<Inflight> replacing) {
            return new Blocked(t, replacing.isEmpty() ? TransferStatus.ATTESTED : TransferStatus.SUBMITTED,
                    new TransferEvent.Undeliverable(DeliveryObstacle.NONCE_ALREADY_USED, "the gateway on " + w.chainName()
                            + " has nonce " + t.message().nonce() + " of route " + t.route() + " executed, but no execution of "
                            + t.id() + " in the last " + LOOKBACK_WINDOWS * LOOKBACK_BLOCKS + " blocks: another message took "
                            + "the nonce (a source reorg past finality) or it was executed before the lookback"));
        }

        /**
         * The latest execution of {@code m} on the destination within the lookback: its own {@code MessageExecuted} or
         * {@code MessageDelivered}, or a {@code CheckpointExecuted} of its route whose range holds its nonce (ADR 008).
         */
        private CompletionStage<Optional<ChainLog>> findExecution(CrossChainMessage m, long to, int window) {
            if (window >= LOOKBACK_WINDOWS || to < 0) {
                return CompletableFuture.completedFuture(Optional.empty());
            }
            long from = Math.max(0, to - LOOKBACK_BLOCKS + 1);
            CompletionStage<List<ChainLog>> own = w.client().logs(LogFilter.of(w.gateway(), List.of(GatewayEvents.MESSAGE_EXECUTED_TOPIC,
                    GatewayEvents.MESSAGE_DELIVERED_TOPIC), from, to).withTopic1(m.id().toHex()));
            CompletionStage<List<ChainLog>> checkpoints = w.client().logs(LogFilter.of(w.gateway(),
                            List.of(GatewayEvents.CHECKPOINT_EXECUTED_TOPIC), from, to).withTopic1(GatewayEvents.uintTopic(m.srcChainId())))
                    .thenApply(logs -> logs.stream().filter(l -> GatewayEvents.checkpointCovers(l, w.gateway(), m)).toList());
            return own.thenCombine(checkpoints, (a, b) -> {
                        List<ChainLog> all = new ArrayList<>(a);
                        all.addAll(b);
                        all.sort(Comparator.comparingLong(ChainLog::blockNumber));
                        return all;
                    })
                    .thenCompose(logs -> logs.isEmpty() ? findExecution(m, from - 1, window + 1)
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
            backingOff.remove(id);
            w.metrics().submissions.labelValues(w.chainName(), "executed_elsewhere").inc();
            getContext().getLog().warn("transfer {}: already executed on {} by transaction {} (not one this node is tracking); "
                    + "recording it", id, w.chainName(), seen.txHash());
            // never rebroadcast (not ours to send), followed by its receipt
            Inflight observed = new Inflight(seen.transfer(), seen.txHash(), new Sender.Observed(seen.nonce()), Resend.Fixed.NEVER);
            inflight.put(id, observed);
            // ATTESTED: SUBMITTED with it; SUBMITTED with a dropped transaction of ours: that one replaced by it
            CompletionStage<TransitionOutcome> recorded = seen.replacing().isEmpty()
                    ? w.transfers().transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(seen.txHash(), seen.nonce()), w.clock().instant())
                    : w.transfers().transition(id, TransferStatus.SUBMITTED, new TransferEvent.Replaced(seen.txHash(), seen.nonce()), w.clock().instant());
            getContext().pipeToSelf(env.within(recorded, "recording the execution of " + id), (o, e) -> new ObservedRecorded(observed, o, e));
            return this;
        }

        private Behavior<Command> onObservedRecorded(ObservedRecorded recorded) {
            if (recorded.error() != null || !carries(recorded.outcome(), recorded.tx().txHash())) {
                MessageId id = recorded.tx().transfer().id();
                if (recorded.tx().sameTx(inflight.get(id))) {
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

        // ── undeliverable: over a limit, rejected for good, or a pre-flight that keeps reverting ──────

        private Behavior<Command> onBlocked(Blocked blocked) {
            MessageId id = blocked.transfer().id();
            preparing.remove(id);
            replacing.remove(id);
            if (blocked.from() == TransferStatus.SUBMITTED) {
                inflight.remove(id); // the dropped transaction it replaced holds no nonce of ours any more
            }
            recordUndeliverable(blocked.transfer(), blocked.from(), blocked.event());
            drain();
            return this;
        }

        private Behavior<Command> onPreflightReverted(PreflightReverted reverted) {
            Transfer t = reverted.transfer();
            preparing.remove(t.id());
            Optional<PreflightBackoff> next = PreflightBackoff.after(Optional.ofNullable(backingOff.get(t.id())), w.clock().instant());
            if (next.isPresent()) {
                backingOff.put(t.id(), next.get());
                getContext().getLog().warn("transfer {} to {}: pre-flight reverted ({}), attempt {} of {}; not prepared again before {}",
                        t.id(), w.chainName(), reverted.reason(), next.get().failures(), PreflightBackoff.MAX_ATTEMPTS, next.get().notBefore());
            } else {
                backingOff.remove(t.id());
                recordUndeliverable(t, TransferStatus.ATTESTED, new TransferEvent.Undeliverable(DeliveryObstacle.PREFLIGHT_KEEPS_REVERTING,
                        "pre-flight eth_call reverted " + PreflightBackoff.MAX_ATTEMPTS + " times: " + reverted.reason()));
            }
            drain();
            return this;
        }

        /**
         * The node refused our transaction at {@code nonce} for good (SUBMITTED with it): it is never sent again, its nonce
         * is filled with a no-op at once (a recorded transaction's nonce never goes to another transaction: ADR 004), and
         * the transfer is UNDELIVERABLE. Were the fill lost, the nonce check fills it: its transfer is neither SUBMITTED
         * nor ATTESTED any more.
         */
        private Behavior<Command> onRejectedByNode(Inflight tx, long nonce, String reason) {
            MessageId id = tx.transfer().id();
            if (tx.sameTx(inflight.get(id))) {
                inflight.remove(id);
            }
            w.metrics().submissions.labelValues(w.chainName(), "rejected_by_node").inc();
            getContext().getLog().warn("transfer {}: {} (nonce {}) rejected by {} for good: {}; filling the nonce", id, tx.txHash(),
                    nonce, w.chainName(), reason);
            if (!filling.contains(nonce)) {
                fill(nonce);
            }
            recordUndeliverable(tx.transfer(), TransferStatus.SUBMITTED,
                    new TransferEvent.Undeliverable(DeliveryObstacle.REJECTED_BY_NODE, "node refused " + tx.txHash() + ": " + reason));
            drain();
            return this;
        }

        private void recordUndeliverable(Transfer t, TransferStatus from, TransferEvent.Undeliverable event) {
            getContext().pipeToSelf(env.within(w.transfers().transition(t.id(), from, event, w.clock().instant()),
                            "recording " + t.id() + " undeliverable"),
                    (o, e) -> new UndeliverableRecorded(t, event, o, e));
        }

        private Behavior<Command> onUndeliverableRecorded(UndeliverableRecorded r) {
            Transfer t = r.transfer();
            if (r.error() != null || !(r.outcome() instanceof TransitionOutcome.Applied)) {
                // moved on meanwhile, or the write failed: a replay is quiet (logged once), a failure is found by the sweep
                if (r.error() != null || !(r.outcome() instanceof TransitionOutcome.AlreadyApplied)) {
                    getContext().getLog().warn("transfer {}: could not record it UNDELIVERABLE ({}): {}", t.id(), r.event().reason(),
                            r.error() != null ? rootMessage(r.error()) : r.outcome());
                }
                return this;
            }
            alone.remove(t.id());
            w.metrics().transfersUndeliverable.labelValues(t.route(), r.event().obstacle().label()).inc();
            w.tracing().outcome(t, TransferStatus.UNDELIVERABLE, w.clock().instant(), r.event().reason());
            w.metrics().transfersCompleted.labelValues(TransferStatus.UNDELIVERABLE.name(), t.route()).inc();
            getContext().getLog().error("transfer {} ({}) is UNDELIVERABLE to {}: {}. No nonce holds it; an operator may retry it "
                    + "once the cause is fixed", t.id(), t.route(), w.chainName(), r.event().reason());
            return this;
        }

        // ── sign, persist, broadcast ─────────────────────────────────────────────────────────────────

        private Behavior<Command> onPrepared(Prepared p) {
            List<MessageId> ids = p.transfers().stream().map(Transfer::id).toList();
            boolean batch = ids.size() > 1;
            Optional<Transfer> halted = p.transfers().stream().filter(t -> w.halted().isHalted(t.message().srcChainId())).findFirst();
            if (halted.isPresent()) {
                // halted while it was being prepared: no transaction is signed for it
                if (batch) {
                    return onBatchPostponed(new BatchPreparation.Outcome.Postponed(ids, haltedReason(halted.get())));
                }
                return onPrepareFailed(new PrepareFailed(ids.get(0), haltedReason(halted.get())));
            }
            if (batch) {
                batchResolved(ids);
            } else {
                preparing.remove(ids.get(0));
            }
            ids.forEach(id -> {
                replacing.remove(id);
                backingOff.remove(id);
                alone.remove(id);
            });
            long nonce = nonces.take();
            String raw = env.sign(nonce, p.gasLimit(), w.gateway().toHex(), p.calldata(), p.fees());
            TxHash hash = TxHash.fromHex(Hash.sha3(raw));
            // legacy fees are recorded as both fields (max fee = tip = the gas price)
            Submission record = new Submission(w.chainId(), signer, nonce, hash, ids, p.fees().maxFee(),
                    p.fees().maxTip(), p.gasLimit().longValue(), w.clock().instant(), null, raw);
            p.replacing().ifPresent(old -> {
                w.metrics().submissions.labelValues(w.chainName(), "replaced_dropped").inc();
                getContext().getLog().warn("transfer {}: its transaction {} (nonce {}) can never be mined (the nonce was used by "
                        + "another transaction); replaced by {} at nonce {}", ids.get(0), old.txHash(), old.nonceText(), hash, nonce);
            });
            if (batch) {
                batches.put(hash, ids.size());
                CrossChainMessage first = p.first().message();
                getContext().getLog().info("submitter {}: {} of {} messages of route {} (nonces {}..{}) in {} at nonce {}, gas limit {}",
                        w.chainName(), p.path(), ids.size(), p.first().route(), first.nonce(),
                        p.transfers().get(ids.size() - 1).message().nonce(), hash, nonce, p.gasLimit());
            }
            w.metrics().deliveryBatchMessages.labelValues(w.chainName(), p.path()).observe(ids.size());
            attempts.put(nonce, NonceAttempts.first(record, p.fees(), p.calldata(), p.gasLimit()));
            persistAndBroadcast(p.transfers(), nonce, hash, raw, w.submissions().record(record),
                    p.replacing().isEmpty() ? TransferStatus.ATTESTED : TransferStatus.SUBMITTED,
                    p.replacing().isEmpty() ? new TransferEvent.Submitted(hash, nonce) : new TransferEvent.Replaced(hash, nonce));
            return this;
        }

        /**
         * After {@code recorded}: persist each transfer's move to the transaction, then broadcast it once (ADR 004's
         * order; a batch's transfers move together, docs/adr/009).
         */
        private void persistAndBroadcast(List<Transfer> ts, long nonce, TxHash hash, String raw, CompletionStage<Void> recorded,
                                         TransferStatus from, TransferEvent event) {
            List<Inflight> flights = new ArrayList<>();
            for (Transfer t : ts) {
                Inflight flight = Inflight.signed(t, nonce, hash, Optional.ofNullable(raw), new Resend.After(w.clock().instant()));
                inflight.put(t.id(), flight);
                flights.add(flight);
            }
            List<MessageId> ids = ts.stream().map(Transfer::id).toList();
            CompletionStage<SendResult> result = recorded.handle((ok, e) -> e)
                    .thenCompose(recordFailed -> recordFailed != null
                            ? CompletableFuture.completedFuture(notRecorded(unwrap(recordFailed)))
                            : persistThenSend(ids, from, event, hash, raw));
            getContext().pipeToSelf(env.within(result, "submitting " + hash),
                    (r, e) -> new Broadcast(List.copyOf(flights), e != null ? new SendResult.NotSent(e) : r));
        }

        /** A failed record write: certainly not written, or perhaps written (a timeout), so perhaps adopted later. */
        private static SendResult notRecorded(Throwable cause) {
            return cause instanceof StoreException store && !store.outcomeUnknown()
                    ? new SendResult.NothingRecorded(cause) : new SendResult.NotSent(cause);
        }

        private CompletionStage<SendResult> persistThenSend(List<MessageId> ids, TransferStatus from, TransferEvent event, TxHash hash,
                                                            String raw) {
            Instant now = w.clock().instant();
            List<CompletableFuture<Object>> moves = ids.stream().map(id -> w.transfers().transition(id, from, event, now)
                    .<Object>handle((outcome, e) -> e != null ? unwrap(e) : outcome).toCompletableFuture()).toList();
            return CompletableFuture.allOf(moves.toArray(CompletableFuture[]::new)).thenCompose(x -> {
                Set<MessageId> notCarried = new HashSet<>();
                Throwable unknown = null;
                String rejected = null;
                for (int i = 0; i < ids.size(); i++) {
                    Object r = moves.get(i).join();
                    if (r instanceof TransitionOutcome outcome && carries(outcome, hash)) {
                        continue;
                    }
                    notCarried.add(ids.get(i));
                    if (r instanceof Throwable cause && !(cause instanceof TransitionRejectedException)) {
                        unknown = cause; // a failed write may have landed: the receipt poll finds out
                    } else {
                        rejected = r instanceof Throwable cause ? cause.getMessage()
                                : "transfer " + ids.get(i) + " moved away from " + from + ": " + r;
                    }
                }
                if (notCarried.size() == ids.size()) {
                    // nothing carries it: never sent (a rejected move never happens; a failed write may have landed)
                    return CompletableFuture.<SendResult>completedFuture(unknown != null ? new SendResult.NotSent(unknown)
                            : new SendResult.NotPersisted(rejected));
                }
                // some transfer is SUBMITTED with it: the transaction must exist (those that moved away are let go)
                // a span of the first transfer's trace (a batch's transaction belongs to all of them; its size is on the submit span)
                return TransferTracing.inTransfer(ids.get(0).toHex(), () -> w.client().sendRawTransaction(raw)).<SendResult>handle((h, sendError) -> sendError == null
                        ? new SendResult.Sent(Set.copyOf(notCarried)) : new SendResult.NotSent(unwrap(sendError)));
            });
        }

        private Behavior<Command> onBroadcast(Broadcast b) {
            Inflight any = b.txs().get(0);
            long nonce = any.heldNonce().orElseThrow();
            String who = b.txs().size() == 1 ? "transfer " + any.transfer().id() : "batch of " + b.txs().size();
            if (b.result() instanceof SendResult.Sent sent) {
                w.metrics().submissions.labelValues(w.chainName(), "broadcast").inc();
                for (Inflight tx : b.txs()) {
                    MessageId id = tx.transfer().id();
                    if (sent.notCarried().contains(id)) {
                        if (tx.sameTx(inflight.get(id))) {
                            inflight.remove(id); // it moved away before the batch was sent: not ours to follow
                        }
                        continue;
                    }
                    Instant sentAt = tx.resend() instanceof Resend.After after ? after.lastSent() : w.clock().instant();
                    w.tracing().stage(id.toHex(), tx.transfer().route(), "submit",
                            tx.transfer().stageTime(TransferStatus.ATTESTED).orElse(sentAt), w.clock().instant(),
                            Attributes.builder().put("courier.tx_hash", tx.txHash().toHex()).put("courier.nonce", nonce)
                                    .put("courier.batch_messages", b.txs().size()).build(), true);
                }
            } else if (b.result() instanceof SendResult.NothingRecorded nothing) {
                // nothing recorded, nothing sent: the nonce was not used, the next transaction takes it
                forget(b.txs());
                nonces.giveBack(nonce);
                getContext().getLog().warn("{}: recording {} (nonce {}) failed, nonce given back: {}", who, any.txHash(),
                        nonce, rootMessage(nothing.cause()));
                drain();
            } else if (b.result() instanceof SendResult.NotPersisted notPersisted) {
                forget(b.txs());
                unsent.add(nonce);
                getContext().getLog().warn("{}: {} (nonce {}) not sent: {}; the nonce check adopts or fills the nonce",
                        who, any.txHash(), nonce, notPersisted.reason());
                drain();
            } else if (b.result() instanceof SendResult.NotSent notSent) {
                if (unwrap(notSent.cause()) instanceof ChainRpcException rpc && rpc.kind() == ChainRpcException.Kind.ALREADY_KNOWN) {
                    return this; // the node has it: fine
                }
                if (unwrap(notSent.cause()) instanceof ChainRpcException rpc && rpc.kind() == ChainRpcException.Kind.TX_REJECTED) {
                    b.txs().forEach(tx -> onRejectedByNode(tx, nonce, rootMessage(rpc))); // sending it again cannot help
                    return this;
                }
                // persisted as SUBMITTED (or perhaps) but the broadcast failed (transient RPC error, nonce clash):
                // the receipt poll sends it again
                w.metrics().submissions.labelValues(w.chainName(), "broadcast_failed").inc();
                getContext().getLog().warn("{}: broadcast of {} (nonce {}) failed, will retry: {}", who, any.txHash(), nonce,
                        unwrap(notSent.cause()).toString());
                for (Inflight tx : b.txs()) {
                    if (tx.sameTx(inflight.get(tx.transfer().id()))) {
                        inflight.put(tx.transfer().id(), tx.with(Resend.Fixed.NEXT_POLL));
                    }
                }
            }
            return this;
        }

        /** Stops following these entries (when each is still the one followed for its transfer). */
        private void forget(List<Inflight> txs) {
            for (Inflight tx : txs) {
                if (tx.sameTx(inflight.get(tx.transfer().id()))) {
                    inflight.remove(tx.transfer().id());
                }
            }
        }

        // ── receipts ─────────────────────────────────────────────────────────────────────────────────

        /** One round at a time: the next starts only when every poll of this one has completed (or failed). */
        private Behavior<Command> onPollReceipts() {
            if (receiptRound.isPresent() || inflight.isEmpty()) {
                return this;
            }
            long round = ++receiptRounds;
            receiptRound = Optional.of(new ReceiptRound(round, -1));
            List<Inflight> snapshot = List.copyOf(inflight.values());
            getContext().pipeToSelf(env.within(w.client().head().thenApply(h -> h.number()), "head of " + w.chainName()),
                    (h, e) -> new HeadRead(round, snapshot, h == null ? -1 : h, e));
            return this;
        }

        private Behavior<Command> onHeadRead(HeadRead read) {
            if (receiptRound.isEmpty() || receiptRound.get().id() != read.round()) {
                return this;
            }
            if (read.error() != null) {
                receiptRound = Optional.empty();
                getContext().getLog().warn("submitter {}: receipts failed: {}", w.chainName(), rootMessage(read.error()));
                return this;
            }
            // one receipt per transaction, for every transfer it carries
            Map<TxHash, List<Inflight>> byTx = new java.util.LinkedHashMap<>();
            read.snapshot().forEach(tx -> byTx.computeIfAbsent(tx.txHash(), h -> new ArrayList<>()).add(tx));
            byTx.forEach((hash, txs) -> getContext().pipeToSelf(env.within(TransferTracing.inTransfer(txs.get(0).transfer().id().toHex(),
                            () -> receiptOfAny(attemptsOf(hash, txs.get(0)))), "receipt of " + hash),
                    (r, e) -> new ReceiptChecked(read.round(), List.copyOf(txs), r == null ? Optional.empty() : r, read.head(), e)));
            receiptRound = byTx.isEmpty() ? Optional.empty() : Optional.of(new ReceiptRound(read.round(), byTx.size()));
            return this;
        }

        /** The hashes a transaction's receipt may come under: every attempt at its nonce (fee bumps), newest first. */
        private List<TxHash> attemptsOf(TxHash hash, Inflight tx) {
            OptionalLong nonce = tx.heldNonce();
            NonceAttempts a = nonce.isPresent() ? attempts.get(nonce.getAsLong()) : null;
            return a != null && a.hashes().contains(hash) ? a.newestFirst() : List.of(hash);
        }

        /** The first receipt among {@code hashes}, asked in order; touches no actor state. */
        private CompletionStage<Optional<TxReceipt>> receiptOfAny(List<TxHash> hashes) {
            CompletionStage<Optional<TxReceipt>> found = w.client().receipt(hashes.get(0));
            for (TxHash next : hashes.subList(1, hashes.size())) {
                found = found.thenCompose(r -> r.isPresent() ? CompletableFuture.completedFuture(r) : w.client().receipt(next));
            }
            return found;
        }

        private Behavior<Command> onReceiptChecked(ReceiptChecked checked) {
            receiptRound.filter(r -> r.id() == checked.round()).ifPresent(r ->
                    receiptRound = r.outstanding() <= 1 ? Optional.empty() : Optional.of(new ReceiptRound(r.id(), r.outstanding() - 1)));
            if (checked.error() != null) {
                return this;
            }
            // the transfers still followed with this transaction, as their entries are now
            List<Inflight> members = new ArrayList<>();
            for (Inflight tx : checked.txs()) {
                Inflight current = inflight.get(tx.transfer().id());
                if (current == tx || tx.sameTx(current)) {
                    members.add(current);
                }
            }
            if (members.isEmpty()) {
                return this;
            }
            TxHash hash = members.get(0).txHash();
            OptionalLong heldNonce = members.get(0).heldNonce();
            if (checked.receipt().isEmpty()) {
                // the entries as they are now: a failed broadcast since the snapshot asks for a resend at this poll
                if (members.stream().anyMatch(m -> m.resendDue(w.clock().instant(), s.rebroadcastAfter()))) {
                    rebroadcast(members);
                }
                NonceAttempts a = heldNonce.isPresent() ? attempts.get(heldNonce.getAsLong()) : null;
                if (a != null && a.newest().equals(hash)) {
                    a = a.seenUnminedAt(checked.head());
                    attempts.put(a.nonce(), a);
                    if (a.bumpDue(checked.head(), w.fees())) {
                        startBump(a, checked.head());
                    }
                }
                return this;
            }
            TxReceipt receipt = checked.receipt().get();
            // the attempt that was mined (a bump's predecessor may win the race): its hash is what was delivered by
            hash = receipt.txHash();
            long confirmations = checked.head() - receipt.blockNumber() + 1;
            if (confirmations < s.destinationConfirmations()) {
                return this;
            }
            members.forEach(m -> inflight.put(m.transfer().id(), m.with(Resend.Fixed.NEVER)));
            heldNonce.ifPresent(n -> {
                NonceAttempts done = attempts.remove(n);
                if (done != null && done.exhausted()) {
                    publishExhausted();
                }
            });
            if (receipt.gasUsed() != null) {
                w.metrics().gasUsed.labelValues(w.chainName()).inc(receipt.gasUsed().doubleValue());
            }
            receipt.feePaid().ifPresent(f -> w.metrics().gasSpentWei.labelValues(w.chainName()).inc(f.doubleValue()));
            Integer carried = batches.remove(members.get(0).txHash());
            if (carried != null && receipt.gasUsed() != null) {
                getContext().getLog().info("submitter {}: {} mined in block {}: {} messages, gas used {} ({} a message){}", w.chainName(),
                        hash, receipt.blockNumber(), carried, receipt.gasUsed(), receipt.gasUsed().divide(BigInteger.valueOf(carried)),
                        receipt.succeeded() ? "" : ", REVERTED");
            }
            if (!receipt.succeeded() && carried != null && carried > 1) {
                // the whole batch reverted, so none of its messages was executed: each goes again on its own
                // (a replacement at a new nonce; its pre-flight finds one executed meanwhile), never FAILED for another's fault
                w.metrics().submissions.labelValues(w.chainName(), "batch_reverted").inc();
                getContext().getLog().warn("submitter {}: batch {} of {} messages reverted ({}); each is sent again on its own",
                        w.chainName(), hash, carried, receipt.revertReasonIfGiven().orElse("no reason given"));
                for (Inflight m : members) {
                    alone.add(m.transfer().id());
                    onDropped(new Dropped(inflight.get(m.transfer().id())));
                }
                return this;
            }
            for (Inflight current : members) {
                ExecutionOutcome outcome = ExecutionOutcome.of(receipt, current.transfer().message(), w.gateway());
                TransferEvent event;
                if (outcome instanceof ExecutionOutcome.RecipientReverted r) {
                    event = new TransferEvent.ExecutionFailed("recipient reverted: " + r.revertData(), hash);
                } else if (outcome instanceof ExecutionOutcome.TransactionReverted r) {
                    event = new TransferEvent.ExecutionFailed(r.reason(), hash);
                } else {
                    event = new TransferEvent.Delivered(hash, receipt.blockNumber());
                }
                Inflight recording = inflight.get(current.transfer().id());
                getContext().pipeToSelf(env.within(recordOutcome(recording, event), "recording the outcome of " + hash),
                        (o, e) -> new Finished(recording, o instanceof TransitionOutcome.Applied a ? a.updated().status() : null, e));
            }
            return this;
        }

        // ── fee bumps: the same nonce, both fees raised, bounded (docs/adr/004, "Fees and bumps") ─────────

        private void startBump(NonceAttempts a, long head) {
            attempts.put(a.nonce(), a.bumping(true));
            getContext().pipeToSelf(env.within(env.market().thenApply(m -> FeeBump.next(a.fees(), m, a.bumps(), w.fees())),
                            "pricing a replacement at nonce " + a.nonce()),
                    (outcome, e) -> new BumpDecided(a.nonce(), head, outcome, e));
        }

        private Behavior<Command> onBumpDecided(BumpDecided decided) {
            NonceAttempts a = attempts.get(decided.nonce());
            if (a == null || !a.bumping()) {
                return this; // mined meanwhile
            }
            if (decided.error() != null) {
                attempts.put(a.nonce(), a.bumping(false)); // the next receipt round asks again
                getContext().getLog().warn("submitter {}: replacement at nonce {} not priced: {}", w.chainName(), a.nonce(),
                        rootMessage(decided.error()));
                return this;
            }
            if (decided.outcome() instanceof FeeBump.NotNeeded) {
                attempts.put(a.nonce(), a.waitFrom(decided.head()));
                return this;
            }
            if (decided.outcome() instanceof FeeBump.Exhausted exhausted) {
                attempts.put(a.nonce(), a.exhaust());
                publishExhausted();
                getContext().getLog().error("submitter {}: transaction {} at nonce {} is still unmined after {} replacement(s) and is LEFT "
                        + "ALONE ({}: {}); raise this chain's fees caps or max-bumps, or wait for the market to fall", w.chainName(),
                        a.newest(), a.nonce(), a.bumps(), exhausted.reason(), exhausted.detail());
                return this;
            }
            Fees fees = ((FeeBump.Replace) decided.outcome()).fees();
            List<Inflight> members = inflight.values().stream().filter(f -> a.hashes().contains(f.txHash())
                    && f.heldNonce().isPresent() && f.heldNonce().getAsLong() == a.nonce()).toList();
            if (members.isEmpty()) {
                attempts.put(a.nonce(), a.bumping(false));
                return this;
            }
            String raw = env.sign(a.nonce(), a.gasLimit(), w.gateway().toHex(), a.calldata(), fees);
            TxHash hash = TxHash.fromHex(Hash.sha3(raw));
            Submission replacement = new Submission(w.chainId(), signer, a.nonce(), hash, a.current().messageIds(), fees.maxFee(),
                    fees.maxTip(), a.gasLimit().longValue(), w.clock().instant(), null, raw);
            attempts.put(a.nonce(), a.replacedBy(replacement, fees));
            Integer carried = batches.remove(a.newest());
            if (carried != null) {
                batches.put(hash, carried);
            }
            for (Inflight m : members) {
                inflight.put(m.transfer().id(), Inflight.signed(m.transfer(), a.nonce(), hash, Optional.of(raw), new Resend.After(w.clock().instant())));
            }
            getContext().getLog().warn("submitter {}: {} at nonce {} unmined {} blocks after it was first seen; replacing it with {} "
                    + "(bump {} of {}): {} -> {}", w.chainName(), a.newest(), a.nonce(), w.fees().bumpAfterBlocks(), hash, a.bumps() + 1,
                    w.fees().maxBumps(), a.fees(), fees);
            // ADR 004's order: the replacement's record, the transfers' move to it, then the broadcast
            List<MessageId> ids = members.stream().map(m -> m.transfer().id()).toList();
            CompletionStage<SendResult> result = w.submissions().replace(a.current(), replacement).handle((ok, e) -> e)
                    .thenCompose(recordFailed -> recordFailed != null
                            ? CompletableFuture.completedFuture(notRecorded(unwrap(recordFailed)))
                            : persistThenSend(ids, TransferStatus.SUBMITTED, new TransferEvent.Replaced(hash, a.nonce()), hash, raw));
            NonceAttempts before = a.bumping(false);
            getContext().pipeToSelf(env.within(result, "replacing " + a.newest()),
                    (r, e) -> new BumpSent(before, members, hash, e != null ? new SendResult.NotSent(e) : r));
            return this;
        }

        private Behavior<Command> onBumpSent(BumpSent sent) {
            long nonce = sent.before().nonce();
            if (sent.result() instanceof SendResult.Sent) {
                w.metrics().feeBumps.labelValues(w.chainName()).inc();
                return this;
            }
            NonceAttempts now = attempts.get(nonce);
            boolean stillOurs = now != null && now.newest().equals(sent.replacement());
            if (stillOurs && (sent.result() instanceof SendResult.NothingRecorded || sent.result() instanceof SendResult.NotPersisted)) {
                // the replacement never became anyone's transaction: follow the previous one again, bump again later
                attempts.put(nonce, sent.before().waitFrom(now.sentAtBlock().orElse(0)));
                for (Inflight m : sent.entriesBefore()) {
                    Inflight current = inflight.get(m.transfer().id());
                    if (current != null && current.txHash().equals(sent.replacement())) {
                        inflight.put(m.transfer().id(), m);
                    }
                }
            }
            // NotSent: recorded (perhaps) and carried; the receipt poll rebroadcasts it
            getContext().getLog().warn("submitter {}: replacement {} at nonce {} not sent: {}", w.chainName(), sent.replacement(), nonce,
                    sent.result());
            return this;
        }

        /** {@code courier_fee_bumps_exhausted}: transactions of this chain left alone at their last bump or the cap, unmined. */
        private void publishExhausted() {
            w.metrics().feeBumpsExhausted.labelValues(w.chainName()).set(attempts.values().stream().filter(NonceAttempts::exhausted).count());
        }

        /**
         * SUBMITTED → the outcome. A transfer still ATTESTED here had its SUBMITTED write fail with an unknown outcome
         * (a timeout) after the transaction was recorded: the mined transaction is ours, so SUBMITTED is written first.
         */
        private CompletionStage<TransitionOutcome> recordOutcome(Inflight tx, TransferEvent event) {
            MessageId id = tx.transfer().id();
            Instant now = w.clock().instant();
            return w.transfers().transition(id, TransferStatus.SUBMITTED, event, now).thenCompose(outcome ->
                    outcome instanceof TransitionOutcome.Conflict c && c.actual() == TransferStatus.ATTESTED && tx.heldNonce().isPresent()
                            ? w.transfers().transition(id, TransferStatus.ATTESTED, new TransferEvent.Submitted(tx.txHash(), tx.heldNonce().getAsLong()), now)
                                    .thenCompose(x -> w.transfers().transition(id, TransferStatus.SUBMITTED, event, now))
                            : CompletableFuture.completedFuture(outcome));
        }

        /**
         * Sends the transaction again. If its nonce turns out to be used by another transaction (the node says "nonce
         * too low", or its record is below the chain's mined nonce) and it still has no receipt, it can never be mined:
         * {@link Dropped} has it replaced at a new nonce.
         */
        private void rebroadcast(List<Inflight> members) {
            List<Inflight> sentAgain = members.stream().map(m -> m.sentAgain(w.clock().instant())).toList();
            sentAgain.forEach(m -> inflight.put(m.transfer().id(), m));
            Inflight tx = members.get(0);
            // a recovered transaction's raw bytes are in its record, which is listed from the mined nonce on
            Optional<String> known = members.stream().map(m -> m.sender() instanceof Sender.Signed signed ? signed.raw() : Optional.<String>empty())
                    .flatMap(Optional::stream).findFirst();
            CompletionStage<Optional<String>> raw = known.isPresent()
                    ? CompletableFuture.completedFuture(known)
                    : w.client().nonce(signer, false).thenCompose(mined -> w.submissions().list(w.chainId(), signer, mined, 1_000))
                            .thenApply(subs -> subs.stream().filter(sub -> sub.txHash().equals(tx.txHash()))
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
                            if (rpc.kind() == ChainRpcException.Kind.TX_REJECTED) {
                                // never sent again; the nonce is read from the transaction itself (a recovered one has it only there)
                                throw new RejectedForGood(TransactionDecoder.decode(r.get()).getNonce().longValueExact(), rootMessage(rpc));
                            }
                        }
                        throw new CompletionException(unwrap(e));
                    }));
            CompletionStage<Boolean> dropped = nonceUsed.thenCompose(used -> used
                    ? w.client().receipt(tx.txHash()).thenApply(Optional::isEmpty)
                    : CompletableFuture.completedFuture(false));
            getContext().pipeToSelf(env.within(dropped, "rebroadcast of " + tx.txHash()),
                    (d, e) -> unwrap(e) instanceof RejectedForGood rejected
                            ? new Rebroadcast(sentAgain, false, Optional.of(rejected), null)
                            : new Rebroadcast(sentAgain, Boolean.TRUE.equals(d), Optional.empty(), e));
            getContext().getLog().info("{}: no receipt for {} yet, broadcast again", members.size() == 1 ? "transfer " + tx.transfer().id()
                    : "batch of " + members.size(), tx.txHash());
        }

        private Behavior<Command> onRebroadcast(Rebroadcast r) {
            if (r.error() != null) {
                getContext().getLog().warn("submitter {}: rebroadcast {} failed: {}", w.chainName(), r.txs().get(0).txHash(), rootMessage(r.error()));
                return this;
            }
            for (Inflight tx : r.txs()) {
                if (r.rejected().isPresent()) {
                    if (tx.sameTx(inflight.get(tx.transfer().id()))) {
                        onRejectedByNode(tx, r.rejected().get().nonce, r.rejected().get().getMessage());
                    }
                } else if (r.dropped()) {
                    onDropped(new Dropped(tx));
                }
            }
            return this;
        }

        private Behavior<Command> onDropped(Dropped dropped) {
            MessageId id = dropped.tx().transfer().id();
            Inflight current = inflight.get(id);
            if (!dropped.tx().sameTx(current) || replacing.contains(id)) {
                return this;
            }
            replacing.add(id);
            // the pre-flight eth_call in prepare() is the last guard: if the message was executed after all, it reverts
            getContext().pipeToSelf(env.within(prepare(id, Optional.of(current)), "replacing " + current.txHash()),
                    (p, e) -> e != null ? new PrepareFailed(id, rootMessage(e)) : p);
            return this;
        }

        private Behavior<Command> onFinished(Finished f) {
            Inflight tx = f.tx();
            MessageId id = tx.transfer().id();
            inflight.remove(id);
            alone.remove(id);
            if (f.error() != null) {
                getContext().getLog().warn("transfer {}: recording the outcome of {} failed, will re-check: {}", id, tx.txHash(), f.error().toString());
                // followed again from the next poll; someone else's transaction is still never sent
                inflight.put(id, tx.sender() instanceof Sender.Observed ? tx : tx.sentAgain(w.clock().instant()));
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
                    w.tracing().outcome(t, f.status(), now, null);
                } else {
                    getContext().getLog().warn("transfer {}: FAILED on {} in {}", id, w.chainName(), tx.txHash());
                    w.tracing().outcome(t, f.status(), now, "failed in " + tx.txHash());
                }
            }
            drain();
            return this;
        }

        private Behavior<Command> onStepFailed(StepFailed failed) {
            switch (failed.step()) {
                case SWEEP -> sweepRunning = false;
                case NONCE_CHECK -> nonceCheckRunning = false;
                case LOAD_NONCE -> { } // a late reply to the loading phase
            }
            getContext().getLog().warn("submitter {}: {} failed: {}", w.chainName(), failed.step().text, rootMessage(failed.error()));
            return this;
        }

    }

    private static String haltedReason(Transfer t) {
        return "source chain " + t.message().srcChainId() + " is halted: not delivered until an operator resumes it";
    }

    private static String describe(NonceRecovery.Plan plan) {
        StringBuilder out = new StringBuilder();
        for (NonceRecovery.Step step : plan.steps()) {
            out.append(out.length() == 0 ? "" : ", ").append(step.nonce()).append(' ').append(step.getClass().getSimpleName().toLowerCase());
        }
        return out.toString();
    }

    /** Why nothing is sent now: the market needs more than the chain's cap (checked again at the next attempt). */
    static String overCap(FeePricer.Outcome outcome) {
        FeePricer.OverCap over = (FeePricer.OverCap) outcome;
        return "the market needs " + over.needed() + " wei per gas, above this chain's cap of " + over.cap()
                + " (fees.max-fee-per-gas-gwei); nothing is sent until it falls or the cap is raised";
    }

    /** The write moved the transfer to carry {@code txHash}, now or in an earlier attempt (a replay). */
    private static boolean carries(TransitionOutcome outcome, TxHash txHash) {
        return outcome instanceof TransitionOutcome.Applied
                || outcome instanceof TransitionOutcome.AlreadyApplied done
                && done.current().destinationTx().map(txHash::equals).orElse(false);
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = unwrap(e);
        return t.getMessage() == null ? t.toString() : t.getMessage();
    }
}
