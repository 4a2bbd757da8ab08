package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcCall;
import io.courier.chain.RpcFailure;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.StoreException;
import io.courier.relayer.submit.Outbox.Step;
import io.courier.relayer.submit.TransactionSends.SendResult;
import io.courier.relayer.submitfakes.Transfers;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/** The submitter's send side without an actor: what each result means for the nonces and the transactions followed. */
class OutboxTest {

    private static final Fees FEES = new Fees.Eip1559Fees(BigInteger.valueOf(2_000_000_000L), BigInteger.valueOf(1_000_000_000L));
    private static final FeeSettings FEE_SETTINGS = FeeSettings.defaults(BigInteger.valueOf(1_000_000_000_000L),
            BigInteger.valueOf(1_000_000_000_000L));
    private static final long CONFIRMATIONS = 2;

    private static Outbox outbox(Intake intake) {
        DeliveryTelemetry telemetry = new DeliveryTelemetry("dst", new CourierMetrics(new PrometheusRegistry()),
                new TransferTracing(OpenTelemetry.noop()), Clock.fixed(SigningFixtures.AT, ZoneOffset.UTC), LoggerFactory.getLogger(OutboxTest.class));
        return new Outbox(0, intake, telemetry, SigningFixtures.ACCOUNT, SigningFixtures.CHAIN, Transfers.DST_GATEWAY, FEE_SETTINGS,
                CONFIRMATIONS, Duration.ofSeconds(30), Clock.fixed(SigningFixtures.AT, ZoneOffset.UTC));
    }

    private static UnsignedDelivery lone(Transfer t) {
        return UnsignedDelivery.lone(t, "0x1234", BigInteger.valueOf(200_000), FEES, Optional.empty());
    }

    private static UnsignedDelivery batch(List<Transfer> ts) {
        return new UnsignedDelivery(ts, "checkpoint", "0x1234", BigInteger.valueOf(600_000), FEES, Optional.empty());
    }

    private static TxReceipt receipt(TxHash tx, long block, boolean ok) {
        return new TxReceipt(tx, ok ? TxReceipt.Status.SUCCESS : TxReceipt.Status.REVERTED, block, BlockHash.fromHex("0x" + "ee".repeat(32)),
                BigInteger.valueOf(90_000), null, List.of(), ok ? null : "out of gas", null);
    }

    /** One receipt round over the single transaction followed: its answer ({@code receipt}) at {@code head}, and the steps. */
    private static List<Step> answerRound(Outbox outbox, Optional<TxReceipt> receipt, long head) {
        long round = outbox.startReceiptRound().orElseThrow();
        List<Outbox.ReceiptAsk> asks = outbox.headRead(round, outbox.receiptSnapshot());
        return outbox.receipt(round, asks.get(0).tx().members(), receipt, head, null);
    }

    /** The first bump the rounds ask for, one unmined answer a block from {@code head} on, within bump-after-blocks. */
    private static Step.PriceBump dueBump(Outbox outbox, long head) {
        for (long h = head; h <= head + FEE_SETTINGS.bumpAfterBlocks(); h++) {
            Optional<Step.PriceBump> due = answerRound(outbox, Optional.empty(), h).stream()
                    .filter(s -> s instanceof Step.PriceBump).map(s -> (Step.PriceBump) s).findFirst();
            if (due.isPresent()) {
                return due.get();
            }
        }
        return null;
    }

    /** What a broadcast came to, by code: the five results the send side tells apart. */
    private static SendResult result(int code) {
        return switch (code) {
            case 0 -> new SendResult.Sent(Set.of());
            case 1 -> new SendResult.NothingRecorded(new StoreException("record failed"));
            case 2 -> new SendResult.NotPersisted("moved away");
            case 3 -> new SendResult.NotSent(rpc(ChainRpcException.Kind.TX_REJECTED));
            default -> new SendResult.NotSent(rpc(ChainRpcException.Kind.TRANSIENT));
        };
    }

