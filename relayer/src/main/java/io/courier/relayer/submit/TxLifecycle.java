package io.courier.relayer.submit;

import io.courier.chain.message.TxHash;

/**
 * The lifecycle of one destination transaction of the signer (issue 10): {@link State.Built} → {@link State.Broadcast} →
 * {@link State.Included} → {@link State.Final}, or {@link State.Replaced} (a fee bump at its nonce), or
 * {@link State.Dropped}. Pure: {@link #next} is a function of the state and an event, and it is where ADR 004's order is
 * kept: a transaction may be sent only after its submission is recorded and a transfer was moved to carry it; a receipt
 * is final only at the destination's confirmations. An event that cannot happen in a state is {@link Step.Illegal}, never
 * a silent change; the end states take no event.
 */
final class TxLifecycle {

    /** Where a transaction is. */
    sealed interface State {

        /** Signed; {@code recorded}: its {@code submissions} row written; {@code carried}: a transfer moved to it (SUBMITTED). */
        record Built(boolean recorded, boolean carried) implements State {}

        /** Sent to the node {@code sends} times (0: persisted, but its broadcast failed: sent again at the next poll). */
        record Broadcast(int sends) implements State {}

        /** Mined in {@code block}, with fewer confirmations than the destination asks. */
        record Included(long block) implements State {}

        /** Mined in {@code block} and confirmed: its outcome is recorded from the receipt. */
        record Final(long block, boolean succeeded) implements State {}

        /** A replacement at the same nonce ({@code by}, a fee bump) is the transaction followed now. */
        record Replaced(TxHash by) implements State {}

        /** It will never be mined, and why. */
        record Dropped(Drop why) implements State {}
    }

    /** Why a transaction ends without a receipt. */
    enum Drop {
        /** Its record was certainly not written and it was never sent: its nonce is handed out again. */
        NOTHING_RECORDED,
        /** Recorded, but every transfer moved away before it was sent: recovery adopts or fills its nonce. */
        NOT_CARRIED,
        /** Another transaction was mined at its nonce: its transfers are prepared again at a new one. */
        NONCE_TAKEN,
        /** The node refused it for good: its nonce is filled with a no-op and its transfers are UNDELIVERABLE. */
        REFUSED
    }

    /** What happened to a transaction. */
    sealed interface Event {

        /** Its submission's record was written (or its write's outcome is unknown: it may exist, so it counts). */
        record Recorded() implements Event {}

        /** Its submission's record was certainly not written. */
        record NotRecorded() implements Event {}

        /** At least one transfer was moved to carry it. */
        record Carried() implements Event {}

        /** No transfer carries it (they moved away, or the moves were rejected). */
        record NothingCarried() implements Event {}

        /** The node accepted it (or already had it). */
        record Sent() implements Event {}

        /** Sending it failed for a reason that may pass. */
        record SendFailed() implements Event {}

        /** A receipt in {@code block}, seen with the head at {@code head}; {@code confirmations}: what the destination asks. */
        record Receipt(long block, boolean succeeded, long head, long confirmations) implements Event {}

        /** Its receipt is gone (a destination reorg): back to waiting for one. */
        record ReceiptGone() implements Event {}

        record NonceTaken() implements Event {}

        record Refused() implements Event {}

        record ReplacedBy(TxHash by) implements Event {}
    }

    /** The answer of {@link #next}. */
    sealed interface Step {

        record To(State state) implements Step {}

        record Illegal(State from, Event event, String why) implements Step {}
    }

    private TxLifecycle() {}

    static State built() {
        return new State.Built(false, false);
    }

    static boolean ended(State s) {
        return s instanceof State.Final || s instanceof State.Replaced || s instanceof State.Dropped;
    }

    /** Whether the transaction may be sent now: recorded and carried (ADR 004), or sent before (a rebroadcast). */
    static boolean maySend(State s) {
        return s instanceof State.Built b && b.recorded() && b.carried() || s instanceof State.Broadcast;
    }

    static Step next(State s, Event e) {
        if (ended(s)) {
            return illegal(s, e, "the transaction's lifecycle has ended");
        }
        if (s instanceof State.Built b) {
            return fromBuilt(b, e);
        }
        if (s instanceof State.Broadcast b) {
            if (e instanceof Event.Sent) {
                return to(new State.Broadcast(b.sends() + 1));
            }
            if (e instanceof Event.SendFailed) {
                return to(b);
            }
            if (e instanceof Event.ReplacedBy r) {
                return to(new State.Replaced(r.by()));
            }
            return e instanceof Event.Receipt r ? mined(r) : dropOrIllegal(s, e);
        }
        State.Included included = (State.Included) s;
        if (e instanceof Event.Receipt r) {
            return mined(r);
        }
        return e instanceof Event.ReceiptGone ? to(new State.Broadcast(0)) : illegal(included, e, "it is mined");
    }

    private static Step fromBuilt(State.Built b, Event e) {
        if (e instanceof Event.Recorded) {
            return to(new State.Built(true, b.carried()));
        }
        if (e instanceof Event.NotRecorded) {
            return b.recorded() || b.carried() ? illegal(b, e, "it was recorded") : to(new State.Dropped(Drop.NOTHING_RECORDED));
        }
        if (!b.recorded()) {
            return illegal(b, e, "its submission is not recorded yet");
        }
        if (e instanceof Event.Carried) {
            return to(new State.Built(true, true));
        }
        if (e instanceof Event.NothingCarried) {
            return b.carried() ? illegal(b, e, "a transfer carries it") : to(new State.Dropped(Drop.NOT_CARRIED));
        }
        if (!b.carried()) {
            return illegal(b, e, "no transfer carries it yet");
        }
        if (e instanceof Event.Sent) {
            return to(new State.Broadcast(1));
        }
        if (e instanceof Event.SendFailed) {
            return to(new State.Broadcast(0));
        }
        return e instanceof Event.Refused ? to(new State.Dropped(Drop.REFUSED)) : illegal(b, e, "it was never sent");
    }

    private static Step mined(Event.Receipt r) {
        if (r.head() < r.block()) {
            return new Step.Illegal(new State.Included(r.block()), r, "a receipt in block " + r.block() + " above the head " + r.head());
        }
        return to(r.head() - r.block() + 1 >= r.confirmations() ? new State.Final(r.block(), r.succeeded()) : new State.Included(r.block()));
    }

    private static Step dropOrIllegal(State s, Event e) {
        if (e instanceof Event.NonceTaken) {
            return to(new State.Dropped(Drop.NONCE_TAKEN));
        }
        return e instanceof Event.Refused ? to(new State.Dropped(Drop.REFUSED)) : illegal(s, e, "it was sent already");
    }

    private static Step to(State s) {
        return new Step.To(s);
    }

    private static Step illegal(State s, Event e, String why) {
        return new Step.Illegal(s, e, e.getClass().getSimpleName() + " in " + s + ": " + why);
    }
}
