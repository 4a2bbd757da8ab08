package io.courier.relayer.submit;

import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeSettings;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.submit.Inflight.Resend;
import io.courier.relayer.submit.Inflight.Sender;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The send side of a submitter (docs/adr/004): the signer's nonces ({@link NonceManager}) and the transactions followed to
 * their outcome ({@link PendingTransactions}), and what each result means for them — a signing, a recovery plan, a
 * broadcast, a receipt, a rebroadcast, a fee bump, an outcome's record. Every method applies its change and returns the
 * typed {@link Step}s the actor carries out (record and send, fill a nonce, price or send a replacement, record an
 * outcome); the side effects stay in the actor, in ADR 004's order. Plain single-threaded state without I/O, owned by the
 * actor; it reports through {@link DeliveryTelemetry} (metrics and log lines, no I/O).
 */
final class Outbox {

    /** What the actor does next. */
    sealed interface Step {

        /** Record {@code record} (empty: recorded already, adopted by recovery), move the transfers to {@code tx}, send it. */
        record Send(OutgoingTransaction tx, List<Inflight> entries, Optional<Submission> record) implements Step {}

        /** A no-op at {@code nonce}, so the transactions after it can be mined. */
        record Fill(long nonce) implements Step {}

        /** Price a replacement for the unmined transaction at {@code attempts}' nonce (a fee bump). */
        record PriceBump(NonceAttempts attempts, long head) implements Step {}

        /** Record the fee-bump replacement, move its transfers to it, send it ({@code before}: their entries as they were). */
        record SendReplacement(FeeBumps.Replacement replacement, List<Inflight> before) implements Step {}

        /** Send the transaction again ({@code raw}: its bytes when at hand); {@code entries}: its members, resent now. */
        record Resend(List<Inflight> entries, Optional<String> raw) implements Step {}

        /** Its transaction can never be mined: prepare {@code current}'s message again on its own, at a new nonce. */
        record Replace(MessageId id, Inflight current) implements Step {}

        /** Record the outcome a final receipt means for one message. */
        record RecordOutcome(ReceiptMeaning.Recorded outcome, TxHash tx) implements Step {}

        /** Record someone else's execution of the message (SUBMITTED with it, followed to its receipt). */
        record RecordObserved(Inflight observed, LonePreparation.Outcome.ExecutedElsewhere seen) implements Step {}

        /** Record the transfer UNDELIVERABLE from {@code from}. */
        record RecordUndeliverable(Transfer transfer, TransferStatus from, TransferEvent.Undeliverable event) implements Step {}

        /** Plan what is queued: a transaction or a nonce was freed. */
        enum Drain implements Step { INSTANCE }
    }

    /** One receipt to ask in a round: under any of {@code attempts} (fee bumps), for every message {@code tx} carries. */
    record ReceiptAsk(PendingTransactions.Pending tx, List<TxHash> attempts) {}

    private final NonceManager nonces;
    private final PendingTransactions pending = new PendingTransactions();
    private final ReceiptRounds receiptRounds = new ReceiptRounds();
    private final Intake intake;
    private final DeliveryTelemetry telemetry;
    private final ChainSigner account;
    private final long chainId;
    private final Address gateway;
    private final FeeSettings fees;
    private final long confirmations;
    private final Duration rebroadcastAfter;
    private final Clock clock;

    Outbox(long firstFreeNonce, Intake intake, DeliveryTelemetry telemetry, ChainSigner account, long chainId, Address gateway,
           FeeSettings fees, long confirmations, Duration rebroadcastAfter, Clock clock) {
        this.nonces = new NonceManager(firstFreeNonce);
        this.intake = intake;
        this.telemetry = telemetry;
        this.account = account;
        this.chainId = chainId;
        this.gateway = gateway;
        this.fees = fees;
        this.confirmations = confirmations;
        this.rebroadcastAfter = rebroadcastAfter;
        this.clock = clock;
    }

    boolean carries(MessageId id) {
        return pending.carries(id);
    }

    /** How many distinct transactions are followed ({@code max-in-flight} counts them). */
    int transactions() {
        return pending.transactions();
    }

    /** Nothing followed and every nonce handed out is accounted for: no nonce check is needed. */
    boolean settled() {
        return pending.isEmpty() && nonces.settled();
    }

    // ── nonces ───────────────────────────────────────────────────────────────────────────────────────

