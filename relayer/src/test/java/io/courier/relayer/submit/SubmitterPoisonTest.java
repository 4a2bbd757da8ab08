package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.ChainRpcException;
import io.courier.chain.message.TxHash;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.fakes.ActorTestSupport;
import io.courier.relayer.submitfakes.FakeChainClient;
import io.courier.relayer.submitfakes.Transfers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.crypto.TransactionDecoder;

/**
 * Poison messages (issue 9): a message the destination cannot take is decided UNDELIVERABLE before it takes a nonce,
 * a transaction the node refuses for good gives its nonce to a no-op at once, and a message whose pre-flight keeps
 * reverting backs off on its own. In every case the ordinary messages behind it are delivered with gap-free nonces.
 */
class SubmitterPoisonTest extends ActorTestSupport {


    private static byte[] filled(int size, int value) {
        byte[] b = new byte[size];
        Arrays.fill(b, (byte) value);
        return b;
    }

    /** The nonces of the transactions broadcast, in order. */
    private static List<Long> sentNonces(SubmitterHarness h) {
        return h.chain.sent.stream().map(raw -> TransactionDecoder.decode(raw).getNonce().longValueExact()).toList();
    }

    private static double undeliverable(SubmitterHarness h, Transfer t, DeliveryObstacle reason) {
        return h.metrics.transfersUndeliverable.labelValues(t.route(), reason.label()).get();
    }

    @Test
    void messagesOverALimitAreUndeliverableWithoutANonceAndTheOthersGoThrough() {
        SubmitterHarness h = new SubmitterHarness(); // max-gas-limit 1,000,000; handler gas 200,000
        h.chain.blockGasLimit = OptionalLong.of(900_000);
        Transfer tooLarge = h.attested(1, filled(140_000, 0x5a));
        Transfer overBlock = h.attested(2, filled(40_000, 0x5a)); // ~0.95M gas: under the cap, over the block
        Transfer ordinary = h.attested(3);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(tooLarge.id()));
        submitter.tell(new Submitter.Ready(overBlock.id()));
        submitter.tell(new Submitter.Ready(ordinary.id()));
        await().until(() -> h.status(tooLarge) == TransferStatus.UNDELIVERABLE && h.status(overBlock) == TransferStatus.UNDELIVERABLE
                && h.chain.sent.size() == 1);

