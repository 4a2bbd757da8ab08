package io.courier.relayer.submitfakes;

import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.submit.StepDeadlines;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;

/** Deadlines that pass only when a test says so: {@link #expire} fails a pending step as a missed deadline would. */
public final class ManualDeadlines implements StepDeadlines {

    private record Pending(String what, Duration limit, CompletableFuture<?> bounded) {}

    private final List<Pending> pending = new CopyOnWriteArrayList<>();

    @Override
    public <T> CompletionStage<T> within(CompletionStage<T> stage, Duration limit, String what) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error != null) {
                bounded.completeExceptionally(error);
            } else {
                bounded.complete(value);
            }
        });
        if (!bounded.isDone()) {
            pending.add(new Pending(what, limit, bounded));
        }
        return bounded;
    }

    /** Whether a step whose description starts with {@code prefix} is still waiting. */
    public boolean waiting(String prefix) {
        return pending.stream().anyMatch(p -> p.what().startsWith(prefix) && !p.bounded().isDone());
    }

    /** Fails the oldest step still waiting whose description starts with {@code prefix}; false if there is none. */
    public boolean expire(String prefix) {
        for (Pending p : pending) {
            if (p.what().startsWith(prefix) && !p.bounded().isDone()) {
                return p.bounded().completeExceptionally(new StageDeadline.Missed(p.what(), p.limit()));
            }
        }
        return false;
    }
}
