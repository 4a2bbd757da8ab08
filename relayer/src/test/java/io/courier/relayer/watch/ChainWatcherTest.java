package io.courier.relayer.watch;

import io.courier.chain.message.Address;

import static org.assertj.core.api.Assertions.assertThat;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.LogRangePlanner;
import io.courier.chain.LogScanner;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.message.MessageId;
import io.courier.finality.ChainCursor;
import io.courier.finality.FinalityPolicy;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.fakes.FakeChain;
import io.courier.chain.quorum.SourceWitnesses;
import io.courier.chain.quorum.SourceWitnesses.Witness;
import io.courier.relayer.fakes.FakeCursorStore;
import io.courier.relayer.fakes.FakeTransferStore;
import io.courier.relayer.fakes.ManualClock;
import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusBoard;
import io.courier.relayer.status.HaltedChains;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.OpenTelemetry;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ManualTime;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The chain watcher against scripted fakes, with Pekko's manual time: deadlines, backoffs and poll intervals pass
 * only when a test lets time pass, so a missed deadline or a failed write happens exactly where the test puts it.
 * Assertions are on what the actor did (calls to the fakes, transfers handed over, status published).
 */
class ChainWatcherTest {

    private static final long SRC = 1001;
    private static final long DST = 1002;
    private static final Duration POLL = Duration.ofSeconds(1);

    private ActorTestKit kit;
    private ManualTime time;
    private FakeChain chain;
    private final FakeTransferStore transfers = new FakeTransferStore();
    private final FakeCursorStore cursors = new FakeCursorStore();
    private final ChainStatusBoard board = new ChainStatusBoard();
    private final HaltedChains halted = new HaltedChains();
    private final ManualClock clock = new ManualClock(Instant.parse("2024-05-01T12:00:00Z"));
    private final List<Transfer> attested = new CopyOnWriteArrayList<>();
    /** Those of {@link #attested} handed over as vouched for by this cycle's quorum (the attester skips its re-read). */
    private final List<Transfer> vouched = new CopyOnWriteArrayList<>();
    private final io.courier.relayer.handoff.AttestRequests attester = new io.courier.relayer.handoff.AttestRequests() {
        @Override
        public void attest(Transfer finalized) {
            attested.add(finalized);
        }

        @Override
        public void attestVouched(Transfer finalized) {
            vouched.add(finalized);
            attested.add(finalized);
        }
    };

    @BeforeEach
    void start() {
        kit = ActorTestKit.create("watcher-test", ManualTime.config().withFallback(ConfigFactory.load()));
        time = ManualTime.get(kit.system());
    }

    @AfterEach
    void stop() {
        kit.shutdownTestKit();
    }

    // ── the paths integration tests reach only by luck ─────────────────────────────────────────────────────

    @Test
    void aCycleThatFailsAfterFetchingLogsIsRedoneWithoutLossOrDuplication() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        cursors.script.failNext("save", new IllegalStateException("cassandra: write timeout"));
        watch();

        runUntil("the cursor is saved", () -> cursors.current(SRC).map(c -> c.lastScannedBlock() == 10).orElse(false));
        runUntil("the transfer is handed to the attester", () -> !attested.isEmpty());

