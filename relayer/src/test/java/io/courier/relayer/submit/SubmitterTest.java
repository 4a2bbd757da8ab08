package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.ChainRpcException;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.TxHash;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.StoreException;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.fakes.ActorTestSupport;
import io.courier.relayer.submitfakes.FakeChainClient;
import io.courier.relayer.submitfakes.Transfers;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;

/**
 * The submitter actor over fakes: scripted chain, in-memory stores, a manual clock and deadlines that pass only
 * when the test expires them. Assertions are on effects (records, broadcasts, states), never on timings.
 */
class SubmitterTest extends ActorTestSupport {


    private static List<Long> recordedNonces(SubmitterHarness h) {
        return h.submissions.recordCalls.stream().map(Submission::nonce).toList();
    }

    private static Submission recordOf(SubmitterHarness h, Transfer t) {
        return h.submissions.recordCalls.stream().filter(s -> s.messageIds().contains(t.id())).findFirst().orElseThrow();
    }

    private static long submissionsCounter(SubmitterHarness h, String outcome) {
        return (long) h.metrics.submissions.labelValues("dst", outcome).get();
    }

    @Test
    void aTransferIsSignedRecordedMarkedSubmittedBroadcastAndDeliveredInThatOrder() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);

        Submission record = recordOf(h, a);
        assertThat(record.nonce()).isZero();
        assertThat(h.chain.sentHashes()).containsExactly(record.txHash());
        assertThat(h.transfers.get(a.id()).destinationTx()).contains(record.txHash());

        h.chain.receipts.put(record.txHash(), FakeChainClient.delivered(record.txHash(), a.id(), Transfers.DST_GATEWAY, 90));
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.status(a) == TransferStatus.DELIVERED);
    }

    @Test
    void aMessageTheGatewayHoldsAsFailedIsDeliveredAgainThroughRetryNotExecute() {
        // an operator's retry moved FAILED back to ATTESTED: execute would revert on the message's replay bit
        SubmitterHarness h = new SubmitterHarness();
        h.chain.messageStatus = 2;
        Transfer a = h.attested(1)
                .next(new io.courier.finality.TransferEvent.Submitted(TxHash.fromHex("0x" + "f1".repeat(32)), 0), Transfers.T0.plusSeconds(65))
                .next(new io.courier.finality.TransferEvent.ExecutionFailed("recipient reverted", TxHash.fromHex("0x" + "f1".repeat(32))),
                        Transfers.T0.plusSeconds(70))
                .next(new io.courier.finality.TransferEvent.RetryRequested("admin", "recipient fixed"), Transfers.T0.plusSeconds(80));
        h.transfers.put(a);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);

        String data = org.web3j.crypto.TransactionDecoder.decode(h.chain.sent.get(0)).getData();
        assertThat(org.web3j.utils.Numeric.prependHexPrefix(data)).isEqualTo(ExecuteCall.retry(a.message()));
        Submission record = recordOf(h, a);
        h.chain.receipts.put(record.txHash(), FakeChainClient.delivered(record.txHash(), a.id(), Transfers.DST_GATEWAY, 90));
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.status(a) == TransferStatus.DELIVERED);
    }

    @Test
    void aLegacyChainIsPricedByItsGasPriceAndGetsALegacyTransaction() {
        SubmitterHarness h = new SubmitterHarness();
        h.fees = h.fees.withMode(io.courier.fees.FeeMode.LEGACY);
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);

        Submission record = recordOf(h, a);
        assertThat(record.maxFeePerGas()).isEqualTo(FakeChainClient.GAS_PRICE);
        org.web3j.crypto.RawTransaction sent = org.web3j.crypto.TransactionDecoder.decode(h.chain.sent.get(0));
        assertThat(sent.getType().isLegacy()).isTrue();
        assertThat(sent.getGasPrice()).isEqualTo(FakeChainClient.GAS_PRICE);
    }

    @Test
    void aNodeWithoutFeeHistoryIsDetectedAsLegacyAndGetsALegacyTransaction() {
        SubmitterHarness h = new SubmitterHarness(); // fee mode auto
        h.chain.feeHistoryError = FakeChainClient.rpcError(ChainRpcException.Kind.INVALID_REQUEST, "eth_feeHistory"); // geth: -32601
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);
        org.web3j.crypto.RawTransaction sent = org.web3j.crypto.TransactionDecoder.decode(h.chain.sent.get(0));
        assertThat(sent.getType().isLegacy()).isTrue();
        assertThat(sent.getGasPrice()).isEqualTo(FakeChainClient.GAS_PRICE);
    }

    @Test
    void aMarketAboveTheChainsCapSendsNothing() {
        SubmitterHarness h = new SubmitterHarness();
        // the fakes' next base fee is far above a 1 wei cap: waiting, never a transaction priced under the market
        h.fees = io.courier.fees.FeeSettings.defaults(java.math.BigInteger.ONE, java.math.BigInteger.ZERO);
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.feeHistoryCalls.get() > 0);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.feeHistoryCalls.get() > 1);
        assertThat(h.chain.sent).isEmpty();
        assertThat(h.submissions.recordCalls).isEmpty();
        assertThat(h.transfers.get(a.id()).status()).isEqualTo(io.courier.finality.TransferStatus.ATTESTED);
    }

    @Test
    void aSubmittedWriteThatMissesItsDeadlineKeepsItsNonceAndItsTransactionIsSentAtTheNextPoll() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        AtomicBoolean first = new AtomicBoolean(true);
        // the SUBMITTED write hangs (a Cassandra timeout in the making); later writes go through
        h.transfers.onTransition = call -> call.id().equals(a.id()) && call.event() instanceof TransferEvent.Submitted
                && first.getAndSet(false) ? new CompletableFuture<TransitionOutcome>() : null;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.deadlines.waiting("submitting") && !h.transfers.transitionCalls.isEmpty());
        assertThat(h.deadlines.expire("submitting")).isTrue();

        Transfer b = h.attested(2);
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> h.chain.sent.size() == 1);
        // the timed-out write may have landed: its nonce is not handed out again
        assertThat(recordedNonces(h)).containsExactly(0L, 1L);
        assertThat(h.chain.sentHashes()).containsExactly(recordOf(h, b).txHash());
        assertThat(h.status(a)).isEqualTo(TransferStatus.ATTESTED);

        // the next poll sends A's recorded transaction, unchanged
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.chain.sent.size() == 2);
        TxHash aTx = recordOf(h, a).txHash();
        assertThat(h.chain.sentHashes().get(1)).isEqualTo(aTx);

        // once mined, SUBMITTED is written first (the state machine has no ATTESTED → DELIVERED), then DELIVERED
        h.chain.receipts.put(aTx, FakeChainClient.delivered(aTx, a.id(), Transfers.DST_GATEWAY, 90));
        await().untilAsserted(() -> {
            submitter.tell(Submitter.PollReceipts.INSTANCE);
            assertThat(h.status(a)).isEqualTo(TransferStatus.DELIVERED);
        });
        assertThat(h.transfers.get(a.id()).destinationTx()).contains(aTx);
        assertThat(h.transfers.transitionCalls.stream().filter(c -> c.id().equals(a.id())).map(c -> c.event().getClass().getSimpleName()))
                .containsSubsequence("Submitted", "Submitted", "Delivered");
    }

    @Test
    void aBroadcastThatFailsAfterSubmittedWasPersistedIsRetriedWithTheSameTransaction() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        AtomicBoolean first = new AtomicBoolean(true);
        h.chain.onSend = raw -> first.getAndSet(false)
                ? CompletableFuture.failedFuture(FakeChainClient.rpcError(ChainRpcException.Kind.TRANSIENT, "eth_sendRawTransaction"))
                : CompletableFuture.completedFuture(TxHash.fromHex(org.web3j.crypto.Hash.sha3(raw)));
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> submissionsCounter(h, "broadcast_failed") == 1);
        Submission record = recordOf(h, a);
        assertThat(h.status(a)).isEqualTo(TransferStatus.SUBMITTED);

        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.chain.sent.size() == 2);
        assertThat(h.chain.sentHashes()).containsExactly(record.txHash(), record.txHash());
        assertThat(h.submissions.recordCalls).containsExactly(record);
    }

    @Test
    void aRecordWriteThatCertainlyFailedGivesItsNonceBackAndNothingIsSent() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        AtomicBoolean first = new AtomicBoolean(true);
        h.submissions.onRecord = s -> first.getAndSet(false)
                ? CompletableFuture.failedFuture(new StoreException("record of nonce " + s.nonce() + " failed: no host", null, false))
                : null;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> !h.submissions.recordCalls.isEmpty());
        Transfer b = h.attested(2);
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> !h.chain.sent.isEmpty());

        // the start-up sweep may bring A back before B (it is ATTESTED again): whichever goes next takes nonce 0
        Submission failed = h.submissions.recordCalls.get(0);
        assertThat(failed.nonce()).isZero();
        // only what was recorded is sent (A again at nonce 0 signs the very same transaction: then it was recorded again)
        List<TxHash> recordedAfter = h.submissions.recordCalls.subList(1, h.submissions.recordCalls.size()).stream()
                .map(Submission::txHash).toList();
        assertThat(recordedAfter).as("the records written after the failure").containsAll(h.chain.sentHashes());
        assertThat(h.submissions.recordCalls.get(1).nonce()).as("the nonce given back").isZero();
        assertThat(h.chain.sentHashes().get(0)).isEqualTo(h.submissions.recordCalls.get(1).txHash());
    }

    @Test
    void aPreparationThatMissesItsDeadlineSignsNothingAndTheNextSweepSubmitsIt() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        CompletableFuture<String> hungPreflight = new CompletableFuture<>();
        h.chain.onPreflight = data -> hungPreflight;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.deadlines.waiting("preparing"));
        assertThat(h.deadlines.expire("preparing")).isTrue();

        h.chain.onPreflight = data -> CompletableFuture.completedFuture("0x");
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.chain.sent.size() == 1);
        assertThat(recordedNonces(h)).containsExactly(0L);
        assertThat(h.status(a)).isEqualTo(TransferStatus.SUBMITTED);
        hungPreflight.complete("0x"); // too late: its step is over, nothing else is signed
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.transfers.openCalls.get() >= 3);
        assertThat(h.submissions.recordCalls).hasSize(1);
    }

    @Test
    void aSweepThatMissesItsDeadlineDoesNotStopTheNextOne() {
        SubmitterHarness h = new SubmitterHarness();
        h.transfers.onOpen = n -> n == 1 ? new CompletableFuture<>() : null;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        await().until(() -> h.deadlines.waiting("sweep"));
        Transfer a = h.attested(1); // never announced: only a sweep finds it
        assertThat(h.deadlines.expire("sweep")).isTrue();

        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.chain.sent.size() == 1);
        assertThat(h.status(a)).isEqualTo(TransferStatus.SUBMITTED);
    }

    @Test
    void aSourceChainHaltedWhileATransferIsPreparedGetsNoTransaction() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        CompletableFuture<String> preflight = new CompletableFuture<>();
        h.chain.onPreflight = data -> preflight;
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.preflights.size() == 1);

        h.halted.halt(Transfers.SRC, "reorg beyond finality");
        preflight.complete("0x");
        await().until(() -> !h.deadlines.waiting("preparing"));
        // a later message with a visible effect: once it is handled, the prepared transfer was handled before it
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.transfers.openCalls.get() >= 2);
        assertThat(h.submissions.recordCalls).isEmpty();
        assertThat(h.chain.sent).isEmpty();
        assertThat(h.status(a)).isEqualTo(TransferStatus.ATTESTED);

        h.halted.resume(Transfers.SRC);
        h.chain.onPreflight = data -> CompletableFuture.completedFuture("0x");
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.chain.sent.size() == 1);
        assertThat(recordedNonces(h)).containsExactly(0L);
    }

    @Test
    void aSourceChainHaltedWhileATransactionIsInFlightGetsNoReplacementTransaction() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);
        TxHash aTx = recordOf(h, a).txHash();
        assertThat(h.transfers.findCalls.get()).isEqualTo(1);

        h.halted.halt(Transfers.SRC, "reorg beyond finality");
        // its nonce is taken by another transaction and it has no receipt: it can never be mined
        h.chain.minedNonce.set(1);
        h.chain.onSend = raw -> CompletableFuture.failedFuture(FakeChainClient.rpcError(ChainRpcException.Kind.NONCE_TOO_LOW, "eth_sendRawTransaction"));
        h.clock.advance(SubmitterHarness.REBROADCAST_AFTER);
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.chain.sent.size() == 2); // the same transaction, sent again
        // the replacement is prepared from the transfer (a second read of it) and finds the chain halted
        await().until(() -> h.transfers.findCalls.get() == 2);
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.transfers.openCalls.get() >= 2);
        assertThat(h.chain.sentHashes()).containsOnly(aTx);
        assertThat(h.submissions.recordCalls).hasSize(1);
        assertThat(h.transfers.get(a.id()).destinationTx()).contains(aTx);
    }

    @Test
    void readyRequestsWaitWhileTheNoncesLoadAndAreSubmittedOnceTheyAre() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        h.chain.minedNonce.set(7);
        CompletableFuture<Long> mined = new CompletableFuture<>();
        h.chain.onNonce = tag -> tag.equals("latest") ? mined : CompletableFuture.completedFuture(7L);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.deadlines.waiting("loading the nonce"));
        assertThat(h.chain.preflights).isEmpty();

        h.chain.onNonce = null;
        mined.complete(7L);
        await().until(() -> h.chain.sent.size() == 1);
        assertThat(recordedNonces(h)).containsExactly(7L);
    }

    @Test
    void aNonceRecordedButNeverSentIsFilledByTheNonceCheck() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        // someone else delivers A between our record and our SUBMITTED write
        h.transfers.onTransition = call -> {
            if (call.id().equals(a.id()) && call.event() instanceof TransferEvent.Submitted s && !s.txHash().equals("0x" + "99".repeat(32))) {
                h.transfers.apply(a.id(), TransferStatus.ATTESTED, new TransferEvent.Submitted(TxHash.fromHex("0x" + "99".repeat(32)), 40), h.clock.instant());
            }
            return null;
        };
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.submissions.recordCalls.size() == 1);
        await().until(() -> !h.deadlines.waiting("submitting"));
        assertThat(h.chain.sent).isEmpty();

        submitter.tell(Submitter.CheckNonces.INSTANCE);
        await().until(() -> h.chain.sent.size() == 1);
        // the fill is counted when its send has answered, just after the fake recorded it
        await().until(() -> submissionsCounter(h, "gap_filled") == 1);
        assertThat(h.chain.sentHashes()).doesNotContain(recordOf(h, a).txHash());
    }

    @Test
    void receiptsAreOnlyAskedForWhatIsInFlightAndAnUnconfirmedReceiptIsAskedAgain() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);
        TxHash aTx = recordOf(h, a).txHash();
        // mined above the head: not confirmed yet
        TxReceipt early = FakeChainClient.delivered(aTx, a.id(), Transfers.DST_GATEWAY, h.chain.head.get() + 5);
        h.chain.receipts.put(aTx, early);
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.chain.receiptCalls.size() == 1);
        h.chain.head.addAndGet(10);
        await().untilAsserted(() -> {
            submitter.tell(Submitter.PollReceipts.INSTANCE);
            assertThat(h.status(a)).isEqualTo(TransferStatus.DELIVERED);
        });
        assertThat(h.chain.receiptCalls).containsOnly(aTx);
        assertThat(h.transfers.get(a.id()).stageTime(TransferStatus.DELIVERED)).isPresent();
        assertThat(h.chain.sent).hasSize(1);
    }

    // ── fee bumps (docs/adr/004, "Fees and bumps") ──────────────────────────────────────────────────

    /** Bump after 2 blocks, at most 2 bumps of 12.5%, caps 1,000 gwei. */
    private static SubmitterHarness bumping() {
        SubmitterHarness h = new SubmitterHarness();
        io.courier.fees.FeeSettings f = h.fees;
        h.fees = new io.courier.fees.FeeSettings(f.historyBlocks(), f.rewardPercentile(), f.minPriorityFeePerGas(), f.blocksToInclusion(),
                f.maxFeePerGas(), f.maxPriorityFeePerGas(), 2, new java.math.BigDecimal("12.5"), 2, f.mode());
        return h;
    }

    /** Polls receipts at a head {@code blocks} later and waits until the round has been handled (a new receipt asked). */
    private static void pollAt(SubmitterHarness h, ActorRef<Submitter.Command> submitter, long head) {
        h.chain.head.set(head);
        int before = h.chain.receiptCalls.size();
        // a poll while the previous round is still answering is dropped: ask until a round at this head starts
        await().untilAsserted(() -> {
            submitter.tell(Submitter.PollReceipts.INSTANCE);
            assertThat(h.chain.receiptCalls.size()).isGreaterThan(before);
        });
    }

    @Test
    void aTransactionLeftUnminedByARisingMarketIsReplacedAtItsNonceWithBothFeesRaisedAndTheOldOneStillCounts() {
        SubmitterHarness h = bumping();
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);
        Submission first = recordOf(h, a);

        h.chain.marketTip = java.math.BigInteger.TEN.pow(9).multiply(java.math.BigInteger.valueOf(3)); // the market moved: 3 gwei tips
        pollAt(h, submitter, 100); // first seen unmined
        pollAt(h, submitter, 101);
        assertThat(h.chain.sent).hasSize(1);
        pollAt(h, submitter, 102); // two blocks later: replaced
        await().until(() -> h.chain.sent.size() == 2);

        org.web3j.crypto.transaction.type.Transaction1559 old = (org.web3j.crypto.transaction.type.Transaction1559)
                org.web3j.crypto.TransactionDecoder.decode(h.chain.sent.get(0)).getTransaction();
        org.web3j.crypto.transaction.type.Transaction1559 bumped = (org.web3j.crypto.transaction.type.Transaction1559)
                org.web3j.crypto.TransactionDecoder.decode(h.chain.sent.get(1)).getTransaction();
        assertThat(bumped.getNonce()).isEqualTo(old.getNonce());
        assertThat(bumped.getData()).isEqualTo(old.getData());
        assertThat(new java.math.BigDecimal(bumped.getMaxPriorityFeePerGas()))
                .isGreaterThanOrEqualTo(new java.math.BigDecimal(old.getMaxPriorityFeePerGas()).multiply(new java.math.BigDecimal("1.125")));
        assertThat(new java.math.BigDecimal(bumped.getMaxFeePerGas()))
                .isGreaterThanOrEqualTo(new java.math.BigDecimal(old.getMaxFeePerGas()).multiply(new java.math.BigDecimal("1.125")));
        await().until(() -> h.transfers.get(a.id()).destinationTx().map(tx -> !tx.equals(first.txHash())).orElse(false));
        assertThat(h.submissions.recordCalls.stream().map(Submission::nonce)).containsOnly(first.nonce());
        await().until(() -> h.metrics.feeBumps.labelValues("dst").get() == 1.0);

        // the first attempt is the one mined: the transfer is delivered by it
        h.chain.receipts.put(first.txHash(), FakeChainClient.delivered(first.txHash(), a.id(), Transfers.DST_GATEWAY, 103));
        pollAt(h, submitter, 103);
        await().until(() -> h.status(a) == TransferStatus.DELIVERED);
        assertThat(h.transfers.get(a.id()).destinationTx()).contains(first.txHash());
    }

    @Test
    void aMarketAboveTheCapGetsOneReplacementAtTheCapThenTheTransactionIsLeftAloneAndTheGaugeSaysSo() {
        SubmitterHarness h = bumping();
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);
        h.chain.marketTip = java.math.BigInteger.TEN.pow(12).multiply(java.math.BigInteger.valueOf(5)); // 5,000 gwei: 5x the tip cap
        long head = 100;
        for (int i = 0; i < 12; i++) {
            pollAt(h, submitter, head++);
        }
        await().until(() -> h.metrics.feeBumpsExhausted.labelValues("dst").get() == 1.0);
        assertThat(h.chain.sent).as("the first transaction and one replacement at the cap, nothing more").hasSize(2);
        org.web3j.crypto.transaction.type.Transaction1559 atCap = (org.web3j.crypto.transaction.type.Transaction1559)
                org.web3j.crypto.TransactionDecoder.decode(h.chain.sent.get(1)).getTransaction();
        assertThat(atCap.getMaxPriorityFeePerGas()).isEqualTo(h.fees.maxPriorityFeePerGas());
        assertThat(atCap.getMaxFeePerGas()).isLessThanOrEqualTo(h.fees.maxFeePerGas());
        assertThat(h.metrics.feeBumps.labelValues("dst").get()).isEqualTo(1.0);
    }

    @Test
    void aMarketThatKeepsRisingGetsAtMostMaxBumpsReplacements() {
        SubmitterHarness h = bumping();
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.chain.sent.size() == 1);
        long head = 100;
        for (int i = 0; i < 16; i++) {
            // the market's tip doubles every poll, always above the replacement in flight and under the cap
            h.chain.marketTip = java.math.BigInteger.TEN.pow(9).shiftLeft(i + 1);
            pollAt(h, submitter, head++);
        }
        await().until(() -> h.metrics.feeBumpsExhausted.labelValues("dst").get() == 1.0);
        assertThat(h.chain.sent).as("the first transaction and max-bumps = 2 replacements").hasSize(3);
        assertThat(h.metrics.feeBumps.labelValues("dst").get()).isEqualTo(2.0);
    }

    @Test
    void aSignerBelowTheFloorTakesNoNewWorkAndSaysWhyUntilItIsToppedUp() {
        SubmitterHarness h = new SubmitterHarness();
        h.signerFloorWei = java.math.BigInteger.TEN.pow(18);
        h.chain.balanceWei = java.math.BigInteger.TEN.pow(17); // 0.1 of the 1 ether floor
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        await().until(() -> h.funds.belowFloor(Transfers.DST).isPresent());
        submitter.tell(new Submitter.Ready(a.id()));
        submitter.tell(Submitter.Sweep.INSTANCE);
        // a probe: the second sweep's balance read was handled, and still nothing was signed
        await().until(() -> h.chain.balanceCalls.get() >= 2);
        assertThat(h.chain.sent).isEmpty();
        assertThat(h.funds.belowFloor(Transfers.DST)).get(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                .contains("below this chain's floor").contains(java.math.BigInteger.TEN.pow(18).toString());
        var board = new io.courier.relayer.status.ChainStatusBoard(h.funds);
        board.update(io.courier.relayer.status.ChainStatus.starting(Transfers.DST, "dst"));
        assertThat(board.chains().toCompletableFuture().join().get(0).signerBelowFloor()).contains("below this chain's floor");

        h.chain.balanceWei = java.math.BigInteger.TEN.pow(19);
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.chain.sent.size() == 1);
        assertThat(h.funds.belowFloor(Transfers.DST)).isEmpty();
        assertThat(h.status(a)).isEqualTo(TransferStatus.SUBMITTED);
    }
}