    /**
     * Applies what the present state does not already cover: a nonce held by a transaction in flight is left alone, and only
     * nonces the nonce manager handed out (or was built past) are adopted or filled.
     */
    List<Step> noncePlan(NonceRecovery.Plan plan) {
        List<Step> steps = new ArrayList<>();
        for (NonceRecovery.Step step : nonces.recover(plan, pending.heldNonces(), adopt -> adopt.transfers().stream()
                .anyMatch(t -> pending.carries(t.id()) || intake.preparing(t.id())))) {
            if (step instanceof NonceRecovery.Follow follow) {
                // broadcast again at the next poll: the crash may have come before the first broadcast
                pending.follow(follow).forEach(intake::unqueue);
                if (nonces.attempts(follow.nonce()).isEmpty()) {
                    // recorded before a restart: its receipts asked under every attempt, bumped like this incarnation's own
                    NonceAttempts.recovered(follow.submission(), follow.earlier()).ifPresent(nonces::track);
                }
            } else if (step instanceof NonceRecovery.Adopt adopt) {
                for (Transfer t : adopt.transfers()) {
                    telemetry.adopting(t.id(), adopt);
                    intake.unqueue(t.id());
                }
                steps.add(send(OutgoingTransaction.adopted(adopt), Optional.empty()));
            } else {
                steps.add(new Step.Fill(step.nonce()));
            }
        }
        return steps;
    }

    /** A nonce check's plan, read while transactions were in flight. */
    List<Step> nonceChecked(NonceRecovery.Plan plan) {
        List<Step> steps = noncePlan(plan);
        nonces.checked(plan);
        return steps;
    }

    /** A fill's send answered ({@code error}: it failed; the next nonce check retries it). */
    void filled(long nonce, TxHash txHash, Throwable error) {
        nonces.filled(nonce);
        telemetry.filled(nonce, txHash, error);
    }

    // ── sign and send ────────────────────────────────────────────────────────────────────────────────

    /** Signs {@code d} at the next nonce: to be recorded, carried and sent (ADR 004's order). */
    Step sign(UnsignedDelivery d) {
        OutgoingTransaction.Signed signed = OutgoingTransaction.sign(d, nonces.take(), account, chainId, gateway, clock.instant());
        OutgoingTransaction tx = signed.tx();
        d.replacing().ifPresent(old -> telemetry.replacedDropped(tx.ids().get(0), old, tx.hash(), tx.nonce()));
        telemetry.signed(d, tx.hash(), tx.nonce());
        nonces.track(signed.attempts());
        return send(tx, Optional.of(signed.record()));
    }

    private Step send(OutgoingTransaction tx, Optional<Submission> record) {
        List<Inflight> entries = pending.signed(tx.transfers(), tx.nonce(), tx.hash(), Optional.ofNullable(tx.raw()), tx.batchOf(),
                clock.instant());
        return new Step.Send(tx, entries, record);
    }

    /** What recording, carrying and broadcasting {@code entries}' transaction came to. */
    List<Step> sent(List<Inflight> entries, TransactionSends.SendResult result) {
        Inflight any = entries.get(0);
        long nonce = any.heldNonce().orElseThrow();
        BroadcastVerdict verdict = BroadcastVerdict.of(result);
        if (verdict instanceof BroadcastVerdict.Followed followed) {
            telemetry.count("broadcast");
            pending.advance(any.txHash(), new TxLifecycle.Event.Recorded(), new TxLifecycle.Event.Carried(), new TxLifecycle.Event.Sent());
            for (Inflight tx : entries) {
                if (followed.notCarried().contains(tx.transfer().id())) {
                    pending.forget(List.of(tx)); // it moved away before the batch was sent: not ours to follow
                } else {
                    telemetry.submitted(tx, nonce, entries.size());
                }
            }
            return List.of();
        }
        if (verdict instanceof BroadcastVerdict.NonceUnused unused) {
            pending.forget(entries);
            nonces.unused(nonce, unused.why());
            telemetry.notSent(entries, nonce, unused.reason());
            return List.of(Step.Drain.INSTANCE);
        }
        if (verdict instanceof BroadcastVerdict.RejectedForGood rejected) {
            List<Step> steps = new ArrayList<>();
            entries.forEach(tx -> steps.addAll(rejectedByNode(tx, nonce, rejected.reason()))); // sending it again cannot help
            return steps;
        }
        if (verdict instanceof BroadcastVerdict.SendAgain again) {
            telemetry.count("broadcast_failed");
            telemetry.notSent(entries, nonce, again.reason());
            pending.advance(any.txHash(), new TxLifecycle.Event.Recorded(), new TxLifecycle.Event.Carried(),
                    new TxLifecycle.Event.SendFailed());
            entries.forEach(tx -> pending.putIfFollowed(tx.with(Resend.Fixed.NEXT_POLL)));
        }
        return List.of(); // AlreadyKnown: the node has it, fine
    }

