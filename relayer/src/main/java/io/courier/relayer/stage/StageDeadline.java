package io.courier.relayer.stage;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Every asynchronous step an actor waits for gets a deadline. Each RPC and CQL call has its own timeout, but a
 * stage composed of many (or one a library forgets to complete) must never leave an actor's "one at a time" flag
 * set forever: a missed deadline fails the stage, the actor logs it and its loop goes on.
 *
 * <p>The deadline's timer is cancelled as soon as the stage completes, so a busy node does not keep one pending
 * timer (and the stage's closure) alive per step for the whole limit.
 */
public final class StageDeadline {

    /** The step did not finish in time; the message names it. */
    public static final class Missed extends TimeoutException {
        public Missed(String what, Duration limit) {
            super(what + " did not finish within " + limit);
        }
    }

    private static final ScheduledThreadPoolExecutor TIMERS = timers();

    private StageDeadline() {}

    public static <T> CompletionStage<T> within(CompletionStage<T> stage, Duration limit, String what) {
        CompletableFuture<T> bounded = new CompletableFuture<>();
        ScheduledFuture<?> timer = TIMERS.schedule(() -> bounded.completeExceptionally(new Missed(what, limit)),
                limit.toNanos(), TimeUnit.NANOSECONDS);
        bounded.whenComplete((value, error) -> timer.cancel(false));
        stage.whenComplete((value, error) -> {
            if (error != null) {
                bounded.completeExceptionally(error);
            } else {
                bounded.complete(value);
            }
        });
        return bounded;
    }

    /** Deadlines whose timer is still pending (for tests). */
    static int pendingTimers() {
        return TIMERS.getQueue().size();
    }

    private static ScheduledThreadPoolExecutor timers() {
        ScheduledThreadPoolExecutor timers = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "stage-deadlines");
            t.setDaemon(true);
            return t;
        });
        timers.setRemoveOnCancelPolicy(true); // a cancelled timer leaves the queue at once
        return timers;
    }
}