        assertThat(h.transfers.get(tooLarge.id()).failure()).hasValueSatisfying(r -> assertThat(r).startsWith("TOO_LARGE: "));
        assertThat(h.transfers.get(overBlock.id()).failure()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("OVER_BLOCK_GAS_LIMIT: ").contains("900000"));
        // no record, no pre-flight, no nonce for either: the ordinary message has nonce 0
        assertThat(h.submissions.recordCalls).extracting(Submission::messageIds).containsExactly(List.of(ordinary.id()));
        assertThat(sentNonces(h)).containsExactly(0L);
        assertThat(h.chain.preflights).hasSize(1);
        assertThat(undeliverable(h, tooLarge, DeliveryObstacle.TOO_LARGE)).isEqualTo(1.0);
        assertThat(undeliverable(h, overBlock, DeliveryObstacle.OVER_BLOCK_GAS_LIMIT)).isEqualTo(1.0);
    }

    @Test
    void aMessageOverTheGasCapIsUndeliverableAndNeverSigned() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer overCap = h.attested(1, filled(60_000, 0x5a)); // ~1.2M gas, cap 1M, no block limit known
        Transfer ordinary = h.attested(2);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(overCap.id()));
        submitter.tell(new Submitter.Ready(ordinary.id()));
        await().until(() -> h.status(overCap) == TransferStatus.UNDELIVERABLE && h.chain.sent.size() == 1);

        assertThat(h.transfers.get(overCap.id()).failure()).hasValueSatisfying(r -> assertThat(r)
                .startsWith("OVER_GAS_CAP: ").contains("max-gas-limit 1000000"));
        assertThat(sentNonces(h)).containsExactly(0L);
        assertThat(h.submissions.recordCalls).extracting(Submission::messageIds).containsExactly(List.of(ordinary.id()));
        // a sweep does not pick it up again: it waits for an operator
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.transfers.openCalls.get() >= 2);
        assertThat(h.submissions.recordCalls).hasSize(1);
        assertThat(undeliverable(h, overCap, DeliveryObstacle.OVER_GAS_CAP)).isEqualTo(1.0);
    }

    @Test
    void aHandlerGasAboveTheCapStopsTheSubmitterBeforeAnythingIsSigned() {
        SubmitterHarness h = new SubmitterHarness();
        h.chain.handlerGasLimit = 2_000_000; // the cap is 1,000,000: no execute of this gateway can fit
        Transfer a = h.attested(1);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.metrics.submissions.labelValues("dst", "refused_handler_over_cap").get() == 1.0);
        submitter.tell(new Submitter.Ready(a.id()));
        submitter.tell(Submitter.Sweep.INSTANCE);

        // nothing prepared, signed or moved; the message is not blamed for it (still ATTESTED)
        assertThat(h.chain.preflights).isEmpty();
        assertThat(h.submissions.recordCalls).isEmpty();
        assertThat(h.chain.sent).isEmpty();
        assertThat(h.status(a)).isEqualTo(TransferStatus.ATTESTED);
    }

    @Test
    void aBroadcastTheNodeRefusesForGoodIsNotSentAgainAndItsNonceIsFilledAtOnce() {
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        AtomicBoolean first = new AtomicBoolean(true);
        h.chain.onSend = raw -> first.getAndSet(false)
                ? CompletableFuture.failedFuture(FakeChainClient.rpcError(ChainRpcException.Kind.TX_REJECTED, "eth_sendRawTransaction"))
                : CompletableFuture.completedFuture(TxHash.fromHex(Hash.sha3(raw)));
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.status(a) == TransferStatus.UNDELIVERABLE && h.chain.sent.size() == 2);

        TxHash refused = h.submissions.recordCalls.get(0).txHash();
        assertThat(h.transfers.get(a.id()).failure()).hasValueSatisfying(r -> assertThat(r).startsWith("REJECTED_BY_NODE: "));
        // the no-op to itself took the refused transaction's nonce
        assertThat(sentNonces(h)).containsExactly(0L, 0L);
        assertThat(TransactionDecoder.decode(h.chain.sent.get(1)).getTo()).isEqualToIgnoringCase(Transfers.SIGNER.getAddress());

        Transfer b = h.attested(2);
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> h.chain.sent.size() == 3);
        assertThat(sentNonces(h).get(2)).isEqualTo(1L);
        // polls past rebroadcast-after never send the refused transaction again
        h.clock.advance(SubmitterHarness.REBROADCAST_AFTER.multipliedBy(2));
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.chain.receiptCalls.size() >= 1);
        assertThat(h.chain.sentHashes()).containsOnlyOnce(refused);
        assertThat(undeliverable(h, a, DeliveryObstacle.REJECTED_BY_NODE)).isEqualTo(1.0);
    }

    @Test
    void aRebroadcastTheNodeRefusesForGoodEndsTheRebroadcastsAndFillsTheNonce() {
        // issue 9 as measured: the first broadcast failed, and every rebroadcast after it was refused, forever
        SubmitterHarness h = new SubmitterHarness();
        Transfer a = h.attested(1);
        AtomicBoolean first = new AtomicBoolean(true);
        h.chain.onSend = raw -> CompletableFuture.failedFuture(FakeChainClient.rpcError(first.getAndSet(false)
                ? ChainRpcException.Kind.TRANSIENT : ChainRpcException.Kind.TX_REJECTED, "eth_sendRawTransaction"));
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        await().until(() -> h.metrics.submissions.labelValues("dst", "broadcast_failed").get() == 1.0);
        h.chain.onSend = raw -> TransactionDecoder.decode(raw).getTo().equalsIgnoreCase(Transfers.SIGNER.getAddress())
                ? CompletableFuture.completedFuture(TxHash.fromHex(Hash.sha3(raw)))
                : CompletableFuture.failedFuture(FakeChainClient.rpcError(ChainRpcException.Kind.TX_REJECTED, "eth_sendRawTransaction"));
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> h.status(a) == TransferStatus.UNDELIVERABLE && h.chain.sent.size() == 3);

        assertThat(sentNonces(h)).containsExactly(0L, 0L, 0L); // sent, resent once (refused), then the no-op
        h.clock.advance(SubmitterHarness.REBROADCAST_AFTER.multipliedBy(2));
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        h.chain.onSend = raw -> CompletableFuture.completedFuture(TxHash.fromHex(Hash.sha3(raw)));
        Transfer b = h.attested(2);
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> h.chain.sent.size() == 4);
        assertThat(sentNonces(h).get(3)).isEqualTo(1L);
        assertThat(h.status(b)).isEqualTo(TransferStatus.SUBMITTED);
    }

    @Test
    void aPreflightThatKeepsRevertingBacksOffOnItsOwnAndIsParked() {
        SubmitterHarness h = new SubmitterHarness();
        byte[] poison = "poison".getBytes(StandardCharsets.US_ASCII);
        String poisonHex = HexFormat.of().formatHex(poison);
        h.chain.onPreflight = data -> data.contains(poisonHex)
                ? CompletableFuture.failedFuture(FakeChainClient.rpcError(ChainRpcException.Kind.REVERTED, "eth_call"))
                : CompletableFuture.completedFuture("0x");
        Transfer a = h.attested(1, poison);
        Transfer b = h.attested(2);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        submitter.tell(new Submitter.Ready(a.id()));
        submitter.tell(new Submitter.Ready(b.id()));
        await().until(() -> poisonPreflights(h, poisonHex) == 1 && h.chain.sent.size() == 1);

        // while it backs off, neither a Ready nor a sweep prepares it again; the other message went through
        submitter.tell(new Submitter.Ready(a.id()));
        int opens = h.transfers.openCalls.get();
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.transfers.openCalls.get() > opens);
        Transfer c = h.attested(3);
        submitter.tell(new Submitter.Ready(c.id()));
        await().until(() -> h.chain.sent.size() == 2);
        assertThat(poisonPreflights(h, poisonHex)).isEqualTo(1);
        assertThat(h.status(a)).isEqualTo(TransferStatus.ATTESTED);

        // 10 s, 20 s, 40 s, 80 s: each wait over, the sweep tries it again; the fifth revert parks it
        long wait = 10;
        for (int attempt = 2; attempt <= PreflightBackoff.MAX_ATTEMPTS; attempt++, wait *= 2) {
            h.clock.advance(Duration.ofSeconds(wait - 1));
            sweepAndWait(submitter, h);
            assertThat(poisonPreflights(h, poisonHex)).as("still waiting before attempt %d", attempt).isEqualTo(attempt - 1);
            h.clock.advance(Duration.ofSeconds(1));
            submitter.tell(Submitter.Sweep.INSTANCE);
            int expected = attempt;
            await().until(() -> poisonPreflights(h, poisonHex) == expected);
        }
        await().until(() -> h.status(a) == TransferStatus.UNDELIVERABLE);
        assertThat(h.transfers.get(a.id()).failure()).hasValueSatisfying(r -> assertThat(r).startsWith("PREFLIGHT_KEEPS_REVERTING: "));
        // never signed; the others' nonces have no gap
        assertThat(h.submissions.recordCalls).noneMatch(r -> r.messageIds().contains(a.id()));
        List<Long> nonces = sentNonces(h);
        assertThat(nonces).isEqualTo(java.util.stream.LongStream.range(0, nonces.size()).boxed().toList());
        assertThat(undeliverable(h, a, DeliveryObstacle.PREFLIGHT_KEEPS_REVERTING)).isEqualTo(1.0);
    }

    private static long poisonPreflights(SubmitterHarness h, String poisonHex) {
        return h.chain.preflights.stream().filter(d -> d.contains(poisonHex)).count();
    }

    private static void sweepAndWait(ActorRef<Submitter.Command> submitter, SubmitterHarness h) {
        int opens = h.transfers.openCalls.get();
        submitter.tell(Submitter.Sweep.INSTANCE);
        await().until(() -> h.transfers.openCalls.get() > opens);
        // a sweep's result is handled before the next message: a Ready round-trip after it proves it was processed
        Transfer probe = h.attested(1_000 + opens);
        int sent = h.chain.sent.size();
        submitter.tell(new Submitter.Ready(probe.id()));
        await().until(() -> h.chain.sent.size() > sent);
    }
}