    private static ChainRpcException rpc(ChainRpcException.Kind kind) {
        return new ChainRpcException("dst", SigningFixtures.CHAIN, RpcCall.of("eth_sendRawTransaction"),
                new RpcFailure(kind, kind.label() + " from the node", null, null), 1, null);
    }

    /**
     * Whatever each broadcast comes to, no nonce is skipped and none is lost: the nonces signed are contiguous from the first
     * free one; a nonce whose record failed is signed again by the next delivery; one the node refused for good is filled
     * exactly once and its transfer recorded UNDELIVERABLE; a sent or retried transaction stays followed; one recorded but
     * not carried is left to the nonce check (the outbox is not settled).
     */
    @Test
    void noNonceIsSkippedOrLostWhateverTheBroadcastsComeTo() {
        qt().withExamples(300).forAll(lists().of(integers().between(0, 4)).ofSizeBetween(1, 15)).checkAssert(codes -> {
            Intake intake = new Intake();
            Outbox outbox = outbox(intake);
            TreeSet<Long> signedNonces = new TreeSet<>();
            Map<Long, Integer> fills = new HashMap<>();
            List<MessageId> undeliverable = new ArrayList<>();
            boolean leftToCheck = false;
            for (int i = 0; i < codes.size(); i++) {
                Transfer t = Transfers.attested(i + 1);
                Step.Send send = (Step.Send) outbox.sign(lone(t));
                assertThat(outbox.carries(t.id())).as("followed from signing on").isTrue();
                long nonce = send.tx().nonce();
                signedNonces.add(nonce);
                for (Step step : outbox.sent(send.entries(), result(codes.get(i)))) {
                    if (step instanceof Step.Fill fill) {
                        fills.merge(fill.nonce(), 1, Integer::sum);
                    } else if (step instanceof Step.RecordUndeliverable u) {
                        assertThat(u.from()).isEqualTo(TransferStatus.SUBMITTED);
                        undeliverable.add(u.transfer().id());
                    }
                }
                int code = codes.get(i);
                assertThat(outbox.carries(t.id())).as("code %d", code).isEqualTo(code == 0 || code == 4);
                if (code == 3) {
                    assertThat(fills).as("the refused nonce is filled at once").containsEntry(nonce, 1);
                    assertThat(undeliverable).contains(t.id());
                }
                leftToCheck |= code == 2;
            }
            assertThat(signedNonces.last() - signedNonces.first() + 1).as("contiguous").isEqualTo(signedNonces.size());
            assertThat(signedNonces.first()).isZero();
            assertThat(fills.values()).allMatch(n -> n == 1);
            if (leftToCheck) {
                assertThat(outbox.settled()).as("a recorded, unsent nonce waits for the nonce check").isFalse();
            }
        });
    }

    /** A final receipt of a sent batch records each message's outcome, and each record answered frees the intake. */
    @Test
    void aFinalReceiptRecordsEachOutcomeAndTheirRecordsDrainTheQueue() {
        Intake intake = new Intake();
        Outbox outbox = outbox(intake);
        List<Transfer> ts = IntStream.rangeClosed(1, 3).mapToObj(Transfers::attested).toList();
        ts.forEach(t -> intake.signed(t.id()));
        Step.Send send = (Step.Send) outbox.sign(batch(ts));
        assertThat(send.tx().batchOf()).isEqualTo(3);
        assertThat(outbox.sent(send.entries(), result(0))).isEmpty();
        assertThat(outbox.transactions()).isEqualTo(1);

        long round = outbox.startReceiptRound().orElseThrow();
        List<Outbox.ReceiptAsk> asks = outbox.headRead(round, outbox.receiptSnapshot());
        assertThat(asks).singleElement().satisfies(a -> assertThat(a.attempts()).containsExactly(send.tx().hash()));
        TxReceipt mined = receipt(send.tx().hash(), 10, true);
        assertThat(outbox.receipt(round, asks.get(0).tx().members(), Optional.of(mined), 10 + CONFIRMATIONS - 2, null))
                .as("not final below the confirmations").isEmpty();
        List<Step> steps = answerRound(outbox, Optional.of(mined), 10 + CONFIRMATIONS - 1);
        assertThat(steps).hasSize(3).allMatch(s -> s instanceof Step.RecordOutcome);
        for (Step s : steps) {
            Step.RecordOutcome r = (Step.RecordOutcome) s;
            assertThat(outbox.outcomeRecorded(r.outcome().entry(), Optional.of(TransferStatus.DELIVERED), null))
                    .containsExactly(Step.Drain.INSTANCE);
        }
        assertThat(ts).noneMatch(t -> outbox.carries(t.id()));
        assertThat(outbox.transactions()).isZero();
        assertThat(outbox.startReceiptRound()).as("nothing left to follow").isEmpty();
    }