    /**
     * The node refused our transaction at {@code nonce} for good (SUBMITTED with it): it is never sent again, its nonce is
     * filled with a no-op at once (a recorded transaction's nonce never goes to another transaction: ADR 004), and the
     * transfer is UNDELIVERABLE. Were the fill lost, the nonce check fills it: its transfer is neither SUBMITTED nor
     * ATTESTED any more.
     */
    private List<Step> rejectedByNode(Inflight tx, long nonce, String reason) {
        pending.forget(List.of(tx));
        telemetry.rejectedByNode(tx, nonce, reason);
        List<Step> steps = new ArrayList<>();
        if (nonces.refused(nonce)) {
            steps.add(new Step.Fill(nonce));
        }
        steps.add(new Step.RecordUndeliverable(tx.transfer(), TransferStatus.SUBMITTED, GivingUp.rejectedByNode(tx.txHash(), reason)));
        steps.add(Step.Drain.INSTANCE);
        return steps;
    }

    // ── receipts ─────────────────────────────────────────────────────────────────────────────────────

    /** A round of receipt polls starts (its number), unless nothing is followed or a round is still answering. */
    OptionalLong startReceiptRound() {
        return pending.isEmpty() ? OptionalLong.empty() : receiptRounds.start();
    }

    /** The transactions a round started now asks about. */
    List<PendingTransactions.Pending> receiptSnapshot() {
        return pending.snapshot();
    }

    /** The round's head is read: one receipt per transaction of its snapshot, under any of its attempts. Empty: a stale round. */
    List<ReceiptAsk> headRead(long round, List<PendingTransactions.Pending> snapshot) {
        if (!receiptRounds.isCurrent(round)) {
            return List.of();
        }
        List<ReceiptAsk> asks = snapshot.stream()
                .map(tx -> new ReceiptAsk(tx, nonces.receiptHashes(tx.members().get(0).heldNonce(), tx.hash()))).toList();
        receiptRounds.asking(round, asks.size());
        return asks;
    }

    void headFailed(long round, Throwable error) {
        if (receiptRounds.headFailed(round)) {
            telemetry.failed("receipts", error);
        }
    }

    /** One receipt poll of {@code asked} (the round's entries) answered at {@code head} ({@code error}: it failed). */
    List<Step> receipt(long round, List<Inflight> asked, Optional<TxReceipt> receipt, long head, Throwable error) {
        receiptRounds.answered(round);
        // the transfers still followed with this transaction, as their entries are now
        List<Inflight> members = error != null ? List.of() : pending.stillCarrying(asked);
        if (members.isEmpty()) {
            return List.of();
        }
        TxHash hash = members.get(0).txHash();
        ReceiptMeaning.Reading reading = ReceiptMeaning.read(members, receipt, head, confirmations, clock.instant(), rebroadcastAfter);
        if (reading instanceof ReceiptMeaning.Reading.Unmined unmined) {
            List<Step> steps = new ArrayList<>();
            if (unmined.resend()) {
                steps.add(resend(members));
            }
            unmined.nonce().ifPresent(n -> nonces.unmined(n, hash, head, fees).ifPresent(a -> steps.add(new Step.PriceBump(a, head))));
            return steps;
        }
        if (reading instanceof ReceiptMeaning.Reading.NotFinal notFinal) {
            notFinal.reached().ifPresent(state -> pending.reached(hash, state));
            return List.of();
        }
        ReceiptMeaning.Reading.Final fin = (ReceiptMeaning.Reading.Final) reading;
        TxReceipt mined = fin.receipt();
        List<Inflight> confirmed = pending.confirmed(members, fin.state());
        if (nonces.minedLeftAlone(members.get(0).heldNonce())) {
            publishExhausted();
        }
        int batchOf = pending.takeBatchSize(hash);
        telemetry.mined(mined.txHash(), mined, batchOf);
        ReceiptMeaning.Outcomes outcomes = ReceiptMeaning.outcomes(mined, confirmed, batchOf, gateway);
        if (outcomes instanceof ReceiptMeaning.Outcomes.BatchReverted) {
            // the whole batch reverted: each goes again on its own (a replacement at a new nonce; its pre-flight finds one
            // executed meanwhile)
            telemetry.batchReverted(mined, batchOf);
            List<Step> steps = new ArrayList<>();
            for (Inflight m : confirmed) {
                intake.markAlone(m.transfer().id());
                steps.addAll(dropped(m));
            }
            return steps;
        }
        return ((ReceiptMeaning.Outcomes.Each) outcomes).recorded().stream()
                .<Step>map(r -> new Step.RecordOutcome(r, mined.txHash())).toList();
    }

