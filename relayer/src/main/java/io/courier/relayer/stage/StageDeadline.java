package io.courier.relayer.stage;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every asynchronous step an actor waits for gets a deadline. Each RPC and CQL call has its own timeout, but a
 * stage composed of many (or one a library forgets to complete) must never leave an actor's "one at a time" flag
 * set forever: a missed deadline fails the stage, the actor logs it and its loop goes on.
 */
public final class StageDeadline {

    /** The step did not finish in time; the message names it. */
    public static final class Missed extends TimeoutException {
        public Missed(String what, Duration limit) {
            super(what + " did not finish within " + limit);
        }
    }

    private StageDeadline() {}

    public static <T> CompletionStage<T> within(CompletionStage<T> stage, Duration limit, String what) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        stage.whenComplete((value, error) -> {
            if (error != null) {
                bounded.completeExceptionally(error);
            } else {
                bounded.complete(value);
            }
        });
        CompletableFuture.delayedExecutor(limit.toMillis(), TimeUnit.MILLISECONDS)
                .execute(() -> bounded.completeExceptionally(new Missed(what, limit)));
        return bounded;
    }
}
