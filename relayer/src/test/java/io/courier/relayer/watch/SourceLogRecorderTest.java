package io.courier.relayer.watch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.LogRangePlanner;
import io.courier.chain.LogScanner;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.quorum.SourceWitnesses;
import io.courier.chain.quorum.SourceWitnesses.Witness;
import io.courier.finality.FinalityPolicy;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.fakes.FakeChain;
import io.courier.relayer.fakes.FakeCursorStore;
import io.courier.relayer.fakes.FakeTransferStore;
import io.courier.relayer.fakes.ManualClock;
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
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/**
 * The watcher's recording step against a scripted chain: every transfer is indexed by its message's sender, its
 * recipient and the account that signed its transaction, and those signers come from one read of each block's
 * transactions, not from a receipt per transaction.
 */
class SourceLogRecorderTest {

    private static final long SRC = 1001;
    private static final long DST = 1002;
    private static final Set<Address> WITH_SIGNER = Set.of(Address.fromHex(FakeChain.SENDER), Address.fromHex(FakeChain.RECIPIENT),
            Address.fromHex(FakeChain.SIGNER));

    private final FakeChain chain = new FakeChain(SRC, DST, 10);
    private final FakeTransferStore transfers = new FakeTransferStore();

    @Test
    void indexesEachTransferByItsSignerWithOneReadPerBlockAndNoReceipt() {
        MessageId a = chain.send(4, 0);
        MessageId b = chain.send(4, 1);
        MessageId c = chain.send(4, 2);
        MessageId d = chain.send(7, 3);

        int recorded = recorder().scanAndRecord(1, 10).toCompletableFuture().join();

        assertThat(recorded).isEqualTo(4);
        assertThat(transfers.indexed).containsOnlyKeys(a, b, c, d).allSatisfy((id, addresses) ->
                assertThat(addresses).as("index of %s", id).isEqualTo(WITH_SIGNER));
        assertThat(chain.senderReads).as("one read per distinct block").containsExactlyInAnyOrder(4L, 7L);
        assertThat(chain.receiptReads).as("the signer costs no receipt read").isEmpty();
    }

    @Test
    void aTransactionTheBlockNoLongerHoldsIsRecordedWithoutASigner() {
        MessageId gone = chain.send(4, 0);
        MessageId staying = chain.send(2, 1);
        List<CompletableFuture<Void>> gates = List.of(chain.script.holdNext("transactionSenders"),
                chain.script.holdNext("transactionSenders")); // blocks 2 and 4

        CompletableFuture<Integer> recording = recorder().scanAndRecord(1, 10).toCompletableFuture();
        // between the log query and the block reads, block 4 is replaced: its transaction is not in the new block
        chain.reorg(3, 10);
        gates.forEach(g -> g.complete(null));

        assertThat(recording.join()).isEqualTo(2);
        assertThat(transfers.indexed.get(gone)).isEqualTo(Set.of(Address.fromHex(FakeChain.SENDER), Address.fromHex(FakeChain.RECIPIENT)));
        assertThat(transfers.indexed.get(staying)).isEqualTo(WITH_SIGNER);
        assertThat(transfers.observedCalls).containsExactlyInAnyOrder(gone, staying);
    }

    @Test
    void aFailedBlockReadFailsTheStepSoTheCursorStaysAndTheRangeIsScannedAgain() {
        MessageId id = chain.send(4, 0);
        chain.script.failNext("transactionSenders", new IllegalStateException("endpoint down"));

        assertThatThrownBy(() -> recorder().scanAndRecord(1, 10).toCompletableFuture().join()).hasRootCauseMessage("endpoint down");
        assertThat(transfers.observedCalls).isEmpty();

        assertThat(recorder().scanAndRecord(1, 10).toCompletableFuture().join()).isEqualTo(1);
        assertThat(transfers.indexed.get(id)).isEqualTo(WITH_SIGNER);
    }

    private SourceLogRecorder recorder() {
        ChainSettings settings = new ChainSettings("src", SRC, List.of(), Address.fromHex(FakeChain.GATEWAY), new FinalityPolicy.Confirmations(3),
                1, Duration.ofSeconds(1), 100, Duration.ofSeconds(5), 10, 10, null, null, 16, 1, null);
        MessageSentDecoder decoder = new MessageSentDecoder(SRC, FakeChain.GATEWAY);
        ChainWatcher.Wiring wiring = new ChainWatcher.Wiring(chain, new LogScanner(chain, LogRangePlanner.startingAt(100)), decoder,
                transfers, new FakeCursorStore(), Set.of(DST), new ChainStatusBoard(), new ManualClock(Instant.parse("2024-05-01T12:00:00Z")),
                new CourierMetrics(new PrometheusRegistry()), new TransferTracing(OpenTelemetry.noop()), finalized -> {
                    throw new AssertionError("recording hands nothing to the attester");
                }, new HaltedChains(), new SourceWitnesses("src", List.of(new Witness("fake", chain)), 1, decoder));
        return new SourceLogRecorder(settings, wiring);
    }
}
