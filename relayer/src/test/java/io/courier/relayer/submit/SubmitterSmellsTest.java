package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.message.TxHash;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.TransitionRejectedException;
import io.courier.relayer.fakes.ActorTestSupport;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/** Review findings on the submitter, each pinned by a test that failed before its fix. */
class SubmitterSmellsTest extends ActorTestSupport {


    private static final String ROUTE = "1001->1002";

    /** Different transactions recorded at one nonce: only one of them can ever be mined. */
    private static Map<Long, Set<TxHash>> txsByNonce(List<Submission> recorded) {
        return recorded.stream().collect(Collectors.groupingBy(Submission::nonce,
                Collectors.mapping(Submission::txHash, Collectors.toSet())));
    }

    @Test
    void aNonceWhoseTransactionWasRecordedIsNotHandedOutAgainWhenTheTransferMovedAway() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        // another node moves A to SUBMITTED with its own transaction between our record and our SUBMITTED write
        h.transfers.onTransition = call -> {
            if (call.id().equals(a.id()) && call.event() instanceof TransferEvent.Submitted) {
                h.transfers.apply(a.id(), TransferStatus.ATTESTED, new TransferEvent.Submitted(TxHash.fromHex("0x" + "99".repeat(32)), 40), h.clock.instant());
            }
            return null;
        };
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.submissions.recordCalls.size() == 1);
        Transfer b = h.attested(2);
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> h.chain.sent.size() == 1);

        assertThat(h.chain.sentHashes()).containsExactly(h.submissions.recordCalls.get(1).txHash());
        assertThat(txsByNonce(h.submissions.recordCalls)).allSatisfy((nonce, txs) -> assertThat(txs).as("nonce %d", nonce).hasSize(1));
    }

    @Test
    void aNonceIsNotHandedOutAgainAfterARejectedTransitionOfARecordedTransaction() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        h.transfers.onTransition = call -> call.id().equals(a.id()) && call.event() instanceof TransferEvent.Submitted
                ? CompletableFuture.failedFuture(new TransitionRejectedException(a.id(), TransferStatus.ATTESTED, call.event(), "scripted"))
                : null;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        // A stays ATTESTED (its move is rejected), so a sweep may prepare and record it again at once: at least one
        await().until(() -> h.submissions.recordCalls.size() >= 1);
        Transfer b = h.attested(2);
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> h.chain.sent.size() == 1);

        assertThat(txsByNonce(h.submissions.recordCalls)).allSatisfy((nonce, txs) -> assertThat(txs).as("nonce %d", nonce).hasSize(1));
    }

    @Test
    void receiptPollsOfOneRoundDoNotOverlapWithTheNext() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        List<CompletableFuture<Optional<io.courier.chain.TxReceipt>>> pending = new CopyOnWriteArrayList<>();
        h.chain.onReceipt = hash -> {
            CompletableFuture<Optional<io.courier.chain.TxReceipt>> f = new CompletableFuture<>();
            pending.add(f);
            return f;
        };
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);

        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.chain.receiptCalls.size() == 1);
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        // a later message with a visible effect: once it is handled, the second poll was handled before it
        Transfer probe = h.attested(2);
        submitter.tell(new Submitter.Ready(probe.id()));
        await().until(() -> h.chain.sent.size() == 2);
        assertThat(h.chain.receiptCalls).as("a poll while the round's receipt is outstanding").hasSize(1);

        pending.get(0).complete(Optional.empty());
        await().untilAsserted(() -> {
            submitter.tell(Submitter.PollReceipts.INSTANCE);
            assertThat(h.chain.receiptCalls.size()).isGreaterThan(1);
        });
    }

    @Test
    void theTransfersGaugeOfAStateThatEmptiedDropsToZero() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        // the transfer stays ATTESTED until the gauge said so: a sweep that ran after the submission would overwrite it
        CompletableFuture<String> gate = new CompletableFuture<>();
        h.chain.onPreflight = data -> gate;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.gauge("ATTESTED", ROUTE) == 1.0);
        gate.complete("0x");
        await().until(() -> h.status(a) == TransferStatus.SUBMITTED);

        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.gauge("SUBMITTED", ROUTE) == 1.0);
        assertThat(h.gauge("ATTESTED", ROUTE)).isZero();
    }
}