    /** A reverted batch fails none of its messages: each is prepared again on its own, at a new nonce. */
    @Test
    void aRevertedBatchHasEachMessageReplacedAlone() {
        Intake intake = new Intake();
        Outbox outbox = outbox(intake);
        List<Transfer> ts = IntStream.rangeClosed(1, 3).mapToObj(Transfers::attested).toList();
        ts.forEach(t -> intake.signed(t.id()));
        Step.Send send = (Step.Send) outbox.sign(batch(ts));
        outbox.sent(send.entries(), result(0));
        List<Step> steps = answerRound(outbox, Optional.of(receipt(send.tx().hash(), 10, false)), 20);
        assertThat(steps).hasSize(3).allMatch(s -> s instanceof Step.Replace);
        assertThat(steps.stream().map(s -> ((Step.Replace) s).id()).toList()).containsExactlyElementsOf(ts.stream().map(Transfer::id).toList());
        assertThat(ts).allMatch(t -> intake.alone().contains(t.id()));
    }

    /**
     * A transaction recorded before a restart (the nonce plan follows it) is bumped like one of this incarnation: its receipt
     * is asked under every attempt, its replacement keeps the recorded calldata and gas limit, and the bumps made before
     * count, so with max-bumps made it is left alone.
     */
    @Test
    void aTransactionRecordedBeforeARestartIsBumpedAndItsEarlierBumpsCount() {
        Transfer t = Transfers.attested(1);
        OutgoingTransaction.Signed first = OutgoingTransaction.sign(lone(t), 0, SigningFixtures.ACCOUNT, SigningFixtures.CHAIN,
                Transfers.DST_GATEWAY, SigningFixtures.AT);
        Fees raised = new Fees.Eip1559Fees(BigInteger.valueOf(2_250_000_000L), BigInteger.valueOf(1_125_000_000L));
        FeeBumps.Replacement bumped = FeeBumps.sign(new NonceManager.Bump.Replace(first.attempts(), raised), SigningFixtures.ACCOUNT,
                SigningFixtures.CHAIN, Transfers.DST_GATEWAY, SigningFixtures.AT.plusSeconds(30));
        Transfer submitted = t.next(new TransferEvent.Submitted(first.tx().hash(), 0), SigningFixtures.AT)
                .next(new TransferEvent.Replaced(bumped.hash(), 0), SigningFixtures.AT);

        for (int bumpsBefore : List.of(1, FEE_SETTINGS.maxBumps())) {
            List<Submission> earlier = new ArrayList<>();
            earlier.add(first.record());
            for (int i = 1; i < bumpsBefore; i++) {
                earlier.add(first.record()); // stands for more bumps: only their count and hashes matter here
            }
            Outbox outbox = outbox(new Intake());
            assertThat(outbox.noncePlan(new NonceRecovery.Plan(1, List.of(new NonceRecovery.Follow(0, bumped.record(), List.of(submitted),
                    earlier))))).isEmpty();
            assertThat(outbox.carries(t.id())).isTrue();

            Step.PriceBump due = null;
            for (long head = 100; head <= 100 + FEE_SETTINGS.bumpAfterBlocks() && due == null; head++) {
                long round = outbox.startReceiptRound().orElseThrow();
                List<Outbox.ReceiptAsk> asks = outbox.headRead(round, outbox.receiptSnapshot());
                assertThat(asks).singleElement().satisfies(a -> assertThat(a.attempts()).as("newest first")
                        .startsWith(bumped.hash()).contains(first.tx().hash()));
                due = outbox.receipt(round, asks.get(0).tx().members(), Optional.empty(), head, null).stream()
                        .filter(s -> s instanceof Step.PriceBump).map(s -> (Step.PriceBump) s).findFirst().orElse(null);
            }
            assertThat(due).as("a recovered transaction is bumped (%d bumps before)", bumpsBefore).isNotNull();
            assertThat(due.attempts().bumps()).isEqualTo(bumpsBefore);
            assertThat(due.attempts().calldata()).isEqualTo("0x1234");
            assertThat(due.attempts().gasLimit()).isEqualTo(BigInteger.valueOf(200_000));
            assertThat(due.attempts().fees()).isEqualTo(raised);

            Fees more = new Fees.Eip1559Fees(BigInteger.valueOf(2_600_000_000L), BigInteger.valueOf(1_300_000_000L));
            FeeBump.Outcome priced = bumpsBefore < FEE_SETTINGS.maxBumps() ? new FeeBump.Replace(more)
                    : new FeeBump.Exhausted(FeeBump.Reason.MAX_BUMPS, "max bumps made before the restart");
            List<Step> steps = outbox.bumpPriced(0, due.head(), priced, null);
            if (bumpsBefore < FEE_SETTINGS.maxBumps()) {
                assertThat(steps).singleElement().isInstanceOfSatisfying(Step.SendReplacement.class,
                        r -> assertThat(r.replacement().before().newest()).isEqualTo(bumped.hash()));
            } else {
                assertThat(steps).as("left alone").isEmpty();
            }
        }
    }

