package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.delivery.DeliveryGas;
import io.courier.delivery.DeliveryPlanner;
import io.courier.fees.Fees;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.submit.PlanningRound.Step;
import io.courier.relayer.submitfakes.Transfers;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongPredicate;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PlanningRoundTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final DeliveryGas GAS = new DeliveryGas(3, 5, 5_000, 210_000);
    private static final Fees FEES = new Fees.Eip1559Fees(BigInteger.TWO, BigInteger.ONE);
    private static final TxHash SEEN = TxHash.fromHex("0x" + "ab".repeat(32));

    /**
     * Every message handed to a round comes back exactly once — signed, re-queued to go alone, or refused for now (not now,
     * postponed, backing off, undeliverable, executed by someone) — and once every preparation has answered, nothing is
     * counted against max-in-flight any more.
     */
    @Test
    void everyMessageOfARoundComesBackExactlyOnce() {
        qt().withExamples(500).forAll(lists().of(integers().between(0, 999)).ofSizeBetween(1, 12), integers().between(1, 4),
                integers().between(0, 3)).checkAssert((codes, maxMessages, haltedCode) -> {
            LongPredicate halted = src -> haltedCode == 0;
            Map<MessageId, Integer> codeOf = new HashMap<>();
            List<Transfer> transfers = IntStream.range(0, codes.size()).mapToObj(i -> Transfers.attested(i + 1)).toList();
            PlanningRound round = new PlanningRound();
            for (int i = 0; i < transfers.size(); i++) {
                codeOf.put(transfers.get(i).id(), codes.get(i));
                round.intake().queue(transfers.get(i).id());
            }
            List<Step> started = round.drainNow(true, 0, 10);
            assertThat(started).hasSize(1).first().isInstanceOf(Step.Load.class);
            List<MessageId> handed = ((Step.Load) started.get(0)).ids();
            assertThat(round.drainNow(true, 0, 10)).as("one round at a time").isEmpty();

            List<BatchPreparation.Candidate> ready = new ArrayList<>();
            List<BatchPreparation.Refusal> refused = new ArrayList<>();
            for (Transfer t : transfers) {
                if (codeOf.get(t.id()) % 3 == 0) {
                    refused.add(new BatchPreparation.Refusal(t.id(), "not ATTESTED any more"));
                } else {
                    ready.add(new BatchPreparation.Candidate(t, List.of()));
                }
            }
            List<Step> back = new ArrayList<>(round.loaded(new BatchPreparation.Loaded(ready, refused)));
            for (Step step : round.plan(null, GAS, new DeliveryPlanner.Limits(maxMessages, 30_000_000, false))) {
                if (step instanceof Step.PrepareLone lone) {
                    Transfer t = transfers.stream().filter(x -> x.id().equals(lone.id())).findFirst().orElseThrow();
                    back.add(round.lonePrepared(loneOutcome(t, codeOf.get(t.id()) / 3), halted, T0));
                } else {
                    BatchPreparation.Planned d = ((Step.PrepareBatch) step).planned();
                    back.add(round.batchPrepared(batchOutcome(d, codeOf.get(d.ids().get(0)) / 3), halted));
                }
            }

            List<MessageId> returned = new ArrayList<>();
            List<MessageId> requeued = new ArrayList<>();
            for (Step step : back) {
                List<MessageId> ids = idsOf(step);
                returned.addAll(ids);
                if (step instanceof Step.Split) {
                    requeued.addAll(ids);
                }
            }
            Comparator<MessageId> byHex = Comparator.comparing(MessageId::toHex);
            assertThat(returned).as("each message of the round, once").usingElementComparator(byHex)
                    .containsExactlyInAnyOrderElementsOf(handed);
            assertThat(round.intake().busy(0)).as("nothing left counted against max-in-flight").isZero();
            assertThat(round.intake().hasQueued()).isEqualTo(!requeued.isEmpty());
            requeued.forEach(id -> assertThat(round.intake().alone()).contains(id));
        });
    }

    @Test
    void withoutBatchingEachQueuedMessageIsPreparedAloneWithinMaxInFlight() {
        PlanningRound round = new PlanningRound();
        List<Transfer> ts = List.of(Transfers.attested(1), Transfers.attested(2), Transfers.attested(3));
        ts.forEach(t -> round.intake().queue(t.id()));
        assertThat(round.drainNow(false, 1, 3)).containsExactly(new Step.PrepareLone(ts.get(0).id()), new Step.PrepareLone(ts.get(1).id()));
        assertThat(round.drainNow(false, 1, 3)).isEmpty();
        assertThat(round.lonePrepared(new LonePreparation.Outcome.NotNow(ts.get(0).id(), "fees over the cap"), src -> false, T0))
                .isEqualTo(new Step.NotNow(ts.get(0).id(), "fees over the cap"));
        assertThat(round.drainNow(false, 1, 3)).containsExactly(new Step.PrepareLone(ts.get(2).id()));
    }

    @Test
    void aPreflightThatRevertedBacksOffThenIsGivenUp() {
        PlanningRound round = new PlanningRound();
        Transfer t = Transfers.attested(1);
        Instant now = T0;
        for (int i = 1; i < PreflightBackoff.MAX_ATTEMPTS; i++) {
            round.intake().queue(t.id());
            round.drainNow(false, 0, 1);
            Step step = round.lonePrepared(new LonePreparation.Outcome.PreflightReverted(t, "reverts"), src -> false, now);
            assertThat(step).isInstanceOf(Step.BackingOff.class);
            now = now.plusSeconds(86_400);
        }
        round.intake().queue(t.id());
        round.drainNow(false, 0, 1);
        assertThat(round.lonePrepared(new LonePreparation.Outcome.PreflightReverted(t, "reverts"), src -> false, now))
                .isInstanceOfSatisfying(Step.Undeliverable.class, u -> assertThat(u.from()).isEqualTo(TransferStatus.ATTESTED));
        assertThat(round.intake().busy(0)).isZero();
    }

    private static LonePreparation.Outcome loneOutcome(Transfer t, int code) {
        return switch (code % 5) {
            case 0 -> new LonePreparation.Outcome.Ready(UnsignedDelivery.lone(t, "0x", BigInteger.TEN, FEES, Optional.empty()));
            case 1 -> new LonePreparation.Outcome.NotNow(t.id(), "too few signatures");
            case 2 -> new LonePreparation.Outcome.Blocked(t, TransferStatus.ATTESTED,
                    new TransferEvent.Undeliverable(DeliveryObstacle.PREFLIGHT_KEEPS_REVERTING, "over a limit"));
            case 3 -> new LonePreparation.Outcome.PreflightReverted(t, "reverts");
            default -> new LonePreparation.Outcome.ExecutedElsewhere(t, SEEN, 7, Optional.empty());
        };
    }

    private static BatchPreparation.Outcome batchOutcome(BatchPreparation.Planned d, int code) {
        return switch (code % 3) {
            case 0 -> new BatchPreparation.Outcome.Ready(d.members().stream().map(BatchPreparation.Candidate::transfer).toList(), "batch",
                    "0x", BigInteger.TEN, FEES);
            case 1 -> new BatchPreparation.Outcome.Split(d.ids(), "pre-flight reverted");
            default -> new BatchPreparation.Outcome.Postponed(d.ids(), "market over the cap");
        };
    }

    private static List<MessageId> idsOf(Step step) {
        if (step instanceof Step.Sign s) {
            return s.delivery().transfers().stream().map(Transfer::id).toList();
        } else if (step instanceof Step.Split s) {
            return s.split().ids();
        } else if (step instanceof Step.Postponed p) {
            return p.postponed().ids();
        } else if (step instanceof Step.NotNow n) {
            return List.of(n.id());
        } else if (step instanceof Step.BackingOff b) {
            return List.of(b.id());
        } else if (step instanceof Step.Undeliverable u) {
            return List.of(u.transfer().id());
        } else if (step instanceof Step.FollowObserved f) {
            return List.of(f.seen().id());
        }
        throw new AssertionError("not an answer to a preparation: " + step);
    }
}
