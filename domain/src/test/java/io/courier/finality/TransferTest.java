package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.message.TxHash;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TransferTest {

    private final Transfer sent = Fixtures.observed(7, 100, Fixtures.T0);

    @Test
    void observedIsSentWithItsStageTime() {
        assertThat(sent.status()).isEqualTo(TransferStatus.SENT);
        assertThat(sent.id()).isEqualTo(sent.message().id());
        assertThat(sent.stageTimes()).containsExactly(Map.entry(TransferStatus.SENT, Fixtures.T0));
        assertThat(sent.route()).isEqualTo("1001->1002");
        assertThat(sent.destinationTx()).isEmpty();
        assertThat(sent.failure()).isEmpty();
        assertThat(sent.observationCause()).startsWith("observed in block 100 tx " + sent.source().txHash());
    }

    @Test
    void nextCarriesTheEventsFields() {
        TxHash tx = Fixtures.txHash();
        TxHash bumped = Fixtures.txHash();
        Transfer t = sent.next(new TransferEvent.Finalized(12), at(1))
                .next(new TransferEvent.Attested(3), at(2))
                .next(new TransferEvent.Submitted(tx, 4), at(3));
        assertThat(t.confirmationsSeen()).isEqualTo(12);
        assertThat(t.destinationTx()).contains(tx);
        Transfer replaced = t.next(new TransferEvent.Replaced(bumped, 4), at(4));
        assertThat(replaced.dstTxHash()).isEqualTo(bumped);
        assertThat(replaced.stageTime(TransferStatus.SUBMITTED)).contains(at(3)); // first submission kept
        assertThat(replaced.updatedAt()).isEqualTo(at(4));
        Transfer failed = replaced.next(new TransferEvent.ExecutionFailed("reverted: bad recipient", bumped), at(5));
        assertThat(failed.status()).isEqualTo(TransferStatus.FAILED);
        assertThat(failed.failure()).contains("reverted: bad recipient");
        Transfer retried = failed.next(new TransferEvent.RetryRequested("ops"), at(6));
        assertThat(retried.status()).isEqualTo(TransferStatus.ATTESTED);
        assertThat(retried.failure()).isEmpty();
        assertThat(retried.stageTime(TransferStatus.ATTESTED)).contains(at(6));
        assertThat(retried.createdAt()).isEqualTo(Fixtures.T0);
    }

    @Test
    void forbiddenMoveNamesTheTransfer() {
        assertThatThrownBy(() -> sent.next(new TransferEvent.Attested(3), at(1)))
                .isInstanceOf(TransitionRejectedException.class)
                .hasMessageContaining(sent.id().toHex())
                .hasMessageContaining("SENT")
                .hasMessageContaining("Attested");
    }

    @Test
    void stageTimesAreAnUnmodifiableCopy() {
        Map<TransferStatus, Instant> times = new EnumMap<>(TransferStatus.class);
        times.put(TransferStatus.SENT, Fixtures.T0);
        Transfer t = new Transfer(sent.id(), sent.message(), TransferStatus.SENT, sent.source(), 12, 0, times, null,
                null, Fixtures.T0, Fixtures.T0);
        times.put(TransferStatus.FINALIZED, at(1));
        assertThat(t.stageTimes()).containsOnlyKeys(TransferStatus.SENT);
        assertThatThrownBy(() -> t.stageTimes().put(TransferStatus.FAILED, at(2)))
                .isInstanceOf(UnsupportedOperationException.class);
        // an empty plain map works too (EnumMap's copy constructor would reject it)
        assertThat(new Transfer(sent.id(), sent.message(), TransferStatus.SENT, sent.source(), 12, 0, Map.of(), null,
                null, Fixtures.T0, Fixtures.T0).stageTimes()).isEmpty();
    }

    @Test
    void idMustBeTheMessagesHash() {
        Transfer other = Fixtures.observed(8, 100, Fixtures.T0);
        assertThatThrownBy(() -> new Transfer(other.id(), sent.message(), TransferStatus.SENT, sent.source(), 12, 0,
                Map.of(), null, null, Fixtures.T0, Fixtures.T0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(other.id().toHex());
    }

    @Test
    void hashesAreNormalised() {
        String upper = "0x" + "AB".repeat(32);
        assertThat(new TransferEvent.Submitted(TxHash.fromHex(upper), 1).txHash().toHex()).isEqualTo(upper.toLowerCase());
        assertThat(TxHash.fromHex(upper)).isEqualTo(TxHash.fromHex(upper.toLowerCase()));
        assertThatThrownBy(() -> TxHash.fromHex("0x1234"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("transaction hash");
        assertThatThrownBy(() -> new TransferEvent.Delivered(null, 1))
                .isInstanceOf(NullPointerException.class).hasMessageContaining("Delivered txHash");
    }

    @Test
    void relocationMovesTheSourceKeepsTheStatusAndResetsTheCount() {
        SourceRef reincluded = new SourceRef(sent.source().txHash(), 101, Fixtures.blockHash(), 3);
        Transfer counted = sent.withConfirmationsSeen(5);
        TransferEvent.Relocated event = new TransferEvent.Relocated(sent.source(), reincluded);

        Transfer moved = counted.next(event, at(7));

        assertThat(moved.status()).isEqualTo(TransferStatus.SENT);
        assertThat(moved.source()).isEqualTo(reincluded);
        assertThat(moved.confirmationsSeen()).isZero();
        assertThat(moved.stageTime(TransferStatus.SENT)).contains(Fixtures.T0); // first observation kept
        assertThat(moved.updatedAt()).isEqualTo(at(7));
        assertThat(event.cause()).isEqualTo("reorg: moved from block 100 (" + sent.source().blockHash() + ") to block 101 ("
                + reincluded.blockHash() + "), log 0 -> 3");
    }

    @Test
    void relocationMustStartFromTheCurrentSourceAndOnlyFromSent() {
        SourceRef elsewhere = Fixtures.source(100);
        assertThatThrownBy(() -> sent.next(new TransferEvent.Relocated(elsewhere, Fixtures.source(101)), at(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(sent.id().toHex());
        Transfer finalized = sent.next(new TransferEvent.Finalized(12), at(1));
        assertThatThrownBy(() -> finalized.next(new TransferEvent.Relocated(sent.source(), Fixtures.source(101)), at(2)))
                .isInstanceOf(TransitionRejectedException.class).hasMessageContaining("Relocated");
        assertThatThrownBy(() -> new TransferEvent.Relocated(sent.source(), sent.source()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static Instant at(long seconds) {
        return Fixtures.T0.plusSeconds(seconds);
    }
}
