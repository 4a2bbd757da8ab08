package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;

import io.courier.chain.TxReceipt;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;
import io.courier.finality.TransferEvent;
import io.courier.relayer.submit.Inflight.Resend;
import io.courier.relayer.submitfakes.Transfers;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class ReceiptMeaningTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final TxHash TX = TxHash.fromHex("0x" + "aa".repeat(32));
    private static final Duration AFTER = Duration.ofSeconds(30);

    private static TxReceipt receipt(long block, boolean ok) {
        return new TxReceipt(TX, ok ? TxReceipt.Status.SUCCESS : TxReceipt.Status.REVERTED, block, BlockHash.fromHex("0x" + "ee".repeat(32)),
                BigInteger.valueOf(90_000), null, List.of(), ok ? null : "out of gas", null);
    }

    private static List<Inflight> members(int n, Resend resend) {
        return java.util.stream.IntStream.rangeClosed(1, n)
                .mapToObj(i -> Inflight.signed(Transfers.attested(i), 7, TX, Optional.empty(), resend)).toList();
    }

    /** A receipt is final exactly at the destination's confirmations, never from above the head read. */
    @Test
    void aReceiptIsFinalExactlyAtTheConfirmations() {
        qt().forAll(integers().between(0, 50), integers().between(0, 60), integers().between(1, 12), booleans().all())
                .checkAssert((block, head, confirmations, ok) -> {
                    ReceiptMeaning.Reading r = ReceiptMeaning.read(members(1, Resend.Fixed.NEVER), Optional.of(receipt(block, ok)), head,
                            confirmations, T0, AFTER);
                    boolean fin = head >= block && head - block + 1 >= confirmations;
                    assertThat(r instanceof ReceiptMeaning.Reading.Final).as("block %s head %s confirmations %s", block, head, confirmations)
                            .isEqualTo(fin);
                    if (r instanceof ReceiptMeaning.Reading.NotFinal notFinal) {
                        assertThat(notFinal.reached().isPresent()).as("included only at or below the head").isEqualTo(head >= block);
                    }
                });
    }

    @Test
    void noReceiptAsksForAResendWhenAnyMemberIsDue() {
        List<Inflight> fresh = members(2, new Resend.After(T0));
        ReceiptMeaning.Reading notDue = ReceiptMeaning.read(fresh, Optional.empty(), 100, 1, T0.plusSeconds(10), AFTER);
        assertThat(notDue).isEqualTo(new ReceiptMeaning.Reading.Unmined(false, OptionalLong.of(7)));

        List<Inflight> oneDue = List.of(fresh.get(0), fresh.get(1).with(Resend.Fixed.NEXT_POLL));
        assertThat(ReceiptMeaning.read(oneDue, Optional.empty(), 100, 1, T0.plusSeconds(10), AFTER))
                .isEqualTo(new ReceiptMeaning.Reading.Unmined(true, OptionalLong.of(7)));
    }

    /** A reverted batch fails none of its messages; a reverted lone transaction fails its message. */
    @Test
    void aRevertedBatchIsReplannedNeverFailed() {
        TxReceipt reverted = receipt(10, false);
        assertThat(ReceiptMeaning.outcomes(reverted, members(3, Resend.Fixed.NEVER), 3, Transfers.DST_GATEWAY))
                .isEqualTo(new ReceiptMeaning.Outcomes.BatchReverted(3));
        ReceiptMeaning.Outcomes lone = ReceiptMeaning.outcomes(reverted, members(1, Resend.Fixed.NEVER), 0, Transfers.DST_GATEWAY);
        assertThat(((ReceiptMeaning.Outcomes.Each) lone).recorded()).singleElement()
                .satisfies(r -> assertThat(r.event()).isEqualTo(new TransferEvent.ExecutionFailed("out of gas", TX)));
    }

    @Test
    void roundsRunOneAtATimeAndEndWhenEveryPollAnswered() {
        ReceiptRounds rounds = new ReceiptRounds();
        long first = rounds.start().orElseThrow();
        assertThat(rounds.start()).as("one at a time").isEmpty();
        rounds.asking(first, 2);
        rounds.answered(first);
        assertThat(rounds.start()).isEmpty();
        rounds.answered(first);
        long second = rounds.start().orElseThrow();
        assertThat(second).isNotEqualTo(first);
        rounds.answered(first); // late: changes nothing
        assertThat(rounds.isCurrent(second)).isTrue();
        assertThat(rounds.headFailed(first)).isFalse();
        assertThat(rounds.headFailed(second)).isTrue();
        rounds.asking(second, 0);
        assertThat(rounds.start()).isPresent();
    }
}
