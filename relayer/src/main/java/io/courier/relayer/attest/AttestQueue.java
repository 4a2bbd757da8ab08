package io.courier.relayer.attest;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/**
 * FINALIZED transfers waiting for an attestation round while the attester's rounds in flight are at their bound.
 * Taken per route (source chain and gateway to destination) in nonce order, the routes in turn, each message once.
 *
 * <p>Why it exists: the attester used to drop what came while 64 rounds were in flight and left it to the
 * submitter's sweep (every 5 s, again 64 at most), so a burst was attested in waves and out of nonce order; the
 * submitter plans what is ATTESTED at its tick, and its cheapest path (a checkpoint) needs contiguous nonces. Queued
 * here, the next round starts as one finishes, lowest nonce first. Bounded: past {@code capacity} an offer is refused
 * and the sweep brings the transfer back, as before. Pure; the attester actor owns it.
 */
final class AttestQueue {

    private static final Comparator<Transfer> BY_NONCE = Comparator.comparingLong((Transfer t) -> t.message().nonce())
            .thenComparing(t -> t.id().toHex());

    private final int capacity;
    private final Map<String, TreeSet<Transfer>> byRoute = new HashMap<>();
    /** Routes with something queued, in the order they are served next. */
    private final Deque<String> turns = new ArrayDeque<>();
    private final Map<MessageId, Transfer> queued = new HashMap<>();

    AttestQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("attest queue capacity must be at least 1, was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Queues {@code t}; false when it is queued already or the queue is full. */
    boolean offer(Transfer t) {
        if (queued.containsKey(t.id()) || queued.size() >= capacity) {
            return false;
        }
        String route = route(t.message());
        TreeSet<Transfer> waiting = byRoute.computeIfAbsent(route, r -> new TreeSet<>(BY_NONCE));
        if (waiting.isEmpty()) {
            turns.addLast(route);
        }
        waiting.add(t);
        queued.put(t.id(), t);
        return true;
    }

    /** The lowest nonce of the route whose turn it is; that route goes to the back of the turns. */
    Optional<Transfer> poll() {
        String route = turns.pollFirst();
        if (route == null) {
            return Optional.empty();
        }
        TreeSet<Transfer> waiting = byRoute.get(route);
        Transfer next = waiting.pollFirst();
        if (waiting.isEmpty()) {
            byRoute.remove(route);
        } else {
            turns.addLast(route);
        }
        queued.remove(next.id());
        return Optional.of(next);
    }

    boolean contains(MessageId id) {
        return queued.containsKey(id);
    }

    /** The transfer queued under {@code id}, as it was offered. */
    Optional<Transfer> queued(MessageId id) {
        return Optional.ofNullable(queued.get(id));
    }

    int size() {
        return queued.size();
    }

    private static String route(CrossChainMessage m) {
        return m.srcChainId() + "/" + m.srcGateway().toLowerCase(java.util.Locale.ROOT) + "->" + m.dstChainId();
    }
}