    /**
     * An unmined transaction is priced for a bump once it is due; the replacement at the same nonce raises both fees by
     * at least 12.5 % and carries its messages; a replacement that was never recorded gives them back to its predecessor.
     */
    @Test
    void anUnminedTransactionIsReplacedAtItsNonceAndALostReplacementGivesItBack() {
        Intake intake = new Intake();
        Outbox outbox = outbox(intake);
        Transfer t = Transfers.attested(1);
        Step.Send send = (Step.Send) outbox.sign(lone(t));
        outbox.sent(send.entries(), result(0));
        TxHash first = send.tx().hash();

        long head = 100;
        Step.PriceBump due = dueBump(outbox, head);
        assertThat(due).as("a bump is due after bump-after-blocks").isNotNull();
        assertThat(due.attempts().nonce()).isEqualTo(send.tx().nonce());

        Fees raised = new Fees.Eip1559Fees(BigInteger.valueOf(2_250_000_000L), BigInteger.valueOf(1_125_000_000L));
        List<Step> steps = outbox.bumpPriced(due.attempts().nonce(), due.head(), new FeeBump.Replace(raised), null);
        assertThat(steps).singleElement().isInstanceOf(Step.SendReplacement.class);
        Step.SendReplacement replacement = (Step.SendReplacement) steps.get(0);
        assertThat(replacement.replacement().fees()).isEqualTo(raised);
        TxHash second = replacement.replacement().hash();
        assertThat(second).isNotEqualTo(first);
        assertThat(outbox.receiptSnapshot()).singleElement().satisfies(p -> assertThat(p.hash()).isEqualTo(second));

        outbox.replacementSent(replacement.replacement().before(), replacement.before(), second,
                new SendResult.NothingRecorded(new StoreException("record failed")));
        assertThat(outbox.receiptSnapshot()).as("the predecessor is followed again").singleElement()
                .satisfies(p -> assertThat(p.hash()).isEqualTo(first));
        assertThat(outbox.carries(t.id())).isTrue();
    }
}
