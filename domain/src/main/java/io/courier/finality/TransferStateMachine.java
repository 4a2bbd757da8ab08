package io.courier.finality;

import io.courier.finality.TransferEvent.Attested;
import io.courier.finality.TransferEvent.Delivered;
import io.courier.finality.TransferEvent.ExecutionFailed;
import io.courier.finality.TransferEvent.Finalized;
import io.courier.finality.TransferEvent.Parked;
import io.courier.finality.TransferEvent.Relocated;
import io.courier.finality.TransferEvent.Reorged;
import io.courier.finality.TransferEvent.Replaced;
import io.courier.finality.TransferEvent.RetryRequested;
import io.courier.finality.TransferEvent.Submitted;
import io.courier.finality.TransferEvent.TopUpSeen;
import io.courier.finality.TransferEvent.Underpaid;
import io.courier.finality.TransferEvent.Undeliverable;
import io.courier.finality.TransferEvent.Unparked;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The one place where status changes are validated (docs/ARCHITECTURE.md §1). Everything that moves a transfer — the
 * finality tracker, the attester, the submitter, the admin API, the store — asks this class first.
 *
 * <pre>
 *   SENT       --Finalized-------&gt; FINALIZED      SENT      --Reorged---------&gt; REORGED (terminal)
 *   SENT       --Underpaid-------&gt; UNDERPAID (final, but paid too little: finality and the hold in one write)
 *   SENT       --Relocated-------&gt; SENT (the log was re-included in another block after a reorg)
 *   REORGED    --Relocated-------&gt; SENT (revival: the same log, hence the same id, is on the canonical chain again)
 *   FINALIZED  --Attested--------&gt; ATTESTED       FINALIZED --Underpaid-------&gt; UNDERPAID
 *   UNDERPAID  --TopUpSeen-------&gt; FINALIZED (the only way out: a top-up brought the payments to the quote)
 *   ATTESTED   --Submitted-------&gt; SUBMITTED
 *   SUBMITTED  --Delivered-------&gt; DELIVERED (terminal)
 *   SUBMITTED  --ExecutionFailed-&gt; FAILED         SUBMITTED --Replaced--------&gt; SUBMITTED (fee bump)
 *   FAILED     --RetryRequested--&gt; ATTESTED
 *   ATTESTED   --Undeliverable---&gt; UNDELIVERABLE  (over a limit: decided before a nonce is taken)
 *   SUBMITTED  --Undeliverable---&gt; UNDELIVERABLE  (the node rejected the broadcast for good; its nonce is filled)
 *   UNDELIVERABLE --RetryRequested--&gt; ATTESTED (an operator's retry, e.g. after raising a cap)
 *   FINALIZED, UNDERPAID, ATTESTED, FAILED, UNDELIVERABLE --Parked--&gt; PARKED (an operator stops work on it)
 *   PARKED     --Unparked(S)-----&gt; S, the status it was parked from (one of those five)
 * </pre>
 *
 * <h2>Why SUBMITTED cannot be parked</h2>
 * A broadcast transaction cannot be recalled: it may still be mined, and the submitter must stay around to see its
 * receipt (or bump its fee, or fill its nonce). Parking is offered only in the statuses where the transfer waits for
 * the node or an operator before anything reaches a chain ({@link #PARKABLE}). {@code SENT} is left out too: the
 * watcher must still decide whether the log is final or reorged.
 *
 * <h2>Why there is no ATTESTED → DELIVERED shortcut</h2>
 * The submitter persists {@code SUBMITTED} (the hash of the signed transaction and its nonce are known before
 * it is sent) <em>before</em> it broadcasts. So a node that crashes after broadcasting always finds the
 * transfer in {@code SUBMITTED} on restart, with the hash to look for; a crash between persisting and
 * broadcasting leaves a {@code SUBMITTED} transfer whose transaction never reached the chain, which the
 * submitter's nonce-gap recovery re-broadcasts or replaces. Courier's own deliveries therefore always pass
 * through {@code SUBMITTED}, and a shortcut would only hide a broken ordering.
 *
 * <p>The gateway's {@code execute} is permissionless (anyone holding the published signatures may call it),
 * so a transfer can still be delivered by someone else while Courier holds it in {@code ATTESTED}. The
 * submitter records that as two persisted steps with the observed transaction — {@code Submitted(observedTx,
 * observedNonce)} then {@code Delivered(observedTx, block)} — so the history says what happened and the table
 * stays as designed.
 *
 * <h2>Why SENT → UNDERPAID</h2>
 * The watcher judges a message's payment when its block becomes final. Writing {@code FINALIZED} and then
 * {@code UNDERPAID} would leave a window in which an unpaid message is {@code FINALIZED}, and the submitter's sweep hands
 * every {@code FINALIZED} transfer to the attester: a crash between the two writes would deliver it free. So an
 * underpaid message goes from {@code SENT} to {@code UNDERPAID} in one conditional write, and reaches {@code FINALIZED}
 * only through a top-up. ({@code FINALIZED → UNDERPAID} stays allowed for a judge that comes later.)
 *
 * <p>Stateless and thread-safe; {@link #INSTANCE} is the only instance anyone needs.
 */
public final class TransferStateMachine {

    public static final TransferStateMachine INSTANCE = new TransferStateMachine();

    /** Where an operator may park a transfer, and hence where an unpark may take it back to. */
    public static final Set<TransferStatus> PARKABLE = Collections.unmodifiableSet(EnumSet.of(TransferStatus.FINALIZED,
            TransferStatus.UNDERPAID, TransferStatus.ATTESTED, TransferStatus.FAILED, TransferStatus.UNDELIVERABLE));

    private static final Map<TransferStatus, Map<Class<? extends TransferEvent>, TransferStatus>> TABLE = table();

    private TransferStateMachine() {}

    /** Applies {@link #INSTANCE}; a convenience for call sites that do not inject the machine. */
    public static Transition transition(TransferStatus from, TransferEvent event) {
        return INSTANCE.apply(from, event);
    }

    /** What {@code event} does to a transfer in status {@code from}. */
    public Transition apply(TransferStatus from, TransferEvent event) {
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(event, "event");
        if (from.isTerminal() && TABLE.get(from).isEmpty()) {
            return new Transition.Rejected(from + " is terminal: " + eventName(event) + " cannot move it");
        }
        if (event instanceof Unparked unparked && from == TransferStatus.PARKED) {
            // its target is the status it carries (where the transfer was parked from), not a fixed one
            return PARKABLE.contains(unparked.resumeIn()) ? new Transition.Moved(unparked.resumeIn())
                    : new Transition.Rejected("Unparked cannot resume a transfer in " + unparked.resumeIn()
                            + " (a parked transfer goes back to one of " + PARKABLE + ")");
        }
        TransferStatus to = TABLE.get(from).get(event.getClass());
        if (to == null) {
            return new Transition.Rejected(eventName(event) + " is not allowed in " + from
                    + " (allowed: " + accepted(from).keySet().stream().map(Class::getSimpleName).toList() + ")");
        }
        return new Transition.Moved(to);
    }

    /** The statuses that may follow {@code from}, for documentation, metrics and tests. */
    public Set<TransferStatus> successors(TransferStatus from) {
        Set<TransferStatus> next = EnumSet.noneOf(TransferStatus.class);
        next.addAll(TABLE.get(from).values());
        if (from == TransferStatus.PARKED) {
            next.addAll(PARKABLE);
        }
        return Collections.unmodifiableSet(next);
    }

    /**
     * The event types accepted in {@code from}, each with the status it leads to. {@link Unparked}, accepted in
     * {@code PARKED} only, leads to the status it carries; it is listed with {@code PARKED} itself as a stand-in
     * (see {@link #successors} for where it may really lead).
     */
    public Map<Class<? extends TransferEvent>, TransferStatus> accepted(TransferStatus from) {
        return from == TransferStatus.PARKED ? Map.of(Unparked.class, TransferStatus.PARKED) : TABLE.get(from);
    }

    private static String eventName(TransferEvent event) {
        return event.getClass().getSimpleName();
    }

    private static Map<TransferStatus, Map<Class<? extends TransferEvent>, TransferStatus>> table() {
        Map<TransferStatus, Map<Class<? extends TransferEvent>, TransferStatus>> t = new EnumMap<>(TransferStatus.class);
        for (TransferStatus s : TransferStatus.values()) {
            t.put(s, new LinkedHashMap<>());
        }
        t.get(TransferStatus.SENT).put(Finalized.class, TransferStatus.FINALIZED);
        t.get(TransferStatus.SENT).put(Reorged.class, TransferStatus.REORGED);
        t.get(TransferStatus.SENT).put(Relocated.class, TransferStatus.SENT);
        t.get(TransferStatus.SENT).put(Underpaid.class, TransferStatus.UNDERPAID);
        // message ids are content hashes: a log re-included after its transfer was marked REORGED (a transaction
        // back from the mempool, a replayed raw transaction) has the same id, and must not be ignored with the
        // funds it locked; it starts over at SENT and waits for finality again (it was never attested)
        t.get(TransferStatus.REORGED).put(Relocated.class, TransferStatus.SENT);
        t.get(TransferStatus.FINALIZED).put(Attested.class, TransferStatus.ATTESTED);
        t.get(TransferStatus.FINALIZED).put(Underpaid.class, TransferStatus.UNDERPAID);
        t.get(TransferStatus.UNDERPAID).put(TopUpSeen.class, TransferStatus.FINALIZED);
        t.get(TransferStatus.ATTESTED).put(Submitted.class, TransferStatus.SUBMITTED);
        t.get(TransferStatus.SUBMITTED).put(Delivered.class, TransferStatus.DELIVERED);
        t.get(TransferStatus.SUBMITTED).put(ExecutionFailed.class, TransferStatus.FAILED);
        t.get(TransferStatus.SUBMITTED).put(Replaced.class, TransferStatus.SUBMITTED);
        t.get(TransferStatus.FAILED).put(RetryRequested.class, TransferStatus.ATTESTED);
        t.get(TransferStatus.ATTESTED).put(Undeliverable.class, TransferStatus.UNDELIVERABLE);
        t.get(TransferStatus.SUBMITTED).put(Undeliverable.class, TransferStatus.UNDELIVERABLE);
        t.get(TransferStatus.UNDELIVERABLE).put(RetryRequested.class, TransferStatus.ATTESTED);
        for (TransferStatus waiting : PARKABLE) {
            t.get(waiting).put(Parked.class, TransferStatus.PARKED);
        }
        // PARKED --Unparked--> is decided in apply: it returns to the status the event carries
        t.replaceAll((status, row) -> Collections.unmodifiableMap(row));
        return Collections.unmodifiableMap(t);
    }
}
