package io.courier.relayer.submit;

import io.courier.chain.message.MessageId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The messages a submitter has taken in but not yet signed for: queued, being prepared (on their own, or in a planning
 * round and its batches), backing off after a reverted pre-flight, to be sent alone after their batch could not go, or
 * having a dropped transaction replaced; and what they count against {@code max-in-flight}. Pure state, owned by the
 * submitter actor.
 */
final class Intake {

    private final LinkedHashSet<MessageId> queue = new LinkedHashSet<>();
    private final Set<MessageId> preparing = new HashSet<>();
    private final Set<MessageId> replacing = new HashSet<>();
    /** Messages whose pre-flight reverted, waiting before they are prepared again (never holding up the others). */
    private final Map<MessageId, PreflightBackoff> backingOff = new HashMap<>();
    /** Messages to send on their own: their batch could not go (ADR 009); cleared when they leave the queue for good. */
    private final Set<MessageId> alone = new HashSet<>();
    /** A planning round is loading the queued messages. */
    private boolean planning;
    /** Batches being prepared, and the messages of the round and its batches (in {@code preparing} too). */
    private int preparingBatches;
    private int preparingBatchIds;

    /** Not in flight, not being prepared, and not waiting out a pre-flight backoff. */
    boolean admissible(MessageId id, boolean inFlight, Instant now) {
        PreflightBackoff wait = backingOff.get(id);
        return !inFlight && !preparing.contains(id) && (wait == null || !wait.waiting(now));
    }

    void queue(MessageId id) {
        queue.add(id);
    }

    /** Out of the queue: followed in flight by recovery. */
    void unqueue(MessageId id) {
        queue.remove(id);
    }

    boolean hasQueued() {
        return !queue.isEmpty();
    }

    boolean preparing(MessageId id) {
        return preparing.contains(id);
    }

    /**
     * Transactions being prepared or in flight: a lone message being prepared, a batch being prepared, a planning round,
     * or one of {@code txsInFlight} distinct transactions followed to their receipts ({@code max-in-flight} bounds the sum).
     */
    int busy(int txsInFlight) {
        return (preparing.size() - preparingBatchIds) + preparingBatches + txsInFlight + (planning ? 1 : 0);
    }

    /** The first queued message, now being prepared on its own. */
    MessageId nextLone() {
        MessageId id = queue.iterator().next();
        queue.remove(id);
        preparing.add(id);
        return id;
    }

    boolean planning() {
        return planning;
    }

    /** A planning round takes up to {@code limit} queued messages (one round at a time, docs/adr/009). */
    List<MessageId> startRound(int limit) {
        List<MessageId> ids = new ArrayList<>();
        for (var it = queue.iterator(); it.hasNext() && ids.size() < limit; ) {
            ids.add(it.next());
            it.remove();
        }
        preparing.addAll(ids);
        preparingBatchIds += ids.size();
        planning = true;
        return ids;
    }

    void roundLoaded() {
        planning = false;
    }

    /** A message of the round goes on as a lone one (prepared, and counted, as before batching), or is refused. */
    void leftRound(MessageId id) {
        preparingBatchIds--;
    }

    void batchStarted() {
        preparingBatches++;
    }

    void batchResolved(List<MessageId> ids) {
        preparingBatches--;
        preparingBatchIds -= ids.size();
        ids.forEach(preparing::remove);
    }

    /** A batch could not go as planned: each message is queued again, to go alone. */
    void requeueAlone(Collection<MessageId> ids) {
        alone.addAll(ids);
        queue.addAll(ids);
    }

    Set<MessageId> alone() {
        return alone;
    }

    /** A batch's message goes again on its own (its batch reverted). */
    void markAlone(MessageId id) {
        alone.add(id);
    }

    /** Done with: delivered, failed, undeliverable; never again to be planned alone for it. */
    void finished(MessageId id) {
        alone.remove(id);
    }

    /** Its preparation ended without a transaction (not now, blocked, executed elsewhere, or a replacement's). */
    void notPrepared(MessageId id) {
        preparing.remove(id);
        replacing.remove(id);
    }

    /** A transaction was signed for it. */
    void signed(MessageId id) {
        preparing.remove(id);
        replacing.remove(id);
        backingOff.remove(id);
        alone.remove(id);
    }

    /** A first submission's pre-flight reverted: it waits out {@code next}, or (empty) it is parked and forgotten here. */
    void preflightReverted(MessageId id, Optional<PreflightBackoff> next) {
        preparing.remove(id);
        backOff(id, next);
    }

    /** Its dropped transaction is being replaced: false when a replacement is under way already. */
    boolean startReplacing(MessageId id) {
        return replacing.add(id);
    }

    Optional<PreflightBackoff> backoff(MessageId id) {
        return Optional.ofNullable(backingOff.get(id));
    }

    void backOff(MessageId id, Optional<PreflightBackoff> next) {
        if (next.isPresent()) {
            backingOff.put(id, next.get());
        } else {
            backingOff.remove(id);
        }
    }
}
