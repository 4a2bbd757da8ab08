package io.courier.relayer.watch;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.LogScanner;
import io.courier.chain.GatewayEvents;
import io.courier.chain.MessageSentDecoder;
import io.courier.finality.ChainCursor;
import io.courier.finality.FinalityPolicy;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.CursorStore;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.finality.store.UnfinalizedTransfer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import io.courier.relayer.attest.Attester;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.api.ChainStatus;
import io.courier.relayer.api.ChainStatusBoard;
import java.time.Clock;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.common.Attributes;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * Watches one chain: polls its head, scans the gateway's {@code MessageSent} logs from the durable cursor,
 * records each new transfer as SENT (before the cursor moves past its block, so a crash re-scans instead of
 * losing it), and on every head applies the chain's finality policy to the transfers waiting on it.
 * One poll cycle runs at a time; all I/O is asynchronous and comes back as a message.
 */
public final class ChainWatcher extends AbstractBehavior<ChainWatcher.Command> {

    // futures complete off the actor's thread, where getContext().getLog() must not be used
    private static final Logger log = LoggerFactory.getLogger(ChainWatcher.class);

    public sealed interface Command {}

    private enum Tick implements Command { INSTANCE }

    private enum LoadCursor implements Command { INSTANCE }

    private record CursorLoaded(long lastScanned) implements Command {}

    private record CycleDone(BlockHeader head, long scannedTo, int observed, int finalized, int reorged) implements Command {}

    private record CycleFailed(Throwable error) implements Command {}

    /** What the watcher needs; built once by the node. */
    public record Wiring(ChainClient client, LogScanner scanner, MessageSentDecoder decoder, TransferStore transfers,
                         CursorStore cursors, Set<Long> destinations, ChainStatusBoard board, Clock clock, CourierMetrics metrics,
                         TransferTracing tracing, ActorRef<Attester.Command> attester) {}