    /** An outcome's record answered: {@code status} the transfer moved to (empty when the write applied nothing). */
    List<Step> outcomeRecorded(Inflight tx, Optional<TransferStatus> status, Throwable error) {
        MessageId id = tx.transfer().id();
        pending.remove(id);
        intake.finished(id);
        if (error != null) {
            telemetry.notRecorded(tx, "the outcome of " + tx.txHash(), "will re-check", error);
            // followed again from the next poll; someone else's transaction is still never sent
            pending.put(tx.sender() instanceof Sender.Observed ? tx : tx.sentAgain(clock.instant()));
            return List.of();
        }
        status.ifPresent(s -> telemetry.completed(tx, s));
        return List.of(Step.Drain.INSTANCE);
    }

    // ── rebroadcasts and dropped transactions ────────────────────────────────────────────────────────

    /**
     * Sends the transaction again. If its nonce turns out to be used by another transaction (the node says "nonce too low",
     * or its record is below the chain's mined nonce) and it still has no receipt, it can never be mined: {@link #dropped}.
     */
    private Step resend(List<Inflight> members) {
        List<Inflight> sentAgain = members.stream().map(m -> m.sentAgain(clock.instant())).toList();
        sentAgain.forEach(pending::put);
        Optional<String> known = members.stream().map(m -> m.sender() instanceof Sender.Signed signed ? signed.raw() : Optional.<String>empty())
                .flatMap(Optional::stream).findFirst();
        telemetry.rebroadcasting(members);
        return new Step.Resend(sentAgain, known);
    }

    /** What sending {@code entries}' transaction again found ({@code error}: it could not be sent or asked). */
    List<Step> resent(List<Inflight> entries, TransactionSends.Resent result, Throwable error) {
        if (error != null) {
            telemetry.failed("rebroadcast " + entries.get(0).txHash(), error);
            return List.of();
        }
        List<Step> steps = new ArrayList<>();
        for (Inflight tx : entries) {
            if (result instanceof TransactionSends.Resent.RejectedForGood rejected) {
                if (pending.follows(tx)) {
                    steps.addAll(rejectedByNode(tx, rejected.nonce(), rejected.reason()));
                }
            } else if (result instanceof TransactionSends.Resent.NonceTaken) {
                steps.addAll(dropped(tx));
            }
        }
        return steps;
    }

    /** {@code tx} can never be mined: its message is prepared again on its own, unless it moved on or is being replaced. */
    private List<Step> dropped(Inflight tx) {
        MessageId id = tx.transfer().id();
        Optional<Inflight> current = pending.entry(id);
        if (!pending.follows(tx) || !intake.startReplacing(id)) {
            return List.of();
        }
        // the pre-flight eth_call of its preparation is the last guard: if the message was executed after all, it reverts
        return List.of(new Step.Replace(id, current.orElseThrow()));
    }

    // ── fee bumps: the same nonce, both fees raised, bounded (docs/adr/004, "Fees and bumps") ─────────────

