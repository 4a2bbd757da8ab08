package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.GatewayEvents;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import io.courier.chain.message.ValidatorSignature;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.relayer.config.NodeConfig.BatchSettings;
import io.courier.relayer.fakes.ActorTestSupport;
import io.courier.relayer.handoff.CheckpointRequests;
import io.courier.relayer.submitfakes.FakeChainClient;
import io.courier.relayer.submitfakes.Transfers;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.crypto.TransactionDecoder;

/**
 * Batched delivery (docs/adr/009-batched-delivery.md) over fakes: what goes in one transaction, by which gateway path,
 * and what becomes of each message when the batch cannot go or reverts.
 */
class SubmitterBatchTest extends ActorTestSupport {

    private static final String EXECUTE_CHECKPOINT = FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("executeCheckpoint",
            List.of(new Uint256(0), new org.web3j.abi.datatypes.Address("0x" + "00".repeat(20)), new Uint64(0), new Bytes32(new byte[32]),
                    new org.web3j.abi.datatypes.DynamicBytes(new byte[0]), new org.web3j.abi.datatypes.DynamicBytes(new byte[0]),
                    new org.web3j.abi.datatypes.DynamicBytes(new byte[0])), List.of())).substring(0, 10);
    private static final String EXECUTE_BATCH = FunctionEncoder.encode(new org.web3j.abi.datatypes.Function("executeBatch",
            List.of(new Uint256(0), new org.web3j.abi.datatypes.Address("0x" + "00".repeat(20)),
                    new org.web3j.abi.datatypes.DynamicBytes(new byte[0]), new org.web3j.abi.datatypes.DynamicBytes(new byte[0])),
            List.of())).substring(0, 10);

    /** Batching on; the Ready messages a test hands over together arrive within the wait and share a transaction. */
    private static SubmitterHarness batching() {
        SubmitterHarness h = new SubmitterHarness();
        h.batch = new BatchSettings(128, Duration.ofMillis(300), 25_000);
        return h;
    }

    /** The test validators sign checkpoints the way the attester does: every key, over the range's digest. */
    private static CheckpointRequests validatorsSign(List<List<CrossChainMessage>> asked) {
        return new CheckpointRequests() {
            @Override
            public CompletionStage<List<ValidatorSignature>> sign(List<CrossChainMessage> range, String dstGateway) {
                asked.add(range);
                var keys = Transfers.keys(3);
                return CompletableFuture.completedFuture(keys.signCheckpoint(CheckpointDigest.of(range, dstGateway),
                        new HashSet<>(keys.addresses())));
            }

            @Override
            public int signers() {
                return 3;
            }
        };
    }

    private static String selector(String raw) {
        return TransactionDecoder.decode(raw).getData().substring(0, 8);
    }

    private static TxReceipt checkpointExecuted(TxHash tx, long firstNonce, long lastNonce, long block) {
        String data = "0x" + FunctionEncoder.encodeConstructor(List.of(new Uint64(firstNonce), new Uint64(lastNonce),
                new Bytes32(new byte[32]), new Uint256(0)));
        ChainLog log = new ChainLog(Transfers.DST_GATEWAY, List.of(GatewayEvents.CHECKPOINT_EXECUTED_TOPIC, GatewayEvents.uintTopic(Transfers.SRC),
                GatewayEvents.addressTopic(Transfers.SRC_GATEWAY)), data, block, BlockHash.fromHex("0x" + "ee".repeat(32)), tx, 0, false);
        return new TxReceipt(tx, TxReceipt.Status.SUCCESS, block, BlockHash.fromHex("0x" + "ee".repeat(32)), BigInteger.valueOf(60_000),
                BigInteger.ONE, List.of(log), null, null);
    }

    private static List<Transfer> attested(SubmitterHarness h, long... nonces) {
        List<Transfer> out = new ArrayList<>();
        for (long n : nonces) {
            out.add(h.attested(n));
        }
        return out;
    }

    private static void ready(ActorRef<Submitter.Command> submitter, List<Transfer> ts) {
        ts.forEach(t -> submitter.tell(new Submitter.Ready(t.id())));
    }

    @Test
    void aContiguousRunGoesInOneCheckpointTransactionAndEachMessageIsDeliveredByItsReceipt() {
        SubmitterHarness h = batching();
        List<List<CrossChainMessage>> asked = new ArrayList<>();
        h.checkpoints = validatorsSign(asked);
        List<Transfer> ts = attested(h, 1, 2, 3, 4, 5);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        ready(submitter, ts); // the start-up sweep queues them too; either way they share one transaction
        await().until(() -> ts.stream().allMatch(t -> h.status(t) == TransferStatus.SUBMITTED) && !h.chain.sent.isEmpty());

        assertThat(h.chain.sent).singleElement().satisfies(raw -> assertThat("0x" + selector(raw)).isEqualTo(EXECUTE_CHECKPOINT));
        Submission record = h.submissions.recordCalls.get(0);
        assertThat(record.messageIds()).containsExactlyInAnyOrderElementsOf(ts.stream().map(Transfer::id).toList());
        assertThat(ts).allSatisfy(t -> assertThat(h.transfers.get(t.id()).destinationTx()).contains(record.txHash()));
        assertThat(asked).singleElement().satisfies(range ->
                assertThat(range).extracting(CrossChainMessage::nonce).containsExactly(1L, 2L, 3L, 4L, 5L));

        h.chain.receipts.put(record.txHash(), checkpointExecuted(record.txHash(), 1, 5, 90));
        submitter.tell(Submitter.PollReceipts.INSTANCE);
        await().until(() -> ts.stream().allMatch(t -> h.status(t) == TransferStatus.DELIVERED));
        assertThat(h.chain.receiptCalls).as("one receipt poll for the transaction, not one per message").hasSize(1);
        assertThat(h.metrics.deliveryBatchMessages.collect().getDataPoints()).singleElement().satisfies(p -> assertThat(p.getCount()).isEqualTo(1));
    }

    @Test
    void withoutValidatorsThatSignCheckpointsTheRunGoesInOneBatchWithEachMessagesSignatures() {
        SubmitterHarness h = batching();
        List<Transfer> ts = attested(h, 1, 2, 4);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        ready(submitter, ts);
        await().until(() -> ts.stream().allMatch(t -> h.status(t) == TransferStatus.SUBMITTED) && !h.chain.sent.isEmpty());
        assertThat(h.chain.sent).singleElement().satisfies(raw -> assertThat("0x" + selector(raw)).isEqualTo(EXECUTE_BATCH));
        assertThat(h.submissions.recordCalls).singleElement().satisfies(r -> assertThat(r.messageIds()).hasSize(3));
    }

    @Test
    void aBatchWhosePreflightRevertsGoesAgainOneMessageAtATime() {
        SubmitterHarness h = batching();
        h.checkpoints = validatorsSign(new ArrayList<>());
        // the batch's pre-flight reverts (one poison message in it, say); each message alone passes
        h.chain.onPreflight = data -> data.startsWith(EXECUTE_BATCH) || data.startsWith(EXECUTE_CHECKPOINT)
                ? CompletableFuture.failedFuture(FakeChainClient.rpcError(ChainRpcException.Kind.REVERTED, "eth_call"))
                : CompletableFuture.completedFuture("0x");
        List<Transfer> ts = attested(h, 1, 2, 3);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        ready(submitter, ts);
        await().until(() -> ts.stream().allMatch(t -> h.status(t) == TransferStatus.SUBMITTED));

        // three lone executes, each its own record and nonce; no batch was ever signed (SUBMITTED is written before the broadcast)
        await().until(() -> h.chain.sent.size() >= 3);
        assertThat(h.chain.sent).hasSize(3).allSatisfy(raw -> assertThat("0x" + selector(raw)).isNotIn(EXECUTE_BATCH, EXECUTE_CHECKPOINT));
        assertThat(h.submissions.recordCalls).allSatisfy(r -> assertThat(r.messageIds()).hasSize(1));
        assertThat(h.submissions.recordCalls.stream().map(Submission::nonce).collect(Collectors.toSet())).hasSize(3);
        assertThat(h.metrics.submissions.labelValues("dst", "batch_split").get()).isGreaterThanOrEqualTo(1.0);
    }

    @Test
    void aMinedBatchThatRevertedIsNeverFailedForItsMessagesWhichGoAgainAlone() {
        SubmitterHarness h = batching();
        h.checkpoints = validatorsSign(new ArrayList<>());
        List<Transfer> ts = attested(h, 1, 2, 3);
        ActorRef<Submitter.Command> submitter = h.start(kit);
        ready(submitter, ts);
        await().until(() -> ts.stream().allMatch(t -> h.status(t) == TransferStatus.SUBMITTED));
        Submission batch = h.submissions.recordCalls.get(0);
        h.chain.receipts.put(batch.txHash(), new TxReceipt(batch.txHash(), TxReceipt.Status.REVERTED, 90,
                BlockHash.fromHex("0x" + "ee".repeat(32)), BigInteger.valueOf(80_000), BigInteger.ONE, List.of(), null, null));
        submitter.tell(Submitter.PollReceipts.INSTANCE);

        // each replaced by a lone transaction at a new nonce, still SUBMITTED (never FAILED)
        await().until(() -> h.chain.sent.size() == 4);
        assertThat(ts).allSatisfy(t -> {
            assertThat(h.status(t)).isEqualTo(TransferStatus.SUBMITTED);
            assertThat(h.transfers.get(t.id()).destinationTx()).isPresent().get().isNotEqualTo(batch.txHash());
        });
        assertThat(h.submissions.recordCalls.subList(1, 4)).allSatisfy(r -> {
            assertThat(r.messageIds()).hasSize(1);
            assertThat(r.nonce()).isGreaterThan(batch.nonce());
        });
    }
}
