package io.courier.relayer.submit;

import io.courier.chain.message.Address;

import io.courier.chain.message.BlockHash;

import io.courier.chain.message.TxHash;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.finality.SourceRef;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.submit.NonceRecovery.Adopt;
import io.courier.relayer.submit.NonceRecovery.Fill;
import io.courier.relayer.submit.NonceRecovery.Follow;
import io.courier.relayer.submit.NonceRecovery.Plan;
import io.courier.relayer.submit.NonceRecovery.Step;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class NonceRecoveryTest {

    private static final long DST = 1002;
    private static final Address SIGNER = Address.fromHex("0x" + "44".repeat(20));
    private static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");

    @Test
    void crashBetweenRecordingAndSubmittedIsAdoptedNotSkipped() {
        // nonce 13 recorded for a transfer still ATTESTED (the node died before SUBMITTED); 14 and 15 are SUBMITTED
        Transfer a = attested(1);
        Transfer b = attested(2);
        Transfer c = attested(3);
        Submission s13 = submission(13, a, true);
        Submission s14 = submission(14, b, true);
        Submission s15 = submission(15, c, true);
        Map<MessageId, Transfer> transfers = Map.of(a.id(), a, b.id(), submitted(b, s14), c.id(), submitted(c, s15));

        Plan plan = NonceRecovery.plan(13, 13, List.of(s13, s14, s15), transfers);

        assertThat(plan.firstFree()).isEqualTo(16);
        assertThat(plan.steps()).hasSize(3);
        assertThat(plan.steps().get(0)).isInstanceOf(Adopt.class);
        assertThat(((Adopt) plan.steps().get(0)).transfers()).extracting(Transfer::id).containsExactly(a.id());
        assertThat(plan.steps().get(1)).isInstanceOf(Follow.class);
        assertThat(plan.steps().get(2)).isInstanceOf(Follow.class);
    }

    @Test
    void theNonceOfATransactionTheNodeRefusedForGoodIsFilledNotFollowed() {
        // a's transaction at 7 was refused (TX_REJECTED) and a moved SUBMITTED -> UNDELIVERABLE: nothing will mine 7 but a no-op
        Transfer a = attested(1);
        Submission s7 = submission(7, a, true);
        Transfer refused = submitted(a, s7).next(new TransferEvent.Undeliverable(io.courier.finality.DeliveryObstacle.REJECTED_BY_NODE,
                "intrinsic gas too low"), T0);
        Plan plan = NonceRecovery.plan(7, 7, List.of(s7), Map.of(a.id(), refused));
        assertThat(plan.steps()).containsExactly(new Fill(7));
    }

    @Test
    void aNonceWhoseTransferMovedOnIsFilled() {
        Transfer a = attested(1);
        Transfer b = attested(2);
        Submission s5 = submission(5, a, true);
        Submission s6 = submission(6, b, true);
        // a was delivered by another transaction; b is SUBMITTED with s6
        Transfer aDelivered = submitted(a, submission(9, a, true)).next(new TransferEvent.Delivered(TxHash.fromHex(hash()), 40), T0);
        Plan plan = NonceRecovery.plan(5, 5, List.of(s5, s6), Map.of(a.id(), aDelivered, b.id(), submitted(b, s6)));
        assertThat(plan.steps()).extracting(Step::nonce).containsExactly(5L, 6L);
        assertThat(plan.steps().get(0)).isEqualTo(new Fill(5));
        assertThat(plan.steps().get(1)).isInstanceOf(Follow.class);
    }

    @Test
    void aGivenBackNonceReusedByAnotherTransferFollowsTheOneThatIsSubmitted() {
        Transfer x = attested(1);
        Transfer y = attested(2);
        Submission stale = submission(7, x, true); // x moved away before SUBMITTED; nonce 7 went to y
        Submission used = submission(7, y, true);
        Submission xAgain = submission(8, x, true);
        Plan plan = NonceRecovery.plan(7, 7, List.of(stale, used, xAgain), Map.of(x.id(), submitted(x, xAgain), y.id(), submitted(y, used)));
        assertThat(plan.steps()).hasSize(2);
        assertThat(plan.steps().get(0)).isInstanceOfSatisfying(Follow.class, f -> assertThat(f.submission()).isEqualTo(used));
        assertThat(plan.steps().get(1)).isInstanceOfSatisfying(Follow.class, f -> assertThat(f.submission()).isEqualTo(xAgain));
    }

    @Test
    void withoutARecordedRawTransactionNothingCanBeAdopted() {
        Transfer a = attested(1);
        Plan plan = NonceRecovery.plan(3, 3, List.of(submission(3, a, false)), Map.of(a.id(), a));
        assertThat(plan.steps()).containsExactly(new Fill(3));
    }

    @Test
    void nothingUnminedMeansNoSteps() {
        Transfer a = attested(1);
        Plan plan = NonceRecovery.plan(10, 10, List.of(submission(9, a, true)), Map.of(a.id(), a));
        assertThat(plan.firstFree()).isEqualTo(10);
        assertThat(plan.steps()).isEmpty();
    }

    @Test
    void pendingAboveEveryRecordCountsAsUsed() {
        Plan plan = NonceRecovery.plan(4, 6, List.of(), Map.of());
        assertThat(plan.firstFree()).isEqualTo(6);
        assertThat(plan.steps()).containsExactly(new Fill(4), new Fill(5));
    }

    /**
     * One recorded submission, drawn as the records of a restarted node look: its transfer (by source nonce, so the
     * same transfer can turn up in several records), its nonce relative to the chain's mined nonce (from 3 below to
     * 16 above), whether its raw transaction was kept (four times in five), and what the store says of the
     * transfer now.
     */
    record Recorded(int transfer, int nonceOffset, boolean withRaw, Stored stored) {}

    enum Stored {
        /** ATTESTED: the node stopped before SUBMITTED was persisted. */
        ATTESTED,
        /** SUBMITTED with this very transaction. */
        SUBMITTED_WITH_IT,
        /** SUBMITTED with another transaction, one nonce higher. */
        SUBMITTED_WITH_ANOTHER,
        /** Not in the store at all. */
        UNKNOWN
    }

    /**
     * Whatever the records and states: every unmined nonce below firstFree gets exactly one step, in order;
     * firstFree is past the chain's pending nonce and every recorded nonce; Follow only names transfers SUBMITTED
     * with that very transaction, Adopt only ATTESTED transfers with a raw transaction to send. The records are
     * generated field by field (same ranges as a seeded {@link Random} would draw them), so a failure shrinks to
     * fewer records with smaller offsets. 1000 examples (it was 300): one plan over at most 25 records each.
     */
    @Test
    void everyUnminedNonceGetsExactlyOneConsistentStep() {
        Gen<Recorded> record = integers().between(0, 999_999).zip(integers().between(0, 19),
                integers().between(0, 4).map(i -> i > 0), integers().between(0, 3).map(i -> Stored.values()[i]), Recorded::new);
        qt().withExamples(1000)
                .forAll(longs().between(0, 50), integers().between(0, 8), lists().of(record).ofSizeBetween(0, 25))
                .checkAssert(NonceRecoveryTest::everyUnminedNonceGetsExactlyOneConsistentStep);
    }

    private static void everyUnminedNonceGetsExactlyOneConsistentStep(long mined, int pendingAhead, List<Recorded> records) {
        List<Submission> recorded = new ArrayList<>();
        Map<MessageId, Transfer> transfers = new HashMap<>();
        for (Recorded r : records) {
            Transfer t = attested(r.transfer());
            long nonce = Math.max(0, mined - 3 + r.nonceOffset());
            Submission s = submission(nonce, t, r.withRaw());
            recorded.add(s);
            switch (r.stored()) {
                case ATTESTED -> transfers.put(t.id(), t);
                case SUBMITTED_WITH_IT -> transfers.put(t.id(), submitted(t, s));
                case SUBMITTED_WITH_ANOTHER -> transfers.put(t.id(), submitted(t, submission(nonce + 1, t, true)));
                case UNKNOWN -> { } // unknown to the store
            }
        }
        long pending = mined + pendingAhead;

        Plan plan = NonceRecovery.plan(mined, pending, recorded, transfers);

        assertThat(plan.firstFree()).isGreaterThanOrEqualTo(pending);
        recorded.forEach(s -> assertThat(plan.firstFree()).isGreaterThan(s.nonce()));
        assertThat(plan.steps()).extracting(Step::nonce)
                .containsExactlyElementsOf(LongStream.range(mined, plan.firstFree()).boxed().toList());
        for (Step step : plan.steps()) {
            if (step instanceof Follow f) {
                assertThat(f.submission().nonce()).isEqualTo(f.nonce());
                assertThat(f.transfers()).isNotEmpty().allSatisfy(t -> {
                    assertThat(t.status()).isEqualTo(TransferStatus.SUBMITTED);
                    assertThat(t.destinationTx()).contains(f.submission().txHash());
                });
            } else if (step instanceof Adopt a) {
                assertThat(a.submission().nonce()).isEqualTo(a.nonce());
                assertThat(a.submission().raw()).isPresent();
                assertThat(a.transfers()).isNotEmpty().allSatisfy(t -> assertThat(t.status()).isEqualTo(TransferStatus.ATTESTED));
                // a nonce whose recorded transaction a transfer is SUBMITTED with is followed, never adopted or filled
                assertThat(recorded).filteredOn(s -> s.nonce() == a.nonce())
                        .noneMatch(s -> s.messageIds().stream().map(transfers::get)
                                .anyMatch(t -> t != null && t.destinationTx().map(s.txHash()::equals).orElse(false)));
            } else {
                assertThat(recorded).filteredOn(s -> s.nonce() == step.nonce()).noneMatch(s -> s.messageIds().stream()
                        .map(transfers::get).anyMatch(t -> t != null && (t.status() == TransferStatus.ATTESTED && s.raw().isPresent()
                                || t.destinationTx().map(s.txHash()::equals).orElse(false))));
            }
        }
    }

    private static Transfer attested(long nonce) {
        CrossChainMessage m = new CrossChainMessage(1001, "0x" + "11".repeat(20), nonce, DST, "0x" + "22".repeat(20),
                "0x" + "33".repeat(20), ("payload " + nonce).getBytes(StandardCharsets.UTF_8));
        return Transfer.observed(m, new SourceRef(TxHash.fromHex(hash()), 10, BlockHash.fromHex(hash()), 0), 1, T0)
                .next(new TransferEvent.Finalized(1), T0).next(new TransferEvent.Attested(2), T0);
    }

    /** The attempts a SUBMITTED transaction replaced at its nonce (fee bumps before a restart) come with it, oldest first. */
    @Test
    void aFollowedTransactionBringsTheAttemptsItReplacedOldestFirst() {
        Transfer a = attested(1);
        Transfer b = attested(2);
        Submission first = submission(7, a, true, T0);
        Submission second = submission(7, a, true, T0.plusSeconds(5));
        Submission newest = submission(7, a, true, T0.plusSeconds(9));
        Submission other = submission(8, b, true, T0);
        Map<MessageId, Transfer> transfers = Map.of(a.id(), submitted(a, newest), b.id(), submitted(b, other));

        Plan plan = NonceRecovery.plan(7, 7, List.of(second.withReplacement(newest.txHash()), newest,
                first.withReplacement(second.txHash()), other), transfers);

        assertThat(plan.steps().get(0)).isInstanceOfSatisfying(Follow.class, f -> {
            assertThat(f.submission()).isEqualTo(newest);
            assertThat(f.earlier()).extracting(Submission::txHash).containsExactly(first.txHash(), second.txHash());
        });
        assertThat(plan.steps().get(1)).isInstanceOfSatisfying(Follow.class, f -> assertThat(f.earlier()).isEmpty());
    }

    private static Submission submission(long nonce, Transfer t, boolean withRaw, Instant at) {
        Submission s = submission(nonce, t, withRaw);
        return new Submission(s.dstChainId(), s.signer(), s.nonce(), s.txHash(), s.messageIds(), s.maxFeePerGas(), s.maxPriorityFeePerGas(),
                s.gasLimit(), at, null, s.rawTransaction());
    }

    private static Transfer submitted(Transfer attested, Submission s) {
        return attested.next(new TransferEvent.Submitted(s.txHash(), s.nonce()), T0);
    }

    private static Submission submission(long nonce, Transfer t, boolean withRaw) {
        return new Submission(DST, SIGNER, nonce, TxHash.fromHex(hash()), List.of(t.id()), BigInteger.TEN, BigInteger.ONE, 100_000, T0,
                null, withRaw ? "0x02f8" + HexFormat.of().formatHex(t.id().bytes()) : null);
    }

    private static String hash() {
        byte[] bytes = new byte[32];
        new Random().nextBytes(bytes);
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
