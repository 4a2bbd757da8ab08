package io.courier.relayer.stage;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class StageDeadlineTest {

    @Test
    void aStageThatNeverCompletesFailsNamingTheStep() {
        CompletableFuture<String> never = new CompletableFuture<>();
        var bounded = StageDeadline.within(never, Duration.ofMillis(50), "poll cycle of chain x").toCompletableFuture();
        assertThatThrownBy(() -> bounded.get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(StageDeadline.Missed.class)
                .hasMessageContaining("poll cycle of chain x");
    }

    @Test
    void valuesAndErrorsPassThroughUnchanged() throws Exception {
        assertThat(StageDeadline.within(CompletableFuture.completedFuture(7), Duration.ofSeconds(5), "x")
                .toCompletableFuture().get()).isEqualTo(7);
        IllegalStateException boom = new IllegalStateException("boom");
        assertThatThrownBy(() -> StageDeadline.within(CompletableFuture.failedFuture(boom), Duration.ofSeconds(5), "x")
                .toCompletableFuture().get()).hasCause(boom);
    }

    @Test
    void theTimerIsCancelledWhenTheStageCompletes() {
        int before = StageDeadline.pendingTimers();
        CompletableFuture<String> pending = new CompletableFuture<>();
        var bounded = StageDeadline.within(pending, Duration.ofHours(1), "a step").toCompletableFuture();
        assertThat(StageDeadline.pendingTimers()).isEqualTo(before + 1);

        pending.complete("done");
        assertThat(bounded).isCompletedWithValue("done");
        assertThat(StageDeadline.pendingTimers()).isEqualTo(before);

        for (int i = 0; i < 100; i++) { // already complete: no timer outlives the call
            StageDeadline.within(CompletableFuture.completedFuture(i), Duration.ofHours(1), "step " + i);
        }
        assertThat(StageDeadline.pendingTimers()).isEqualTo(before);
    }
}