    /** A bump of {@code nonce} was priced at {@code head} ({@code outcome} null with {@code error}: pricing failed). */
    List<Step> bumpPriced(long nonce, long head, FeeBump.Outcome outcome, Throwable error) {
        if (error != null) {
            telemetry.failed("pricing the replacement at nonce " + nonce, error);
        }
        NonceManager.Bump bump = nonces.bumpPriced(nonce, head, Optional.ofNullable(outcome));
        if (bump instanceof NonceManager.Bump.LeftAlone left) {
            publishExhausted();
            telemetry.leftAlone(left.attempts(), left.why());
            return List.of();
        }
        if (!(bump instanceof NonceManager.Bump.Replace replace)) {
            return List.of();
        }
        FeeBumps.Replacement r = FeeBumps.sign(replace, account, chainId, gateway, clock.instant());
        List<Inflight> before = pending.replace(r.before(), r.hash(), Optional.of(r.signed().raw()), clock.instant());
        if (before.isEmpty()) {
            nonces.bumpDropped(r.before().nonce());
            return List.of();
        }
        nonces.track(r.after());
        telemetry.replacing(r.before(), r.hash(), r.fees(), fees);
        return List.of(new Step.SendReplacement(r, before));
    }

    /** What recording and sending a replacement came to. */
    void replacementSent(NonceAttempts before, List<Inflight> entriesBefore, TxHash replacement, TransactionSends.SendResult result) {
        FeeBumps.AfterSend after = FeeBumps.afterSend(result);
        if (after == FeeBumps.AfterSend.SENT) {
            pending.advance(replacement, new TxLifecycle.Event.Recorded(), new TxLifecycle.Event.Carried(), new TxLifecycle.Event.Sent());
            telemetry.feeBumped();
            return;
        }
        if (after == FeeBumps.AfterSend.LOST && nonces.replacementLost(before, replacement)) {
            // the replacement never became anyone's transaction: follow the previous one again, bump again later
            pending.replacementLost(entriesBefore, replacement);
        }
        // NOT_SENT: recorded (perhaps) and carried; the receipt poll rebroadcasts it
        telemetry.failed("sending replacement " + replacement + " at nonce " + before.nonce(), result);
    }

    /** {@code courier_fee_bumps_exhausted}: transactions of this chain left alone at their last bump or the cap, unmined. */
    private void publishExhausted() {
        telemetry.exhausted(nonces.exhausted());
    }

    // ── what the planning round hands over ───────────────────────────────────────────────────────────

    /** The sweep found {@code t} SUBMITTED: followed with its recorded transaction unless it is followed already. */
    void recovered(Transfer t) {
        pending.recovered(t);
    }

    /**
     * Someone executed the message: recorded as the state machine asks (no ATTESTED → DELIVERED shortcut), SUBMITTED with
     * the observed transaction, never rebroadcast (not ours to send), and followed to its receipt like any other.
     */
    Step followObserved(LonePreparation.Outcome.ExecutedElsewhere seen) {
        telemetry.executedElsewhere(seen.transfer().id(), seen.txHash());
        Inflight observed = new Inflight(seen.transfer(), seen.txHash(), new Sender.Observed(seen.nonce()), Resend.Fixed.NEVER);
        pending.put(observed);
        return new Step.RecordObserved(observed, seen);
    }

    /** Recording the observed execution answered: unless it carries the transaction now, the sweep tries again. */
    void observedRecorded(Inflight observed, TransitionOutcome outcome, Throwable error) {
        if (error != null || !TransactionSends.carries(outcome, observed.txHash())) {
            pending.forget(List.of(observed));
            telemetry.notRecorded(observed, "its execution by " + observed.txHash(), "the sweep tries again",
                    error != null ? Submitter.rootMessage(error) : outcome);
        }
    }

    /** The planning round gives {@code t} up from {@code from} (SUBMITTED: the dropped transaction it replaced is let go). */
    List<Step> undeliverable(Transfer t, TransferStatus from, TransferEvent.Undeliverable event) {
        if (from == TransferStatus.SUBMITTED) {
            pending.remove(t.id()); // it holds no nonce of ours any more
        }
        return List.of(new Step.RecordUndeliverable(t, from, event), Step.Drain.INSTANCE);
    }

    /** Writing UNDELIVERABLE answered. A replay is quiet (logged once); a failed write is found by the sweep. */
    void undeliverableRecorded(Transfer t, TransferEvent.Undeliverable event, TransitionOutcome outcome, Throwable error) {
        GivingUp.Recording recording = GivingUp.recording(outcome, error);
        if (recording instanceof GivingUp.Recording.Recorded) {
            intake.finished(t.id());
            telemetry.undeliverable(t, event);
        } else if (recording instanceof GivingUp.Recording.NotRecorded not) {
            telemetry.undeliverableNotRecorded(t, event, not.why());
        }
    }
}