        // the logs of blocks 1..10 were read twice: the cursor did not move past them when its write failed
        assertThat(chain.logQueries).filteredOn(q -> q.from() == 1).hasSize(2);
        assertThat(transfers.observedCalls).containsExactly(id, id); // recorded again, idempotently
        assertThat(transfers.all()).extracting(Transfer::id).containsExactly(id);
        assertThat(cursors.saves).extracting(ChainCursor::lastScannedBlock).first().isEqualTo(10L);
        pollTimes(3);
        assertThat(attested).extracting(Transfer::id).containsExactly(id);
        assertThat(vouched).as("finalized in a cycle whose quorum vouched for it").extracting(Transfer::id).containsExactly(id);
    }

    @Test
    void aStoreWriteThatNeverCompletesMissesTheCycleDeadlineAndTheWatcherGoesOn() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        transfers.script.holdNext("recordObserved"); // never released
        watch();

        runUntil("the transfer is handed to the attester", () -> !attested.isEmpty());
        assertThat(transfers.observedCalls).containsExactly(id); // the held write never ran; the retry did
        assertThat(chain.logQueries).filteredOn(q -> q.from() == 1).hasSize(2);
        assertThat(cursors.saves).extracting(ChainCursor::lastScannedBlock).containsOnly(10L);
        assertThat(attested).extracting(Transfer::id).containsExactly(id);
    }

    @Test
    void aStageThatMissesItsDeadlinePublishesAnUnhealthyChainAndIsTriedAgain() {
        chain = new FakeChain(SRC, DST, 10);
        watch();
        runUntil("the first cycle is done", () -> status().healthy() && Long.valueOf(10).equals(status().lastScannedBlock()));

        var gate = chain.script.holdNext("head");
        // the retry hangs too, so the unhealthy status stays up for a whole deadline, not just the backoff (which a
        // step of the manual clock could skip over before the test looks)
        var retryGate = chain.script.holdNext("head");
        chain.mine(12);
        runUntil("the missed deadline is published", () -> !status().healthy());
        assertThat(status().lastScannedBlock()).isEqualTo(10);
        retryGate.complete(null);
        runUntil("the next cycle catches up", () -> status().healthy() && Long.valueOf(12).equals(status().lastScannedBlock()));

        gate.complete(null); // the abandoned cycle's answer arrives late: nothing happens with it
        pollTimes(3);
        assertThat(status().healthy()).isTrue();
        assertThat(cursors.saves).extracting(ChainCursor::lastScannedBlock).isSorted();
    }

    @Test
    void aFinalityWriteThatMissesTheDeadlineIsRetriedAndTheTransferHandedOverOnce() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        var gate = transfers.script.holdNext("transition");
        watch();

        runUntil("the transfer is handed to the attester", () -> !attested.isEmpty());
        gate.complete(null); // the abandoned write now runs: it finds the transfer FINALIZED already
        pollTimes(3);
        assertThat(transfers.finalizeCalls).containsExactly(id, id);
        assertThat(attested).extracting(Transfer::id).containsExactly(id);
        assertThat(transfers.get(id)).map(Transfer::status).contains(TransferStatus.FINALIZED);
    }

    @Test
    void eachTransferIsHandedToTheAttesterAsItsFinalizedWriteAppliesNotAfterTheCyclesLastWrite() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId a = chain.send(4, 0);
        MessageId b = chain.send(5, 1);
        var gate = transfers.script.holdNext("transition"); // one of the two FINALIZED writes hangs, the cycle with it
        watch();

        runUntil("one transfer is handed over", () -> !attested.isEmpty());
        MessageId first = attested.get(0).id();
        assertThat(transfers.finalizeCalls).as("the other's write has not run yet").containsExactly(first);
        assertThat(vouched).extracting(Transfer::id).containsExactly(first);

        gate.complete(null);
        runUntil("the other is handed over when its write applies", () -> attested.size() == 2);
        pollTimes(3);
        assertThat(attested).extracting(Transfer::id).containsExactlyInAnyOrder(a, b); // each once, none again at the cycle's end
        assertThat(vouched).extracting(Transfer::id).containsExactlyInAnyOrder(a, b);
        assertThat(status().healthy()).isTrue();
    }

    @Test
    void aCyclesFinalizedWritesGoOutInNonceOrderWhateverOrderTheSurveyReadsThemIn() {
        chain = new FakeChain(SRC, DST, 10);
        List<MessageId> byNonce = new java.util.ArrayList<>();
        for (long nonce = 0; nonce < 8; nonce++) {
            byNonce.add(chain.send(nonce < 4 ? 5 : 4, nonce)); // one block's ids in hash order, two blocks out of order
        }
        watch();

        runUntil("all are handed over", () -> attested.size() == byNonce.size());
        assertThat(transfers.finalizeCalls).containsExactlyElementsOf(byNonce);
        assertThat(attested).extracting(Transfer::id).containsExactlyElementsOf(byNonce);
    }

    @Test
    void aDeepReorgWhileFinalityWorkIsInFlightHandsNothingFromTheChainToTheAttester() {
        chain = new FakeChain(SRC, DST, 20);
        MessageId id = chain.send(19, 0);
        watch();
        runUntil("block 19 is scanned", () -> transfers.get(id).isPresent() && status().healthy());

        // every finality write hangs (the retries too), so the chain stays unhealthy until the reorg: a single held
        // write would let a retry succeed between two looks and the test would race the watcher
        List<java.util.concurrent.CompletableFuture<Void>> gates = new java.util.ArrayList<>();
        for (int i = 0; i < 100; i++) {
            gates.add(transfers.script.holdNext("transition"));
        }
        chain.mine(21); // block 19 is final now: its finality write hangs
        runUntil("the finality stage misses its deadline", () -> !status().healthy());
        chain.reorg(15, 25); // replaces blocks 15.. (at or below the final block 18/19)
        runUntil("the chain halts", () -> halted.isHalted(SRC) && status().halted());

        gates.forEach(g -> g.complete(null)); // the abandoned finality writes complete after the halt
        pollTimes(5);
        assertThat(attested).isEmpty();
        assertThat(cursors.halts).hasSize(1);
        assertThat(status().halted()).isTrue();
    }

    @Test
    void startingWithACursorWhoseBlockWasReplacedRescansAboveTheFinalBlock() {
        chain = new FakeChain(SRC, DST, 12);
        MessageId id = chain.send(9, 0);
        cursors.put(new ChainCursor(SRC, 10, "0x" + "ab".repeat(32), 6, clock.instant(), chain.block(6).hash().toHex()));
        watch();

        runUntil("the transfer in the new block 9 is recorded", () -> transfers.get(id).isPresent());
        assertThat(chain.logQueries.get(0)).isEqualTo(new FakeChain.LogQuery(7, 12));
        runUntil("the cursor is saved", () -> cursors.current(SRC).map(c -> c.lastScannedBlock() == 12).orElse(false));
        assertThat(halted.isHalted(SRC)).isFalse();
        assertThat(cursors.halts).isEmpty();
    }

    @Test
    void aChainHaltedAtStartScansButFinalizesNothingUntilAnOperatorResumesIt() {
        chain = new FakeChain(SRC, DST, 20);
        MessageId id = chain.send(11, 0);
        cursors.put(new ChainCursor(SRC, 10, chain.block(10).hash().toHex(), 8, clock.instant(), chain.block(8).hash().toHex())
                .haltedFor("reorg below block 8", clock.instant()));
        watch();

        runUntil("block 11 is scanned while halted", () -> transfers.get(id).isPresent());
        pollTimes(5);
        assertThat(halted.isHalted(SRC)).isTrue();
        assertThat(status().halted()).isTrue();
        assertThat(attested).isEmpty();
        assertThat(transfers.finalizeCalls).isEmpty();

        cursors.resume(SRC, clock.instant()); // e.g. `courier chain resume` on another node
        runUntil("the transfer is handed to the attester", () -> !attested.isEmpty());
        assertThat(halted.isHalted(SRC)).isFalse();
        assertThat(status().halted()).isFalse();
        assertThat(attested).extracting(Transfer::id).containsExactly(id);
    }

    // ── review smells ────────────────────────────────────────────────────────────────────────────────────

    @Test
    void aFailedConfirmationWriteIsRetriedNextCycleEvenWithoutANewHead() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(9, 0); // 2 of 3 confirmations at head 10
        transfers.script.failNext("updateConfirmations", new IllegalStateException("cassandra: write timeout"));
        watch();

        runUntil("the confirmation count is written", () -> !transfers.confirmations.isEmpty());
        assertThat(transfers.confirmations).containsExactly(new FakeTransferStore.Confirmation(id, 2));
        pollTimes(3); // same head: once written, not written again
        assertThat(transfers.confirmations).hasSize(1);
        assertThat(transfers.get(id)).map(Transfer::confirmationsSeen).contains(2L);
    }

    @Test
    void theUnfinalizedScanStartsAtTheLowestBlockThatCanStillWaitAndFetchesEachBlockOnce() {
        chain = new FakeChain(SRC, DST, 20);
        chain.send(5, 0);
        chain.send(5, 1);
        chain.send(5, 2);
        MessageId late = chain.send(19, 3); // not final at head 20 (final height 18)
        watch();

        runUntil("block 5's transfers are handed over", () -> attested.size() == 3);
        // once for the survey, once by the endpoint confirming the three transfers (not once per transfer)
        assertThat(chain.blockFetchesOf(5)).isEqualTo(2);
        assertThat(transfers.unfinalizedFrom.get(0)).isZero(); // after a start: every row, once

        chain.mine(21);
        runUntil("block 19's transfer is handed over", () -> attested.size() == 4);
        assertThat(attested).extracting(Transfer::id).contains(late);
        int reads = transfers.unfinalizedFrom.size();
        assertThat(transfers.unfinalizedFrom.subList(1, reads)).allMatch(from -> from >= 19); // never below what still waits
        pollTimes(2);
        assertThat(transfers.unfinalizedFrom.subList(reads, transfers.unfinalizedFrom.size()))
                .isNotEmpty().allMatch(from -> from > 19); // nothing waits any more: nothing at or below 19 is read
        assertThat(chain.blockFetchesOf(5)).isEqualTo(2);
    }

    @Test
    void aReceiptThatStillNamesAnOrphanedBlockIsNotARelocation() {
        chain = new FakeChain(SRC, DST, 20);
        watch();
        runUntil("the watcher follows the chain", () -> board.chains().toCompletableFuture().join().stream()
                .anyMatch(c -> c.chainId() == SRC && c.healthy() && c.headBlock() != null && c.headBlock() >= 20));
        chain.mine(23);
        MessageId id = chain.send(22, 0);
        runUntil("block 22 is scanned", () -> transfers.get(id).isPresent());
        // the transaction is not on the new branch, but the node still answers its old receipt (block 22, old hash):
        // following it would "relocate" the transfer to the orphaned block, again every cycle, and it would never end
        chain.reorgKeepingStaleReceipts(22, 24);
        runUntil("the new branch is followed", () -> status().healthy() && status().headBlock() != null && status().headBlock() >= 24);
        chain.mine(30);
        runUntil("the transfer ends REORGED", () -> transfers.get(id).map(t -> t.status() == TransferStatus.REORGED).orElse(false));
        assertThat(transfers.relocations(id)).isZero();
        assertThat(attested).isEmpty();
    }

    @Test
    void aLogWithAnImpossibleLogIndexIsRefusedAndTheCycleGoesOn() {
        chain = new FakeChain(SRC, DST, 20);
        MessageId hostile = chain.send(12, 0, Integer.MAX_VALUE + 1L); // an endpoint's answer no block can hold
        MessageId honest = chain.send(12, 1);
        watch();
        runUntil("the honest transfer in the same block is recorded", () -> transfers.get(honest).isPresent());
        // the transfer is recorded inside the cycle; the healthy status is published when the cycle ends
        runUntil("the cycle that recorded it ends healthy", () -> status().healthy()
                && Long.valueOf(20).equals(status().lastScannedBlock()));
        assertThat(transfers.get(hostile)).isEmpty();
    }

    // ── quorum reads (docs/adr/007-quorum-reads.md) ────────────────────────────────────────────────────────

    @Test
    void aTransferOnlyOneOfTwoRequiredEndpointsVouchesForWaitsAndSaysWhy() {
        chain = new FakeChain(SRC, DST, 20);
        FakeChain second = new FakeChain(SRC, DST, 20); // an endpoint that never saw the message
        MessageId id = chain.send(5, 0);
        watch(List.of(new Witness("first", chain), new Witness("second", second)), 2);

        runUntil("the shortfall is published", () -> status().waitingForQuorum() != null);
        assertThat(status().waitingForQuorum()).contains(id.toHex()).contains("1 of 2 needed vouch")
                .contains("second denies (no receipt");
        pollTimes(3);
        assertThat(attested).isEmpty();
        assertThat(transfers.get(id)).map(Transfer::status).contains(TransferStatus.SENT);

        second.send(5, 0); // the second endpoint catches up
        runUntil("the transfer is handed over", () -> attested.size() == 1);
        assertThat(status().waitingForQuorum()).isNull();
    }

    @Test
    void aHeadClaimedFarAheadByOneEndpointOfThreeMovesNothing() {
        chain = new FakeChain(SRC, DST, 20);
        FakeChain honest = new FakeChain(SRC, DST, 20);
        FakeChain liar = new FakeChain(SRC, DST, 1_020); // claims 1,000 blocks more
        MessageId id = chain.send(19, 0);
        honest.send(19, 0);
        liar.send(19, 0);
        watch(List.of(new Witness("first", chain), new Witness("honest", honest), new Witness("liar", liar)), 2);

        runUntil("block 20 is scanned", () -> Long.valueOf(20).equals(status().lastScannedBlock()));
        pollTimes(3);
        assertThat(status().headBlock()).isEqualTo(20);
        assertThat(attested).as("block 19 has 2 of 3 confirmations by the honest majority").isEmpty();

        chain.mine(21);
        honest.mine(21);
        runUntil("the transfer is final by the majority's head", () -> attested.size() == 1);
        assertThat(attested).extracting(Transfer::id).containsExactly(id);
    }

    // ── payments (issue 11) ──────────────────────────────────────────────────────────────────────────────

    private static final java.math.BigInteger QUOTE = java.math.BigInteger.valueOf(1_000_000);

    @Test
    void anUnpaidMessageIsHeldUnderpaidUntilAFinalTopUpThenHandedOverOnce() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        chain.payForGas(4, id, java.math.BigInteger.valueOf(400_000)); // paid with send, too little
        watchPaying(requiredPolicy(), quoted());

        runUntil("the transfer is held as UNDERPAID", () -> status(id) == TransferStatus.UNDERPAID);
        assertThat(payments.charges.get(id).required()).isEqualTo(QUOTE);
        assertThat(payments.account(id).toCompletableFuture().join().paid()).isEqualTo(java.math.BigInteger.valueOf(400_000));

        // a top-up in a block that is not final yet does not count
        chain.mine(11);
        chain.payForGas(11, id, java.math.BigInteger.valueOf(600_000));
        pollTimes(5);
        assertThat(status(id)).isEqualTo(TransferStatus.UNDERPAID);
        assertThat(attested).isEmpty();

        chain.mine(20);
        runUntil("the topped-up transfer is handed to the attester", () -> !attested.isEmpty());
        pollTimes(5);
        assertThat(attested).extracting(Transfer::id).containsExactly(id);
        assertThat(vouched).as("vouched for cycles ago, at its finality: the attester asks again").isEmpty();
        assertThat(status(id)).isEqualTo(TransferStatus.FINALIZED);
        assertThat(payments.pending).as("nothing left pending once counted").isEmpty();
    }

    @Test
    void aTopUpWhoseBlockLeftTheChainBeforeFinalityNeverCounts() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        watchPaying(requiredPolicy(), quoted());
        runUntil("the unpaid transfer is held as UNDERPAID", () -> status(id) == TransferStatus.UNDERPAID);

        chain.mine(11);
        chain.payForGas(11, id, QUOTE);
        runUntil("the top-up is seen (pending)", () -> !payments.pending.isEmpty());
        chain.reorg(11, 20); // the top-up's block is replaced by one without it

        runUntil("the orphaned sighting is discarded", () -> payments.pending.isEmpty());
        pollTimes(5);
        assertThat(status(id)).isEqualTo(TransferStatus.UNDERPAID);
        assertThat(payments.counted).isEmpty();
        assertThat(attested).isEmpty();
    }

    @Test
    void aMessagePaidInFullWithSendGoesOnAsBefore() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        chain.payForGas(4, id, QUOTE);
        watchPaying(requiredPolicy(), quoted());

        runUntil("the paid transfer is handed to the attester", () -> !attested.isEmpty());
        assertThat(status(id)).isEqualTo(TransferStatus.FINALIZED);
        assertThat(payments.charges.get(id).coveredBy(QUOTE)).isTrue();
    }

    @Test
    void withoutAQuoteARequiredRouteWaitsAndNeverDeliversUnpaid() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        watchPaying(requiredPolicy(), (from, to) -> java.util.concurrent.CompletableFuture.completedFuture(
                new io.courier.payment.Requirement.Unavailable("NO_PRICE: no price of ETH: 1 of 2 sources agree")));

        runUntil("the transfer is asked about at finality", () -> transfers.unfinalizedFrom.size() > 3);
        pollTimes(10);
        assertThat(status(id)).isEqualTo(TransferStatus.SENT);
        assertThat(attested).isEmpty();
        assertThat(payments.charges).isEmpty();
    }

    @Test
    void aSponsoredRouteDeliversAnUnpaidMessageWithoutAQuote() {
        chain = new FakeChain(SRC, DST, 10);
        MessageId id = chain.send(4, 0);
        io.courier.payment.PaymentPolicy sponsored = new io.courier.payment.PaymentPolicy(
                io.courier.payment.RoutePayment.required(java.math.BigDecimal.ZERO),
                java.util.Map.of(io.courier.payment.PaymentPolicy.route(SRC, DST), io.courier.payment.RoutePayment.sponsored()));
        watchPaying(sponsored, (from, to) -> {
            throw new AssertionError("a sponsored route asks for no quote");
        });

        runUntil("the unpaid transfer is handed to the attester", () -> !attested.isEmpty());
        assertThat(status(id)).isEqualTo(TransferStatus.FINALIZED);
    }

    private final InMemoryGasPayments payments = new InMemoryGasPayments();

    private static io.courier.payment.PaymentPolicy requiredPolicy() {
        return new io.courier.payment.PaymentPolicy(io.courier.payment.RoutePayment.required(java.math.BigDecimal.ZERO), java.util.Map.of());
    }

    private static Quotes quoted() {
        return (from, to) -> java.util.concurrent.CompletableFuture.completedFuture(
                new io.courier.payment.Requirement.Quoted(QUOTE, 200_000));
    }

    private TransferStatus status(MessageId id) {
        return transfers.get(id).map(Transfer::status).orElse(null);
    }

    private void watchPaying(io.courier.payment.PaymentPolicy policy, Quotes quotes) {
        ChainSettings settings = new ChainSettings("src", SRC, List.of(), Address.fromHex(FakeChain.GATEWAY), new FinalityPolicy.Confirmations(3),
                1, POLL, 100, Duration.ofSeconds(5), 10, 10, null, null, 16, 1, null);
        ChainWatcher.Wiring wiring = new ChainWatcher.Wiring(chain,
                new LogScanner(chain, LogRangePlanner.startingAt(100)), new MessageSentDecoder(SRC, FakeChain.GATEWAY),
                transfers, cursors, Set.of(DST), board, clock, new CourierMetrics(new PrometheusRegistry()),
                new TransferTracing(OpenTelemetry.noop()), attester, halted,
                new SourceWitnesses("src", List.of(new Witness("fake", chain)), 1, new MessageSentDecoder(SRC, FakeChain.GATEWAY)),
                Payments.of(payments, policy, quotes));
        kit.spawn(ChainWatcher.create(settings, wiring));
    }

    // ── harness ──────────────────────────────────────────────────────────────────────────────────────────

    private void watch() {
        watch(List.of(new Witness("fake", chain)), 1);
    }

    private void watch(List<Witness> endpoints, int quorum) {
        ChainSettings settings = new ChainSettings("src", SRC, List.of(), Address.fromHex(FakeChain.GATEWAY), new FinalityPolicy.Confirmations(3),
                1, POLL, 100, Duration.ofSeconds(5), 10, 10, null, null, 16, quorum, null);
        ChainWatcher.Wiring wiring = new ChainWatcher.Wiring(chain,
                new LogScanner(chain, LogRangePlanner.startingAt(100)), new MessageSentDecoder(SRC, FakeChain.GATEWAY),
                transfers, cursors, Set.of(DST), board, clock, new CourierMetrics(new PrometheusRegistry()),
                new TransferTracing(OpenTelemetry.noop()), attester, halted,
                new SourceWitnesses("src", endpoints, quorum, new MessageSentDecoder(SRC, FakeChain.GATEWAY)));
        kit.spawn(ChainWatcher.create(settings, wiring));
    }

    private ChainStatus status() {
        // before the actor's setup has run, the board holds nothing yet: as good as "starting"
        return board.chains().toCompletableFuture().join().stream().filter(s -> s.chainId() == SRC).findFirst()
                .orElse(ChainStatus.starting(SRC, "src"));
    }

    /** Lets time pass a few seconds at a time (so polls, backoffs and deadlines fire) until {@code done} holds. */
    private void runUntil(String what, BooleanSupplier done) {
        for (int i = 0; i < 500; i++) {
            if (done.getAsBoolean()) {
                return;
            }
            time.timePasses(Duration.ofSeconds(5));
            sleepBriefly();
        }
        throw new AssertionError("never happened: " + what);
    }

    private void pollTimes(int n) {
        for (int i = 0; i < n; i++) {
            time.timePasses(POLL);
            sleepBriefly();
        }
    }

    private static void sleepBriefly() {
        try {
            Thread.sleep(10); // lets the actor handle what the passing time sent it
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
