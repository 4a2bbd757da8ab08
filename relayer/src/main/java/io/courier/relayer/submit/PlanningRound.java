package io.courier.relayer.submit;

import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.MessageId;
import io.courier.delivery.Delivery;
import io.courier.delivery.DeliveryGas;
import io.courier.delivery.DeliveryPlanner;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * The submitter's intake and its planning rounds (docs/adr/009): what is queued, which round is loading, the ready
 * messages of the round just loaded, and what each preparation's outcome means for the intake. Every method applies
 * its change to the {@link Intake} and returns the typed {@link Step}s the actor carries out (loads, preparations,
 * signing, log lines, undeliverable records). Plain state, no I/O, owned by the actor.
 */
final class PlanningRound {

    /** Most queued messages one planning round loads (the rest wait for the next round). */
    static final int PLAN_LIMIT = 1_024;

    /** What the actor does next. */
    sealed interface Step {
        /** Load these queued messages for a planning round. */
        record Load(List<MessageId> ids) implements Step {}

        /** Prepare this message on its own. */
        record PrepareLone(MessageId id) implements Step {}

        /** Prepare this planned multi-message delivery for the gateway's validator {@code set}, under the round's gas model. */
        record PrepareBatch(BatchPreparation.Planned planned, GatewayCalldata.ValidatorSet set, DeliveryGas gas) implements Step {}

        /** Sign, persist and broadcast it (the intake has let it go). */
        record Sign(UnsignedDelivery delivery) implements Step {}

        /** Let go for now, nothing signed or spent: logged, and the queue drained again. */
        sealed interface LetGo extends Step {}

        /** Not now: it stays ATTESTED and the sweep brings it back. */
        record NotNow(MessageId id, String reason) implements LetGo {}

        /** A batch that cannot go together: its messages are queued again to go alone. */
        record Split(BatchPreparation.Outcome.Split split) implements LetGo {}

        /** A batch postponed: its transfers stay ATTESTED and the next sweep queues them again. */
        record Postponed(BatchPreparation.Outcome.Postponed postponed) implements LetGo {}

        /** A reverted pre-flight: the message waits out {@code next}. */
        record BackingOff(MessageId id, String reason, PreflightBackoff next) implements LetGo {}

        /** Record the transfer UNDELIVERABLE from {@code from} (SUBMITTED: its dropped transaction is followed no more). */
        record Undeliverable(Transfer transfer, TransferStatus from, TransferEvent.Undeliverable event) implements Step {}

        /** Someone executed it: follow the observed execution. */
        record FollowObserved(LonePreparation.Outcome.ExecutedElsewhere seen) implements Step {}
    }

    private final Intake intake = new Intake();
    /** The ready messages of the round just loaded, planned once its refusals are handled. */
    private List<BatchPreparation.Candidate> loadedReady = List.of();

    Intake intake() {
        return intake;
    }

    /**
     * What to start now, with {@code txsInFlight} transactions followed: one planning round when {@code batching} (one at
     * a time), else each queued message on its own, within {@code maxInFlight}.
     */
    List<Step> drainNow(boolean batching, int txsInFlight, int maxInFlight) {
        if (batching) {
            if (intake.planning() || !intake.hasQueued() || intake.busy(txsInFlight) >= maxInFlight) {
                return List.of();
            }
            return List.of(new Step.Load(intake.startRound(PLAN_LIMIT)));
        }
        List<Step> steps = new ArrayList<>();
        while (intake.hasQueued() && intake.busy(txsInFlight) < maxInFlight) {
            steps.add(new Step.PrepareLone(intake.nextLone()));
        }
        return steps;
    }

    /** The round's messages are loaded: the refused leave it (not now); the ready wait for {@link #plan}. */
    List<Step> loaded(BatchPreparation.Loaded loaded) {
        intake.roundLoaded();
        loadedReady = loaded.ready();
        List<Step> steps = new ArrayList<>();
        for (BatchPreparation.Refusal refused : loaded.refused()) {
            intake.leftRound(refused.id());
            steps.add(notNow(refused.id(), refused.reason()));
        }
        return steps;
    }

