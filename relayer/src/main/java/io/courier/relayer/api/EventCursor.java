package io.courier.relayer.api;

import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Where one events stream is: per transfer, how many entries of its history it has sent. Pure and single-threaded
 * (one per stream). Each history entry is one event, so two status changes recorded between two reads (FINALIZED
 * and ATTESTED in the same second) are still two events; the event id says how far the stream got, so a client
 * that reconnects with {@code Last-Event-ID} gets exactly the entries after it.
 *
 * <p>Event ids: a stream of one transfer numbers its events by history position, {@code 1, 2, ...} (the n-th
 * entry); a stream of several transfers (a source transaction's) names every transfer's position,
 * {@code 0x<id>:<n>,0x<id>:<n>} (a transfer's log index may change in a reorg, its id does not).
 *
 * <p>A stream opened without {@code Last-Event-ID} starts, for each transfer it already knew when it opened
 * ({@code latestOnly}), with the current status only (one event, as {@code GET /v1/transfers/{id}} would show it);
 * a transfer that appears later is sent from its first entry, so a stream opened before the transfer was indexed
 * sees every step.
 */
final class EventCursor {

    /** A transfer as last read, with its whole history (oldest first). */
    record Snapshot(Transfer transfer, List<TransferHistoryEntry> history) {
        Snapshot {
            Objects.requireNonNull(transfer, "transfer");
            history = List.copyOf(history);
        }

        /** The history, or for a transfer read without one (a store race) its current status as the only entry. */
        List<TransferHistoryEntry> entries() {
            return history.isEmpty()
                    ? List.of(new TransferHistoryEntry(transfer.updatedAt(), null, transfer.status(), "current status"))
                    : history;
        }

        boolean done() {
            return isDone(transfer.status());
        }
    }

    /**
     * One event: entry {@code index} of {@code snapshot}'s history, and the event id to send with it.
     * {@link #latest()}: it is the transfer's current status (the other entries are earlier steps).
     */
    record Frame(Snapshot snapshot, int index, String eventId) {
        TransferHistoryEntry entry() {
            return snapshot.entries().get(index);
        }

        boolean latest() {
            return index == snapshot.entries().size() - 1;
        }
    }

    /** A stream ends once every transfer it follows is here: delivered or given up, or waiting for a person. */
    static boolean isDone(TransferStatus status) {
        return status.isTerminal() || status == TransferStatus.FAILED || status == TransferStatus.UNDELIVERABLE;
    }

    private static final Pattern SINGLE = Pattern.compile("[0-9]{1,6}");
    private static final Pattern PAIR = Pattern.compile("(0x[0-9a-f]{64}):([0-9]{1,6})");
    private static final int MAX_PAIRS = 64;

    private final boolean single;
    private final Map<MessageId, Integer> sent = new LinkedHashMap<>();
    private final Set<MessageId> latestOnly;
    private boolean appeared;

    private EventCursor(boolean single, Map<MessageId, Integer> resumed, Set<MessageId> latestOnly) {
        this.single = single;
        this.sent.putAll(resumed);
        this.latestOnly = Set.copyOf(latestOnly);
    }

    /** A stream of transfer {@code id}: from {@code Last-Event-ID} if given, else as described above. */
    static EventCursor ofTransfer(MessageId id, java.util.Optional<String> lastEventId, boolean knownAtStart) {
        if (lastEventId.isPresent()) {
            String raw = lastEventId.get().trim();
            if (!SINGLE.matcher(raw).matches()) {
                throw ApiParams.invalid("Last-Event-ID", "Last-Event-ID of a transfer's stream must be the number of an"
                        + " event it sent (1..999999), got '" + abbreviate(raw) + "'");
            }
            return new EventCursor(true, Map.of(id, Integer.parseInt(raw)), Set.of());
        }
        return new EventCursor(true, Map.of(), knownAtStart ? Set.of(id) : Set.of());
    }

    /** A stream of several transfers: from {@code Last-Event-ID} if given; {@code knownAtStart}: those already read. */
    static EventCursor ofMany(java.util.Optional<String> lastEventId, Set<MessageId> knownAtStart) {
        if (lastEventId.isPresent()) {
            Map<MessageId, Integer> resumed = new LinkedHashMap<>();
            String raw = lastEventId.get().trim();
            String[] pairs = raw.isEmpty() ? new String[0] : raw.split(",", -1);
            if (pairs.length > MAX_PAIRS) {
                throw ApiParams.invalid("Last-Event-ID", "Last-Event-ID names more than " + MAX_PAIRS + " transfers");
            }
            for (String pair : pairs) {
                Matcher m = PAIR.matcher(pair);
                if (!m.matches()) {
                    throw ApiParams.invalid("Last-Event-ID", "Last-Event-ID of a source transaction's stream must be"
                            + " 0x<message id>:<n>[,...] as the stream sent it, got '" + abbreviate(raw) + "'");
                }
                resumed.put(MessageId.fromHex(m.group(1)), Integer.parseInt(m.group(2)));
            }
            // a resumed stream sends every transfer it had not seen from its first entry
            return new EventCursor(false, resumed, Set.of());
        }
        return new EventCursor(false, Map.of(), knownAtStart);
    }

    /** The events {@code snapshots} (everything the stream follows, as read now) add to what was sent. */
    List<Frame> next(List<Snapshot> snapshots) {
        List<Frame> frames = new ArrayList<>();
        for (Snapshot s : snapshots) {
            appeared = true;
            MessageId id = s.transfer().id();
            int size = s.entries().size();
            Integer position = sent.get(id);
            int from = position != null ? position : latestOnly.contains(id) ? size - 1 : 0;
            for (int i = from; i < size; i++) {
                sent.put(id, i + 1);
                frames.add(new Frame(s, i, eventId(id)));
            }
            sent.putIfAbsent(id, size); // a resumed position beyond the history stays as it was
        }
        return frames;
    }

    /** Whether any transfer the stream follows has been read yet. */
    boolean appeared() {
        return appeared;
    }

    private String eventId(MessageId id) {
        if (single) {
            return Integer.toString(sent.get(id));
        }
        StringBuilder b = new StringBuilder();
        for (Map.Entry<MessageId, Integer> e : sent.entrySet()) {
            if (b.length() > 0) {
                b.append(',');
            }
            b.append(e.getKey().toHex()).append(':').append(e.getValue());
        }
        return b.toString();
    }

    private static String abbreviate(String raw) {
        String printable = raw.replaceAll("[^\\x20-\\x7e]", "?");
        return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
    }
}
