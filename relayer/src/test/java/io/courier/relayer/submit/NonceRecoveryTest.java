package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

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
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class NonceRecoveryTest {

    private static final long DST = 1002;
    private static final String SIGNER = "0x" + "44".repeat(20);
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
    void aNonceWhoseTransferMovedOnIsFilled() {
        Transfer a = attested(1);
        Transfer b = attested(2);
        Submission s5 = submission(5, a, true);
        Submission s6 = submission(6, b, true);
        // a was delivered by another transaction; b is SUBMITTED with s6
        Transfer aDelivered = submitted(a, submission(9, a, true)).next(new TransferEvent.Delivered(hash(), 40), T0);
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
     * Whatever the records and states: every unmined nonce below firstFree gets exactly one step, in order;
     * firstFree is past the chain's pending nonce and every recorded nonce; Follow only names transfers SUBMITTED
     * with that very transaction, Adopt only ATTESTED transfers with a raw transaction to send.
     */
    @Property(tries = 300)
    void everyUnminedNonceGetsExactlyOneConsistentStep(@ForAll @LongRange(min = 0, max = 50) long mined,
                                                       @ForAll @IntRange(min = 0, max = 8) int pendingAhead,
                                                       @ForAll @IntRange(min = 0, max = 25) int records,
                                                       @ForAll long seed) {
        Random random = new Random(seed);
        List<Submission> recorded = new ArrayList<>();
        Map<MessageId, Transfer> transfers = new HashMap<>();
        for (int i = 0; i < records; i++) {
            Transfer t = attested(random.nextInt(1_000_000));
            long nonce = Math.max(0, mined - 3 + random.nextInt(20));
            Submission s = submission(nonce, t, random.nextInt(5) > 0);
            recorded.add(s);
            switch (random.nextInt(4)) {
                case 0 -> transfers.put(t.id(), t);
                case 1 -> transfers.put(t.id(), submitted(t, s));
                case 2 -> transfers.put(t.id(), submitted(t, submission(nonce + 1, t, true)));
                default -> { } // unknown to the store
            }
        }
        long pending = mined + pendingAhead;

        Plan plan = NonceRecovery.plan(mined, pending, recorded, transfers);

        assertThat(plan.firstFree()).isGreaterThanOrEqualTo(pending);
        recorded.forEach(s -> assertThat(plan.firstFree()).isGreaterThan(s.nonce()));
        assertThat(plan.steps()).extracting(Step::nonce)
                .containsExactlyElementsOf(java.util.stream.LongStream.range(mined, plan.firstFree()).boxed().toList());
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
        return Transfer.observed(m, new SourceRef(hash(), 10, hash(), 0), 1, T0)
                .next(new TransferEvent.Finalized(1), T0).next(new TransferEvent.Attested(2), T0);
    }

    private static Transfer submitted(Transfer attested, Submission s) {
        return attested.next(new TransferEvent.Submitted(s.txHash(), s.nonce()), T0);
    }

    private static Submission submission(long nonce, Transfer t, boolean withRaw) {
        return new Submission(DST, SIGNER, nonce, hash(), List.of(t.id()), BigInteger.TEN, BigInteger.ONE, 100_000, T0,
                null, withRaw ? "0x02f8" + HexFormat.of().formatHex(t.id().bytes()) : null);
    }

    private static String hash() {
        byte[] bytes = new byte[32];
        new Random().nextBytes(bytes);
        return "0x" + HexFormat.of().formatHex(bytes);
    }
}