    /** The deliveries of the loaded round's ready messages: lone ones leave the round, the others are batches. */
    List<Step> plan(GatewayCalldata.ValidatorSet set, DeliveryGas gas, DeliveryPlanner.Limits limits) {
        List<BatchPreparation.Candidate> ready = loadedReady;
        loadedReady = List.of();
        List<Step> steps = new ArrayList<>();
        for (BatchPreparation.Planned d : BatchPreparation.plan(ready, intake.alone(), limits, gas)) {
            if (d.delivery() instanceof Delivery.Lone) {
                intake.leftRound(d.ids().get(0));
                steps.add(new Step.PrepareLone(d.ids().get(0)));
            } else {
                intake.batchStarted();
                steps.add(new Step.PrepareBatch(d, set, gas));
            }
        }
        return steps;
    }

    /** Queued, unless in flight ({@code inFlight}), being prepared, or waiting out a pre-flight backoff at {@code now}. */
    void offer(MessageId id, boolean inFlight, Instant now) {
        if (intake.admissible(id, inFlight, now)) {
            intake.queue(id);
        }
    }

    /**
     * The sweep's open transfers: the ATTESTED are offered to the queue; returned, in order, those for the actor — FINALIZED
     * (back to the attester) and SUBMITTED (followed to their receipts).
     */
    List<Transfer> swept(List<Transfer> open, Predicate<MessageId> inFlight, Instant now) {
        List<Transfer> others = new ArrayList<>();
        for (Transfer t : open) {
            switch (t.status()) {
                case ATTESTED -> offer(t.id(), inFlight.test(t.id()), now);
                case FINALIZED, SUBMITTED -> others.add(t);
                default -> { }
            }
        }
        return others;
    }

    /** A batch's preparation ended. */
    Step batchPrepared(BatchPreparation.Outcome outcome, LongPredicate halted) {
        if (outcome instanceof BatchPreparation.Outcome.Ready r) {
            return prepared(new UnsignedDelivery(r.transfers(), r.path(), r.calldata(), r.gasLimit(), r.fees(), Optional.empty()), halted);
        }
        intake.batchResolved(outcome.ids());
        if (outcome instanceof BatchPreparation.Outcome.Split split) {
            intake.requeueAlone(split.ids());
            return new Step.Split(split);
        }
        return new Step.Postponed((BatchPreparation.Outcome.Postponed) outcome);
    }

    /** A lone preparation ended ({@code now}: when, for a pre-flight's backoff). */
    Step lonePrepared(LonePreparation.Outcome o, LongPredicate halted, Instant now) {
        if (o instanceof LonePreparation.Outcome.Ready r) {
            return prepared(r.delivery(), halted);
        }
        if (o instanceof LonePreparation.Outcome.NotNow n) {
            return notNow(n.id(), n.reason());
        }
        if (o instanceof LonePreparation.Outcome.Blocked b) {
            intake.notPrepared(b.id());
            return new Step.Undeliverable(b.transfer(), b.from(), b.event());
        }
        if (o instanceof LonePreparation.Outcome.PreflightReverted reverted) {
            Transfer t = reverted.transfer();
            GivingUp.AfterRevert after = GivingUp.afterRevert(intake.backoff(t.id()), now, reverted.reason());
            intake.preflightReverted(t.id(), after.backoff());
            return after instanceof GivingUp.AfterRevert.Wait wait ? new Step.BackingOff(t.id(), reverted.reason(), wait.next())
                    : new Step.Undeliverable(t, TransferStatus.ATTESTED, ((GivingUp.AfterRevert.GiveUp) after).event());
        }
        LonePreparation.Outcome.ExecutedElsewhere seen = (LonePreparation.Outcome.ExecutedElsewhere) o;
        intake.notPrepared(seen.id());
        intake.backOff(seen.id(), Optional.empty());
        return new Step.FollowObserved(seen);
    }

    /** Ready to sign, unless a source chain was halted meanwhile (then nothing is signed for it). */
    private Step prepared(UnsignedDelivery p, LongPredicate halted) {
        List<MessageId> ids = p.transfers().stream().map(Transfer::id).toList();
        Optional<String> why = p.halted(halted);
        if (why.isPresent()) {
            if (p.batch()) {
                intake.batchResolved(ids);
                return new Step.Postponed(new BatchPreparation.Outcome.Postponed(ids, why.get()));
            }
            return notNow(ids.get(0), why.get());
        }
        if (p.batch()) {
            intake.batchResolved(ids);
        }
        ids.forEach(intake::signed);
        return new Step.Sign(p);
    }

    private Step notNow(MessageId id, String reason) {
        intake.notPrepared(id);
        return new Step.NotNow(id, reason);
    }
}
