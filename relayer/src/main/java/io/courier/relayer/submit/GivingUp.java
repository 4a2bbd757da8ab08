package io.courier.relayer.submit;

import io.courier.chain.message.TxHash;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.TransferEvent;
import io.courier.finality.store.TransitionOutcome;
import java.time.Instant;
import java.util.Optional;

/**
 * When the submitter gives a message up as UNDELIVERABLE, with which event, and what recording it came to: a pre-flight
 * that keeps reverting (after {@link PreflightBackoff#MAX_ATTEMPTS}), a transaction the node refused for good. (A message
 * over a limit is given up by its preparation, {@link LonePreparation.Outcome.Blocked}.) Pure; the actor records it.
 */
final class GivingUp {

    private GivingUp() {}

    /** After a reverted pre-flight: wait out the backoff, or give up. */
    sealed interface AfterRevert {

        /** The message's backoff from now on (none once it is given up). */
        Optional<PreflightBackoff> backoff();

        record Wait(PreflightBackoff next) implements AfterRevert {
            public Optional<PreflightBackoff> backoff() {
                return Optional.of(next);
            }
        }

        record GiveUp(TransferEvent.Undeliverable event) implements AfterRevert {
            public Optional<PreflightBackoff> backoff() {
                return Optional.empty();
            }
        }
    }

    /** The pre-flight reverted once more at {@code now} ({@code backoff}: the message's so far). */
    static AfterRevert afterRevert(Optional<PreflightBackoff> backoff, Instant now, String reason) {
        Optional<PreflightBackoff> next = PreflightBackoff.after(backoff, now);
        return next.<AfterRevert>map(AfterRevert.Wait::new).orElseGet(() -> new AfterRevert.GiveUp(new TransferEvent.Undeliverable(
                DeliveryObstacle.PREFLIGHT_KEEPS_REVERTING, "pre-flight eth_call reverted " + PreflightBackoff.MAX_ATTEMPTS + " times: " + reason)));
    }

    /** The node refused {@code tx} for good (sending it again cannot help). */
    static TransferEvent.Undeliverable rejectedByNode(TxHash tx, String reason) {
        return new TransferEvent.Undeliverable(DeliveryObstacle.REJECTED_BY_NODE, "node refused " + tx + ": " + reason);
    }

    /** What writing UNDELIVERABLE came to. */
    sealed interface Recording {

        /** Written: the message is done. */
        record Recorded() implements Recording {}

        /** Written before (a replay): quiet. */
        record Replay() implements Recording {}

        /** Not written (moved on meanwhile, or the write failed: the sweep finds it): said once, {@code why}. */
        record NotRecorded(Object why) implements Recording {}
    }

    static Recording recording(TransitionOutcome outcome, Throwable error) {
        if (error != null) {
            return new Recording.NotRecorded(Submitter.rootMessage(error));
        }
        if (outcome instanceof TransitionOutcome.Applied) {
            return new Recording.Recorded();
        }
        return outcome instanceof TransitionOutcome.AlreadyApplied ? new Recording.Replay() : new Recording.NotRecorded(outcome);
    }
}
