package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.relayer.submit.NonceRecovery.Adopt;
import io.courier.relayer.submit.NonceRecovery.Fill;
import io.courier.relayer.submit.NonceRecovery.Plan;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Submission;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NonceManagerTest {

    @Test
    void recoveryLeavesHeldNoncesAndFillsUnderWayAlone() {
        NonceManager nonces = new NonceManager(10);
        Plan plan = new Plan(10, List.of(new Fill(7), new Fill(8), new Fill(9)));

        assertThat(nonces.recover(plan, Set.of(8L), a -> false)).containsExactly(new Fill(7), new Fill(9));
        assertThat(nonces.recover(plan, Set.of(8L), a -> false)).as("7 and 9 are being filled").isEmpty();
        nonces.filled(7);
        assertThat(nonces.recover(plan, Set.of(8L), a -> false)).containsExactly(new Fill(7));
    }

    @Test
    void nothingAtOrPastTheNextNonceIsAdoptedOrFilled() {
        NonceManager nonces = new NonceManager(5);
        Adopt adopt = new Adopt(6, null, List.of());
        assertThat(nonces.recover(new Plan(7, List.of(new Fill(5), adopt)), Set.of(), a -> false)).isEmpty();
        assertThat(nonces.take()).isEqualTo(5);
    }

    @Test
    void anAdoptedNonceIsClaimedUnlessItsTransfersAreBusy() {
        NonceManager nonces = new NonceManager(0);
        for (int i = 0; i < 5; i++) {
            nonces.take();
        }
        nonces.unused(3, NonceManager.Unused.NOTHING_RECORDED);
        Plan plan = new Plan(5, List.of(new Adopt(3, null, List.of())));

        assertThat(nonces.recover(plan, Set.of(), a -> true)).isEmpty();
        assertThat(nonces.recover(plan, Set.of(), a -> false)).hasSize(1);
        assertThat(nonces.take()).as("3 was adopted, not handed out again").isEqualTo(5);
    }

    @Test
    void aRecordedButUnsentNonceIsNeverHandedOutAgainAndKeepsTheCheckAwakeUntilMined() {
        NonceManager nonces = new NonceManager(0);
        assertThat(nonces.take()).isZero();
        assertThat(nonces.take()).isEqualTo(1);
        nonces.unused(1, NonceManager.Unused.RECORDED_NOT_SENT);

        assertThat(nonces.settled()).isFalse();
        assertThat(nonces.take()).isEqualTo(2);
        nonces.checked(new Plan(3, List.of(new Fill(1))));
        assertThat(nonces.settled()).as("1 is not mined yet").isFalse();
        nonces.checked(new Plan(3, List.of()));
        assertThat(nonces.settled()).isTrue();
    }

    @Test
    void aRefusedNonceIsFilledOnce() {
        NonceManager nonces = new NonceManager(4);
        assertThat(nonces.refused(2)).isTrue();
        assertThat(nonces.refused(2)).isFalse();
        nonces.filled(2);
        assertThat(nonces.refused(2)).isTrue();
    }

    @Test
    void aBumpIsDueBumpAfterBlocksAfterTheFirstSightingAndALostReplacementGivesTheNonceBackToItsPredecessor() {
        FeeSettings fees = FeeSettings.defaults(BigInteger.valueOf(1_000_000_000_000L), BigInteger.valueOf(1_000_000_000_000L));
        Fees first = new Fees.Eip1559Fees(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(1_000_000_000L));
        NonceManager nonces = new NonceManager(0);
        Submission record = submission(nonces.take(), 1);
        nonces.track(NonceAttempts.first(record, first, "0x", BigInteger.valueOf(100_000)));

        assertThat(nonces.unmined(0, record.txHash(), 50, fees)).as("the clock starts at the first sighting").isEmpty();
        assertThat(nonces.unmined(0, record.txHash(), 50 + fees.bumpAfterBlocks() - 1, fees)).isEmpty();
        NonceAttempts due = nonces.unmined(0, record.txHash(), 50 + fees.bumpAfterBlocks(), fees).orElseThrow();
        assertThat(nonces.unmined(0, record.txHash(), 60 + fees.bumpAfterBlocks(), fees)).as("one bump at a time").isEmpty();

        Fees raised = new Fees.Eip1559Fees(BigInteger.valueOf(3_000_000_000L), BigInteger.valueOf(2_000_000_000L));
        assertThat(nonces.bumpPriced(0, 60, Optional.of(new FeeBump.Replace(raised)))).isInstanceOf(NonceManager.Bump.Replace.class);
        Submission replacement = submission(0, 2);
        nonces.track(due.replacedBy(replacement, raised));
        assertThat(nonces.attempts(0).orElseThrow().newestFirst()).containsExactly(replacement.txHash(), record.txHash());

        assertThat(nonces.replacementLost(due.bumping(false), replacement.txHash())).isTrue();
        assertThat(nonces.attempts(0).orElseThrow().newest()).isEqualTo(record.txHash());
        assertThat(nonces.bumpPriced(0, 70, Optional.of(new FeeBump.Replace(raised)))).as("not being bumped any more")
                .isInstanceOf(NonceManager.Bump.NotNow.class);
    }

    @Test
    void receiptsAreAskedOfEveryAttemptAtTheNonceNewestFirstAndOfAnyOtherTransactionAlone() {
        Fees fees = new Fees.Eip1559Fees(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(1_000_000_000L));
        NonceManager nonces = new NonceManager(0);
        Submission first = submission(nonces.take(), 1);
        Submission replacement = submission(0, 2);
        nonces.track(NonceAttempts.first(first, fees, "0x", BigInteger.valueOf(100_000)).replacedBy(replacement, fees));
        TxHash observed = submission(5, 3).txHash();

        assertThat(nonces.receiptHashes(java.util.OptionalLong.of(0), first.txHash()))
                .containsExactly(replacement.txHash(), first.txHash());
        assertThat(nonces.receiptHashes(java.util.OptionalLong.of(0), observed)).as("not an attempt at 0").containsExactly(observed);
        assertThat(nonces.receiptHashes(java.util.OptionalLong.empty(), first.txHash())).as("someone else's").containsExactly(first.txHash());
    }

    private static Submission submission(long nonce, int salt) {
        TxHash hash = TxHash.fromHex("0x" + String.format("%064x", salt));
        return new Submission(1002, Address.fromHex("0x" + "44".repeat(20)), nonce, hash, List.of(MessageId.fromHex("0x" + "11".repeat(32))),
                BigInteger.ONE, BigInteger.ONE, 100_000, Instant.parse("2026-12-05T00:00:00Z"), null, "0x01");
    }

    /** ADR 004: a nonce is signed for two transactions only when the first was certainly never recorded. */
    @Test
    void aNonceIsHandedOutTwiceOnlyAfterNothingWasRecordedForIt() {
        // each op: 0 take; 1 the newest taken one unused, nothing recorded; 2 the newest taken one unused, recorded
        qt().forAll(lists().of(integers().between(0, 2)).ofSizeBetween(1, 60)).checkAssert(ops -> {
            NonceManager nonces = new NonceManager(0);
            List<Long> taken = new ArrayList<>();
            Set<Long> reusable = new HashSet<>();
            Set<Long> handedOut = new HashSet<>();
            for (int op : ops) {
                if (op == 0) {
                    long n = nonces.take();
                    assertThat(handedOut.add(n) || reusable.remove(n)).as("nonce %s handed out again", n).isTrue();
                    taken.add(n);
                } else if (!taken.isEmpty()) {
                    long n = taken.remove(taken.size() - 1);
                    nonces.unused(n, op == 1 ? NonceManager.Unused.NOTHING_RECORDED : NonceManager.Unused.RECORDED_NOT_SENT);
                    if (op == 1) {
                        reusable.add(n);
                    }
                }
            }
        });
    }
}