    public static Behavior<Command> create(ChainSettings chain, Wiring wiring) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new ChainWatcher(ctx, timers, chain, wiring)));
        return Behaviors.supervise(behavior)
                .onFailure(SupervisorStrategy.restartWithBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30), 0.2));
    }

    private final TimerScheduler<Command> timers;
    private final ChainSettings chain;
    private final Wiring w;
    private final FinalityPolicy policy;
    private final String label;
    private long lastScanned = Long.MIN_VALUE; // unknown until the cursor is loaded
    private volatile long lastHeadSeen = -1; // read by the poll cycle's future
    private boolean cycleRunning;
    private int consecutiveFailures;
    private ChainStatus lastStatus;

    private ChainWatcher(ActorContext<Command> ctx, TimerScheduler<Command> timers, ChainSettings chain, Wiring wiring) {
        super(ctx);
        this.timers = timers;
        this.chain = chain;
        this.w = wiring;
        this.policy = new FinalityPolicy.Confirmations(chain.confirmations());
        this.label = chain.name();
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
        getContext().pipeToSelf(w.cursors().load(chain.chainId()), (cursor, error) -> error != null
                ? new CycleFailed(error)
                : new CursorLoaded(cursor.map(ChainCursor::lastScannedBlock).orElse(chain.startBlock() - 1)));
        return this;
    }

    private Behavior<Command> onCursorLoaded(CursorLoaded loaded) {
        lastScanned = loaded.lastScanned();
        getContext().getLog().info("chain {} ({}): resuming after block {}", label, chain.chainId(), lastScanned);
        getContext().getSelf().tell(Tick.INSTANCE);
        return this;
    }

    private Behavior<Command> onTick() {
        if (cycleRunning || lastScanned == Long.MIN_VALUE) {
            return this;
        }
        cycleRunning = true;
        long from = lastScanned + 1;
        getContext().pipeToSelf(cycle(from), (done, error) -> error != null ? new CycleFailed(error) : done);
        return this;
    }

    /** One poll: head, scan [from, min(head, from + range)], record, move the cursor, then finality. */
    private CompletionStage<CycleDone> cycle(long from) {
        return w.client().head().thenCompose(head -> {
            long to = Math.min(head.number(), from + chain.maxLogRange() - 1);
            CompletionStage<Integer> scanned = to < from
                    ? CompletableFuture.completedFuture(0)
                    : scanAndRecord(from, to).thenCompose(observed -> saveCursor(to, head).thenApply(x -> observed));
            long scannedTo = Math.max(to, from - 1);
            boolean newHead = head.number() != lastHeadSeen;
            return scanned.thenCompose(observed -> applyFinality(head, scannedTo, newHead)
                    .thenApply(outcome -> new CycleDone(head, scannedTo, observed, outcome[0], outcome[1])));
        });
    }

    private CompletionStage<Integer> scanAndRecord(long from, long to) {
        return w.scanner().scan(chain.gateway(), List.of(GatewayEvents.MESSAGE_SENT_TOPIC), from, to).thenCompose(logs -> {
            List<CompletableFuture<Boolean>> writes = new ArrayList<>();
            for (ChainLog entry : logs) {
                Optional<Transfer> transfer = accept(entry);
                transfer.ifPresent(t -> writes.add(w.transfers().recordObserved(t).toCompletableFuture()));
            }
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .thenApply(x -> (int) writes.stream().filter(CompletableFuture::join).count());
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
        SourceRef source = new SourceRef(entry.txHash(), entry.blockNumber(), entry.blockHash(), Math.toIntExact(entry.logIndex()));
        return Optional.of(Transfer.observed(message, source, chain.confirmations(), w.clock().instant()));
    }

    private CompletionStage<Void> saveCursor(long to, BlockHeader head) {
        CompletionStage<String> hash = to == head.number()
                ? CompletableFuture.completedFuture(head.hash())
                : w.client().blockByNumber(to).thenApply(b -> b.map(BlockHeader::hash).orElse(""));
        return hash.thenCompose(h -> w.cursors().save(new ChainCursor(chain.chainId(), to, h,
                Math.max(-1, head.number() - chain.confirmations() + 1), w.clock().instant())));
    }

    /** Finalizes or reorgs the transfers waiting on this chain; returns {finalized, reorged}. */
    private CompletionStage<int[]> applyFinality(BlockHeader head, long scannedTo, boolean newHead) {
        return w.transfers().unfinalized(chain.chainId()).thenCompose(waiting -> {
            List<CompletableFuture<Integer>> outcomes = new ArrayList<>();
            for (UnfinalizedTransfer t : waiting) {
                long block = t.blockNumber();
                if (block > scannedTo) {
                    continue;
                }
                if (!policy.isFinal(block, head.number())) {
                    if (newHead) {
                        // progress for the API ("3 of 12 confirmations"); one small write per new head
                        w.transfers().updateConfirmations(t.id(), policy.confirmations(block, head.number()));
                    }
                    continue;
                }
                outcomes.add(w.client().blockByNumber(block).thenCompose(canonical -> {
                    boolean stillThere = canonical.map(b -> b.hash().equalsIgnoreCase(t.blockHash())).orElse(false);
                    TransferEvent event = stillThere
                            ? new TransferEvent.Finalized(policy.confirmations(block, head.number()))
                            : new TransferEvent.Reorged("block " + block + " is now "
                                    + canonical.map(BlockHeader::hash).orElse("missing") + ", was " + t.blockHash());
                    return w.transfers().transition(t.id(), TransferStatus.SENT, event, w.clock().instant())
                            .thenApply(outcome -> afterFinality(t, outcome, stillThere));
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

    private int afterFinality(UnfinalizedTransfer before, TransitionOutcome outcome, boolean finalized) {
        if (!(outcome instanceof TransitionOutcome.Applied applied)) {
            return 0; // someone else moved it; the sweep will pick it up in its real state
        }
        Transfer t = applied.updated();
        Instant now = w.clock().instant();
        w.tracing().stage(t.id().toHex(), t.route(), "finality.wait", t.createdAt(), now, Attributes.empty(), finalized);
        if (finalized) {
            w.attester().tell(new Attester.Attest(t));
            return 1;
        }
        w.metrics().transfersCompleted.labelValues(TransferStatus.REORGED.name(), t.route()).inc();
        w.tracing().transferEnded(t.id().toHex(), t.route(), t.createdAt(), now, TransferStatus.REORGED.name());
        log.warn("chain {}: transfer {} REORGED: its block {} ({}) left the canonical chain", label, t.id(),
                before.blockNumber(), before.blockHash());
        return -1;
    }

    private Behavior<Command> onCycleDone(CycleDone done) {
        cycleRunning = false;
        consecutiveFailures = 0;
        lastScanned = done.scannedTo();
        BlockHeader head = done.head();
        lastHeadSeen = head.number();
        w.metrics().chainHeadBlock.labelValues(label).set(head.number());
        w.metrics().chainScannedBlock.labelValues(label).set(lastScanned);
        w.metrics().chainHealthy.labelValues(label).set(1);
        Instant now = w.clock().instant();
        Instant headTime = Instant.ofEpochSecond(head.timestamp());
        w.metrics().chainHeadLagSeconds.labelValues(label).set(Math.max(0, Duration.between(headTime, now).toMillis() / 1000.0));
        long finalizedHeight = Math.max(-1, head.number() - chain.confirmations() + 1);
        lastStatus = new ChainStatus(chain.chainId(), label, head.number(), lastScanned, finalizedHeight,
                Math.max(0, head.number() - lastScanned), Math.max(0, Duration.between(headTime, now).toSeconds()), true, false, null);
        w.board().update(lastStatus);
        if (done.observed() + done.finalized() + done.reorged() > 0) {
            getContext().getLog().debug("chain {}: head {}, scanned to {}, {} new, {} finalized, {} reorged", label,
                    head.number(), lastScanned, done.observed(), done.finalized(), done.reorged());
        }
        // behind the head: go on at once; else wait for the next poll
        if (lastScanned < head.number()) {
            getContext().getSelf().tell(Tick.INSTANCE);
        } else {
            timers.startSingleTimer(Tick.INSTANCE, chain.pollInterval());
        }
        return this;
    }

    private Behavior<Command> onCycleFailed(CycleFailed failed) {
        cycleRunning = false;
        consecutiveFailures++;
        Throwable cause = failed.error() instanceof java.util.concurrent.CompletionException && failed.error().getCause() != null
                ? failed.error().getCause() : failed.error();
        w.metrics().chainHealthy.labelValues(label).set(0);
        ChainStatus last = lastStatus != null ? lastStatus : ChainStatus.starting(chain.chainId(), label);
        w.board().update(new ChainStatus(last.chainId(), last.name(), last.headBlock(), last.lastScannedBlock(),
                last.finalizedHeight(), last.lagBlocks(), last.headAgeSeconds(), false, false, null));
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
}
