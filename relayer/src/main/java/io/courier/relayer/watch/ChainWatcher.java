package io.courier.relayer.watch;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.LogScanner;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.TxReceipt;
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
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.handoff.AttestRequests;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusBoard;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.common.Attributes;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
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
 * The window travels with the cycle and comes back in its result, so only one thread touches it at a time.
 */
public final class ChainWatcher extends AbstractBehavior<ChainWatcher.Command> {

    // futures complete off the actor's thread, where getContext().getLog() must not be used
    private static final Logger log = LoggerFactory.getLogger(ChainWatcher.class);
    private static final int MAX_FORK_WALK_ROUNDS = 64;
    private static final Duration CYCLE_DEADLINE = Duration.ofSeconds(90);

    public sealed interface Command {}

    private enum Tick implements Command { INSTANCE }

    private enum LoadCursor implements Command { INSTANCE }

    private record CursorLoaded(long lastScanned, long finalizedHeight, boolean halted, String haltReason) implements Command {}

    private record CycleDone(BlockHeader head, CanonicalWindow window, long scannedTo, long finalizedHeight,
                             int observed, int finalized, int reorged) implements Command {}

    private record CycleFailed(Throwable error) implements Command {}

    /** What the watcher needs; built once by the node. */
    public record Wiring(ChainClient client, LogScanner scanner, MessageSentDecoder decoder, TransferStore transfers,
                         CursorStore cursors, Set<Long> destinations, ChainStatusBoard board, Clock clock,
                         CourierMetrics metrics, TransferTracing tracing, AttestRequests attester,
                         HaltedChains halted) {}

