package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.TxHash;
import io.courier.finality.DeliveryObstacle;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.StoreException;
import io.courier.finality.store.TransitionOutcome;
import io.courier.relayer.submitfakes.Transfers;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

class GivingUpTest {

    private static final Instant NOW = Instant.parse("2026-12-05T00:00:00Z");

    @Test
    void aRevertingPreflightWaitsLongerEachTimeAndIsGivenUpAtTheLastAttempt() {
        Optional<PreflightBackoff> backoff = Optional.empty();
        Instant previousWait = NOW;
        for (int attempt = 1; attempt < PreflightBackoff.MAX_ATTEMPTS; attempt++) {
            GivingUp.AfterRevert after = GivingUp.afterRevert(backoff, NOW, "execution reverted");
            assertThat(after).as("attempt %d", attempt).isInstanceOf(GivingUp.AfterRevert.Wait.class);
            backoff = after.backoff();
            assertThat(backoff.orElseThrow().failures()).isEqualTo(attempt);
            assertThat(backoff.orElseThrow().notBefore()).isAfter(previousWait);
            previousWait = backoff.orElseThrow().notBefore();
        }
        GivingUp.AfterRevert last = GivingUp.afterRevert(backoff, NOW, "execution reverted");
        assertThat(last.backoff()).isEmpty();
        assertThat(last).isEqualTo(new GivingUp.AfterRevert.GiveUp(new TransferEvent.Undeliverable(DeliveryObstacle.PREFLIGHT_KEEPS_REVERTING,
                "pre-flight eth_call reverted " + PreflightBackoff.MAX_ATTEMPTS + " times: execution reverted")));
    }

    @Test
    void aTransactionRefusedForGoodNamesItselfAndTheNodesWords() {
        TxHash tx = TxHash.fromHex("0x" + "ab".repeat(32));
        assertThat(GivingUp.rejectedByNode(tx, "intrinsic gas too low")).isEqualTo(new TransferEvent.Undeliverable(
                DeliveryObstacle.REJECTED_BY_NODE, "node refused " + tx + ": intrinsic gas too low"));
    }

    @Test
    void onlyAnAppliedWriteIsRecordedAndOnlyAReplayIsQuiet() {
        Transfer t = Transfers.attested(1);
        assertThat(GivingUp.recording(new TransitionOutcome.Applied(t), null)).isInstanceOf(GivingUp.Recording.Recorded.class);
        assertThat(GivingUp.recording(new TransitionOutcome.AlreadyApplied(t), null)).isInstanceOf(GivingUp.Recording.Replay.class);
        TransitionOutcome conflict = new TransitionOutcome.Conflict(t.id(), TransferStatus.DELIVERED);
        assertThat(GivingUp.recording(conflict, null)).isEqualTo(new GivingUp.Recording.NotRecorded(conflict));
        assertThat(GivingUp.recording(null, new CompletionException(new StoreException("write timed out"))))
                .isEqualTo(new GivingUp.Recording.NotRecorded("write timed out"));
    }
}