    public static Behavior<Command> create(ChainSettings chain, Wiring wiring) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ChainWatcher(ctx, timers, chain, wiring)));
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    private final TimerScheduler<Command> timers;
    private final ChainSettings chain;
    private final Wiring w;
    private final FinalityPolicy policy;
    private final ReorgPolicy reorgPolicy;
    private final String label;
    private long lastScanned = Long.MIN_VALUE; // unknown until the cursor is loaded
    private volatile long lastHeadSeen = -1; // read by the poll cycle's stages
    // the highest source block this watcher has treated as final (persisted in the cursor): a reorg replacing it
    // or anything below is deeper than finality, whatever the head looked like when the reorg was seen
    private final java.util.concurrent.atomic.AtomicLong finalizedActedOn = new java.util.concurrent.atomic.AtomicLong(ChainTip.UNKNOWN);
    private CanonicalWindow window;
    private ChainTip lastTip = ChainTip.ofHead(0);
    private boolean cycleRunning;
    private int consecutiveFailures;
    private ChainStatus lastStatus;

    private ChainWatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, ChainSettings chain, Wiring wiring) {
        super(ctx);
        ctx.setLoggerName(ChainWatcher.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
        this.timers = timers;
        this.chain = chain;
        this.w = wiring;
        this.policy = chain.finality();
        this.reorgPolicy = new ReorgPolicy(policy);
        this.label = chain.name();
        this.window = CanonicalWindow.empty(chain.windowSize());
        wiring.board().update(ChainStatus.starting(chain.chainId(), chain.name()));
        ctx.getSelf().tell(LoadCursor.INSTANCE);
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(LoadCursor.INSTANCE, this::onLoadCursor)
                .onMessage(CursorLoaded.class, this::onCursorLoaded)
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(CycleDone.class, this::onCycleDone)
                .onMessage(CycleFailed.class, this::onCycleFailed)
                .build();
    }

    private Behavior<Command> onLoadCursor() {
        CompletionStage<CursorLoaded> loaded = w.cursors().load(chain.chainId()).thenCompose(cursor -> cursor.isEmpty()
                ? CompletableFuture.completedFuture(new CursorLoaded(chain.startBlock() - 1, ChainTip.UNKNOWN, false, null))
                : checkedAgainstChain(cursor.get()));
        getContext().pipeToSelf(StageDeadline.within(loaded, Duration.ofSeconds(30), "loading the cursor of chain " + label),
                (cursor, error) -> error != null ? new CycleFailed(error) : cursor);
        return this;
    }

    /**
     * The window starts empty after a restart, so a reorg that happened while the node was away is found here: if
     * the last scanned block is not the one the cursor names, the chain changed below it. If the block the cursor
     * treated as final changed too, that reorg was deeper than finality (halt); otherwise every block above the final
     * one is scanned again, so the new branch's transfers are recorded and the orphaned ones are found by finality.
     */
    private CompletionStage<CursorLoaded> checkedAgainstChain(ChainCursor c) {
        if (c.halted()) {
            return CompletableFuture.completedFuture(new CursorLoaded(c.lastScannedBlock(), c.finalizedHeight(), true, c.haltReason()));
        }
        return w.client().blockByNumber(c.lastScannedBlock()).thenCompose(scanned -> {
            if (scanned.map(b -> b.hash().equalsIgnoreCase(c.lastScannedHash())).orElse(false)) {
                return CompletableFuture.completedFuture(new CursorLoaded(c.lastScannedBlock(), c.finalizedHeight(), false, null));
            }
            String now = scanned.map(BlockHeader::hash).orElse("missing");
            CompletionStage<Optional<BlockHeader>> finalBlock = c.finalizedBlockHash().isPresent()
                    ? w.client().blockByNumber(c.finalizedHeight()) : CompletableFuture.completedFuture(Optional.empty());
            return finalBlock.thenCompose(fin -> {
                if (c.finalizedBlockHash().isPresent() && !fin.map(b -> b.hash().equalsIgnoreCase(c.finalizedHash())).orElse(false)) {
                    w.metrics().deepReorgs.labelValues(label).inc();
                    String reason = "reorg while this node was away, at or below the final block " + c.finalizedHeight()
                            + " (was " + c.finalizedHash() + ", now " + fin.map(BlockHeader::hash).orElse("missing")
                            + "); last scanned block " + c.lastScannedBlock() + " was " + c.lastScannedHash() + ", now " + now;
                    return halt(reason).thenApply(x -> new CursorLoaded(c.lastScannedBlock(), c.finalizedHeight(), true, reason));
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
                return CompletableFuture.completedFuture(new CursorLoaded(rewound, c.finalizedHeight(), false, null));
            });
        });
    }

    private Behavior<Command> onCursorLoaded(CursorLoaded loaded) {
        lastScanned = loaded.lastScanned();
        finalizedActedOn.accumulateAndGet(loaded.finalizedHeight(), Math::max);
        if (loaded.halted()) {
            w.halted().halt(chain.chainId(), loaded.haltReason());
            getContext().getLog().error("chain {} ({}) is HALTED: {}; resume with `courier chain resume {}` or POST /v1/admin/chains/{}/resume",
                    label, chain.chainId(), loaded.haltReason(), chain.chainId(), chain.chainId());
        }
        getContext().getLog().info("chain {} ({}): resuming after block {}, finality {}", label, chain.chainId(), lastScanned, policy);
        getContext().getSelf().tell(Tick.INSTANCE);
        return this;
    }

    private Behavior<Command> onTick() {
        if (cycleRunning || lastScanned == Long.MIN_VALUE) {
            return this;
        }
        cycleRunning = true;
        getContext().pipeToSelf(StageDeadline.within(cycle(lastScanned, window, lastTip), CYCLE_DEADLINE, "poll cycle of chain " + label), (done, error) -> error != null ? new CycleFailed(error) : done);
        return this;
    }

    // ── the poll cycle (runs off the actor thread; everything it needs is passed in) ─────────────────────────

    private CompletionStage<CycleDone> cycle(long scannedBefore, CanonicalWindow before, ChainTip tipBefore) {
        return w.client().head().thenCompose(head -> tip(head).thenCompose(tip ->
                track(before.apply(header(head)), 0).thenCompose(outcome -> {
                    long scanned = scannedBefore;
                    CompletionStage<Void> halting = CompletableFuture.completedFuture(null);
                    if (outcome instanceof CanonicalWindow.Reorg reorg) {
                        ReorgPolicy.Verdict verdict = reorgPolicy.judge(reorg, tipBefore, finalizedActedOn.get());
                        scanned = onReorg(reorg, verdict, scanned);
                        if (verdict.mustHalt()) {
                            // recording the new branch's transfers as SENT stays safe while halted: nothing is finalized
                            halting = halt(verdict + "; orphaned " + describe(reorg.orphaned()) + ", new branch "
                                    + describe(reorg.added()));
                        }
                    } else if (outcome instanceof CanonicalWindow.BeyondWindow beyond) {
                        w.metrics().deepReorgs.labelValues(label).inc();
                        return halt("reorg beyond the window of " + chain.windowSize() + " headers (at least "
                                + beyond.minDepth() + " blocks; oldest kept " + beyond.oldest() + ")")
                                .thenApply(x -> new CycleDone(head, CanonicalWindow.empty(chain.windowSize()),
                                        scannedBefore, policy.finalizedHeight(tip), 0, 0, 0));
                    }
                    long rewoundTo = scanned;
                    return halting.thenCompose(h -> scanAndFinalize(head, tip, outcome.window(), scannedBefore, rewoundTo));
                })));
    }

    private CompletionStage<CycleDone> scanAndFinalize(BlockHeader head, ChainTip tip, CanonicalWindow after,
                                                      long scannedBefore, long scanned) {
        long from = scanned + 1;
        long to = Math.min(head.number(), from + chain.maxLogRange() - 1);
        boolean rewound = scanned != scannedBefore;
        CompletionStage<Integer> recorded = to < from
                ? (rewound ? saveCursor(scanned, head, tip, after).thenApply(x -> 0) : CompletableFuture.completedFuture(0))
                : scanAndRecord(from, to).thenCompose(observed -> saveCursor(to, head, tip, after).thenApply(x -> observed));
        long scannedTo = Math.max(to, scanned);
        boolean newHead = head.number() != lastHeadSeen;
        return recorded.thenCompose(observed -> (w.halted().isHalted(chain.chainId())
                        ? checkResumed().thenApply(x -> new int[] {0, 0})
                        : applyFinality(head, tip, scannedTo, newHead))
                .thenApply(outcomes -> new CycleDone(head, after, scannedTo, policy.finalizedHeight(tip),
                        observed, outcomes[0], outcomes[1])));
    }

    /** The chain tip as the policy needs it: head only, or with the node's safe/finalized block for a tag policy. */
    private CompletionStage<ChainTip> tip(BlockHeader head) {
        if (policy instanceof FinalityPolicy.Tag tag) {
            return w.client().blockByTag(tag.tag()).thenApply(b -> {
                long height = b.map(BlockHeader::number).orElse(ChainTip.UNKNOWN);
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

    private CompletionStage<Void> halt(String reason) {
        w.halted().halt(chain.chainId(), reason);
        w.metrics().chainHalted.labelValues(label).set(1);
        log.error("CHAIN HALTED {} ({}): {}. Nothing from this chain is attested or delivered until an operator runs "
                + "`courier chain resume {}` or POST /v1/admin/chains/{}/resume.", label, chain.chainId(), reason,
                chain.chainId(), chain.chainId());
        return w.cursors().halt(chain.chainId(), reason, w.clock().instant()).thenApply(stored -> null);
    }

    /** While halted: an operator may have resumed the chain through another node or the CLI (in Cassandra). */
    private CompletionStage<Void> checkResumed() {
        return w.cursors().load(chain.chainId()).thenAccept(cursor -> {
            if (cursor.isPresent() && !cursor.get().halted()) {
                w.halted().resume(chain.chainId());
                log.warn("chain {} ({}) resumed (found in Cassandra)", label, chain.chainId());
            }
        });
    }

    private CompletionStage<Integer> scanAndRecord(long from, long to) {
        return w.scanner().scan(chain.gateway(), List.of(GatewayEvents.MESSAGE_SENT_TOPIC), from, to).thenCompose(logs -> {
            List<Transfer> accepted = logs.stream().map(this::accept).flatMap(Optional::stream).toList();
            return signers(accepted).thenCompose(signers -> {
                List<CompletableFuture<Boolean>> writes = new ArrayList<>();
                for (Transfer t : accepted) {
                    java.util.Set<String> addresses = new java.util.TreeSet<>(List.of(t.message().sender(), t.message().recipient()));
                    Optional.ofNullable(signers.get(t.source().txHash())).ifPresent(addresses::add);
                    writes.add(w.transfers().indexAddresses(t, addresses).thenCompose(x -> record(t)).toCompletableFuture());
                }
                return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                        .thenApply(x -> (int) writes.stream().filter(CompletableFuture::join).count());
            });
        });
    }

    /**
     * The account that signed each source transaction (a wallet looks its transfers up by it: for a token transfer
     * the message's sender is the bridge contract). One receipt per transaction; a vanished one has no signer.
     */
    private CompletionStage<java.util.Map<String, String>> signers(List<Transfer> transfers) {
        java.util.Map<String, String> signers = new java.util.concurrent.ConcurrentHashMap<>();
        CompletableFuture<?>[] reads = transfers.stream().map(t -> t.source().txHash()).distinct()
                .map(tx -> w.client().receipt(tx).thenAccept(r -> r.flatMap(TxReceipt::sender)
                        .ifPresent(signer -> signers.put(tx, signer))).toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(reads).thenApply(x -> signers);
    }

    /**
     * Records a new transfer; a known one seen in another block (re-included after a reorg) moves there, and a
     * REORGED one whose log is canonical again (its transaction came back later) is revived as SENT.
     */
    private CompletionStage<Boolean> record(Transfer observed) {
        return w.transfers().recordObserved(observed).thenCompose(isNew -> {
            if (isNew) {
                return CompletableFuture.completedFuture(true);
            }
            return w.transfers().find(observed.id()).thenCompose(known -> {
                if (known.isPresent() && known.get().status() == TransferStatus.REORGED
                        && !known.get().source().equals(observed.source())) {
                    log.warn("chain {}: transfer {} was REORGED and its log is on the canonical chain again (block {}, tx {}): "
                            + "revived as SENT, it waits for finality again", label, observed.id(),
                            observed.source().blockNumber(), observed.source().txHash());
                    return w.transfers().relocate(observed.id(), observed.source(), w.clock().instant())
                            .thenApply(o -> o instanceof TransitionOutcome.Applied);
                }
                if (known.isPresent() && known.get().status() == TransferStatus.SENT
                        && !known.get().source().blockHash().equalsIgnoreCase(observed.source().blockHash())) {
                    log.warn("chain {}: transfer {} re-included: block {} -> {}", label, observed.id(),
                            known.get().source().blockNumber(), observed.source().blockNumber());
                    return w.transfers().relocate(observed.id(), observed.source(), w.clock().instant()).thenApply(o -> false);
                }
                return CompletableFuture.completedFuture(false);
            });
        });
    }

    private Optional<Transfer> accept(ChainLog entry) {
        MessageSentDecoder.Decoded decoded = w.decoder().decode(entry, chain.chainId());
        if (decoded instanceof MessageSentDecoder.Rejected rejected) {
            w.metrics().messagesRejected.labelValues(label, rejected.reason().name().toLowerCase()).inc();
            log.warn("chain {}: rejected log in block {} tx {}: {} {}", label, entry.blockNumber(),
                    entry.txHash(), rejected.reason(), rejected.detail());
            return Optional.empty();
        }
        var message = ((MessageSentDecoder.Accepted) decoded).message();
        if (!w.destinations().contains(message.dstChainId())) {
            w.metrics().messagesRejected.labelValues(label, "unknown_destination").inc();
            log.warn("chain {}: message {} in tx {} is for chain {}, which this node does not serve",
                    label, message.id(), entry.txHash(), message.dstChainId());
            return Optional.empty();
        }
        return Optional.of(Transfer.observed(message, sourceOf(entry), chain.confirmations(), w.clock().instant()));
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
            return CompletableFuture.completedFuture(head.hash());
        }
        Optional<Header> known = window.at(number);
        return known.isPresent() ? CompletableFuture.completedFuture(known.get().hash())
                : w.client().blockByNumber(number).thenApply(b -> b.map(BlockHeader::hash).orElseThrow(() ->
                        new IllegalStateException("chain " + label + ": block " + number + " vanished while saving the cursor")));
    }

    /** Finalizes, relocates or reorgs the transfers waiting on this chain; returns {finalized, reorged}. */
    private CompletionStage<int[]> applyFinality(BlockHeader head, ChainTip tip, long scannedTo, boolean newHead) {
        long finalizedHeight = policy.finalizedHeight(tip);
        return w.transfers().unfinalized(chain.chainId()).thenCompose(waiting -> {
            List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
            for (UnfinalizedTransfer t : waiting) {
                long block = t.blockNumber();
                if (block > scannedTo) {
                    continue;
                }
                if (block > finalizedHeight) {
                    if (newHead && policy instanceof FinalityPolicy.Confirmations c) {
                        // progress for the API ("3 of 12 confirmations"); one small write per new head
                        w.transfers().updateConfirmations(t.id(), c.confirmations(block, head.number()));
                    }
                    continue;
                }
                outcomes.add(w.client().blockByNumber(block).thenCompose(canonical -> {
                    boolean stillThere = canonical.map(b -> b.hash().equalsIgnoreCase(t.blockHash())).orElse(false);
                    if (stillThere) {
                        BlockHeader b = canonical.get();
                        if (!policy.isFinal(block, Instant.ofEpochSecond(b.timestamp()), tip, w.clock().instant())) {
                            return CompletableFuture.completedFuture(0); // a tag policy's minimum age not reached yet
                        }
                        long seen = Math.max(1, head.number() - block + 1);
                        finalizedActedOn.accumulateAndGet(block, Math::max);
                        return w.transfers().transition(t.id(), TransferStatus.SENT, new TransferEvent.Finalized(seen),
                                w.clock().instant()).thenApply(outcome -> afterFinality(t, outcome, true));
                    }
                    return reorgedOut(t, canonical);
                }).toCompletableFuture());
            }
            return CompletableFuture.allOf(outcomes.toArray(CompletableFuture[]::new)).thenApply(x -> {
                int finalized = 0;
                int reorged = 0;
                for (CompletableFuture<Integer> o : outcomes) {
                    int r = o.join();
                    if (r > 0) finalized++;
                    if (r < 0) reorged++;
                }
                return new int[] {finalized, reorged};
            });
        });
    }

    /** The transfer's block left the chain: re-included elsewhere (relocate, wait again) or gone (REORGED). */
    private CompletionStage<Integer> reorgedOut(UnfinalizedTransfer t, Optional<BlockHeader> canonical) {
        return w.transfers().find(t.id()).thenCompose(found -> {
            if (found.isEmpty()) {
                return CompletableFuture.completedFuture(0);
            }
            Transfer transfer = found.get();
            return w.client().receipt(transfer.source().txHash()).thenCompose(receipt -> {
                Optional<ChainLog> again = receipt.flatMap(r -> r.logs().stream()
                        .filter(l -> l.address().equalsIgnoreCase(chain.gateway()) && l.topics().size() > 1
                                && l.topics().get(0).equalsIgnoreCase(GatewayEvents.MESSAGE_SENT_TOPIC)
                                && l.topics().get(1).equalsIgnoreCase(t.id().toHex()))
                        .findFirst());
                if (again.isPresent()) {
                    SourceRef moved = sourceOf(again.get());
                    log.warn("chain {}: transfer {} re-included: block {} -> {}", label, t.id(), t.blockNumber(), moved.blockNumber());
                    return w.transfers().relocate(t.id(), moved, w.clock().instant()).thenApply(o -> 0);
                }
                TransferEvent.Reorged event = new TransferEvent.Reorged("block " + t.blockNumber() + " is now "
                        + canonical.map(BlockHeader::hash).orElse("missing") + ", was " + t.blockHash()
                        + "; tx " + transfer.source().txHash() + " not on the canonical chain");
                return w.transfers().markReorged(t, event, w.clock().instant()).thenApply(o -> afterFinality(t, o, false));
            });
        });
    }

    private int afterFinality(UnfinalizedTransfer before, TransitionOutcome outcome, boolean finalized) {
        if (!(outcome instanceof TransitionOutcome.Applied applied)) {
            return 0; // someone else moved it, or a stale index row: the sweep sees its real state
        }
        Transfer t = applied.updated();
        Instant now = w.clock().instant();
        w.tracing().stage(t.id().toHex(), t.route(), "finality.wait", t.createdAt(), now, Attributes.empty(), finalized);
        if (finalized) {
            w.attester().attest(t);
            return 1;
        }
        w.metrics().transfersCompleted.labelValues(TransferStatus.REORGED.name(), t.route()).inc();
        w.tracing().transferEnded(t.id().toHex(), t.route(), t.createdAt(), now, TransferStatus.REORGED.name());
        log.warn("chain {}: transfer {} REORGED: its block {} ({}) left the canonical chain", label, t.id(),
                before.blockNumber(), before.blockHash());
        return -1;
    }

    // ── back on the actor ───────────────────────────────────────────────────────────────────────────────────

    private Behavior<Command> onCycleDone(CycleDone done) {
        cycleRunning = false;
        consecutiveFailures = 0;
        lastScanned = done.scannedTo();
        window = done.window();
        BlockHeader head = done.head();
        lastHeadSeen = head.number();
        lastTip = new ChainTip(head.number(), ChainTip.UNKNOWN, done.finalizedHeight() < 0 ? ChainTip.UNKNOWN : done.finalizedHeight());
        boolean halted = w.halted().isHalted(chain.chainId());
        w.metrics().chainHeadBlock.labelValues(label).set(head.number());
        w.metrics().chainScannedBlock.labelValues(label).set(lastScanned);
        w.metrics().chainHealthy.labelValues(label).set(1);
        w.metrics().chainHalted.labelValues(label).set(halted ? 1 : 0);
        Instant now = w.clock().instant();
        Instant headTime = Instant.ofEpochSecond(head.timestamp());
        w.metrics().chainHeadLagSeconds.labelValues(label).set(Math.max(0, Duration.between(headTime, now).toMillis() / 1000.0));
        lastStatus = new ChainStatus(chain.chainId(), label, head.number(), lastScanned, Math.max(0, done.finalizedHeight()),
                Math.max(0, head.number() - lastScanned), Math.max(0, Duration.between(headTime, now).toSeconds()),
                w.client().anyEndpointHealthy(), halted, halted ? w.halted().reason(chain.chainId()).orElse("halted") : null);
        w.board().update(lastStatus);
        if (lastScanned < head.number()) {
            getContext().getSelf().tell(Tick.INSTANCE); // behind the head: go on at once
        } else {
            timers.startSingleTimer(Tick.INSTANCE, chain.pollInterval());
        }
        return this;
    }

    private Behavior<Command> onCycleFailed(CycleFailed failed) {
        cycleRunning = false;
        consecutiveFailures++;
        Throwable cause = failed.error() instanceof CompletionException && failed.error().getCause() != null
                ? failed.error().getCause() : failed.error();
        w.metrics().chainHealthy.labelValues(label).set(0);
        ChainStatus last = lastStatus != null ? lastStatus : ChainStatus.starting(chain.chainId(), label);
        boolean halted = w.halted().isHalted(chain.chainId());
        w.board().update(new ChainStatus(last.chainId(), last.name(), last.headBlock(), last.lastScannedBlock(),
                last.finalizedHeight(), last.lagBlocks(), last.headAgeSeconds(), false, halted,
                halted ? w.halted().reason(chain.chainId()).orElse("halted") : null));
        // bounded, jittered backoff between failed cycles; the loop itself never stops
        long delayMs = Math.min(30_000, chain.pollInterval().toMillis() * (1L << Math.min(5, consecutiveFailures)));
        delayMs = delayMs / 2 + (long) (Math.random() * delayMs / 2);
        if (consecutiveFailures == 1 || consecutiveFailures % 10 == 0) {
            getContext().getLog().warn("chain {} ({}): poll failed ({} in a row), next try in {} ms: {}", label,
                    chain.chainId(), consecutiveFailures, delayMs, cause.toString());
        }
        // the cursor itself could not be read: load it again before polling
        timers.startSingleTimer(lastScanned == Long.MIN_VALUE ? LoadCursor.INSTANCE : Tick.INSTANCE, Duration.ofMillis(delayMs));
        return this;
    }

    private static SourceRef sourceOf(ChainLog entry) {
        return new SourceRef(entry.txHash(), entry.blockNumber(), entry.blockHash(), Math.toIntExact(entry.logIndex()));
    }

    private static Header header(BlockHeader b) {
        return new Header(b.number(), b.hash(), b.parentHash());
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
