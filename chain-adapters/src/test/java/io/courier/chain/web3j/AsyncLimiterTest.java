package io.courier.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class AsyncLimiterTest {

    /** Tasks whose completion the test controls. */
    private final List<CompletableFuture<Integer>> started = new ArrayList<>();

    private CompletableFuture<Integer> controlled() {
        CompletableFuture<Integer> f = new CompletableFuture<>();
        started.add(f);
        return f;
    }

    @Test
    void runsUpToTheBoundThenQueuesThenRejects() {
        AsyncLimiter limiter = new AsyncLimiter(2, 1);
        CompletableFuture<Integer> a = limiter.submit(this::controlled);
        CompletableFuture<Integer> b = limiter.submit(this::controlled);
        CompletableFuture<Integer> c = limiter.submit(this::controlled);
        CompletableFuture<Integer> d = limiter.submit(this::controlled);

        assertThat(started).hasSize(2);
        assertThat(limiter.inFlight()).isEqualTo(2);
        assertThat(limiter.queued()).isEqualTo(1);
        assertThat(d).isCompletedExceptionally();
        assertThatThrownBy(d::join).hasCauseInstanceOf(AsyncLimiter.RejectedException.class)
                .hasMessageContaining("2 in flight, 1 queued");

        started.get(0).complete(1);
        assertThat(a).isCompletedWithValue(1);
        assertThat(started).as("the queued task starts when a slot frees").hasSize(3);
        assertThat(limiter.queued()).isZero();

        started.get(1).complete(2);
        started.get(2).complete(3);
        assertThat(b).isCompletedWithValue(2);
        assertThat(c).isCompletedWithValue(3);
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void queuedTasksStartInSubmissionOrder() {
        AsyncLimiter limiter = new AsyncLimiter(1, 10);
        List<Integer> order = new ArrayList<>();
        List<CompletableFuture<Integer>> gates = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            int n = i;
            limiter.submit(() -> {
                order.add(n);
                CompletableFuture<Integer> gate = new CompletableFuture<>();
                gates.add(gate);
                return gate;
            });
        }
        for (int i = 0; i < 5; i++) {
            gates.get(i).complete(i);
        }
        assertThat(order).containsExactly(0, 1, 2, 3, 4);
    }

    @Test
    void failuresAndThrowingTasksReleaseTheirSlot() {
        AsyncLimiter limiter = new AsyncLimiter(1, 0);
        CompletableFuture<Integer> failed = limiter.submit(() -> CompletableFuture.failedFuture(new IllegalStateException("no")));
        assertThatThrownBy(failed::join).isInstanceOf(CompletionException.class).hasCauseInstanceOf(IllegalStateException.class);
        CompletableFuture<Integer> threw = limiter.submit(() -> {
            throw new IllegalArgumentException("bad task");
        });
        assertThatThrownBy(threw::join).hasCauseInstanceOf(IllegalArgumentException.class);
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.submit(() -> CompletableFuture.completedFuture(7))).isCompletedWithValue(7);
    }

    @Test
    void synchronousCompletionsDoNotGrowTheStack() {
        AsyncLimiter limiter = new AsyncLimiter(1, 100_000);
        CompletableFuture<Integer> gate = new CompletableFuture<>();
        limiter.submit(() -> gate);
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 50_000; i++) {
            int n = i;
            results.add(limiter.submit(() -> CompletableFuture.completedFuture(n)));
        }
        gate.complete(-1); // drains 50,000 already-complete tasks from one completion
        assertThat(results).allMatch(f -> f.isDone() && !f.isCompletedExceptionally());
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void boundHoldsUnderConcurrentSubmitters() throws Exception {
        AsyncLimiter limiter = new AsyncLimiter(4, 10_000);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        ExecutorService workers = Executors.newFixedThreadPool(8);
        try {
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            CountDownLatch go = new CountDownLatch(1);
            List<CompletableFuture<List<CompletableFuture<Integer>>>> submitters = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                submitters.add(CompletableFuture.supplyAsync(() -> {
                    await(go);
                    List<CompletableFuture<Integer>> mine = new ArrayList<>();
                    for (int i = 0; i < 500; i++) {
                        mine.add(limiter.submit(() -> CompletableFuture.supplyAsync(() -> {
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            Thread.onSpinWait();
                            running.decrementAndGet();
                            return 1;
                        }, workers)));
                    }
                    return mine;
                }, workers));
            }
            go.countDown();
            for (var s : submitters) {
                results.addAll(s.get(30, TimeUnit.SECONDS));
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(maxRunning.get()).isBetween(1, 4);
            assertThat(limiter.inFlight()).isZero();
        } finally {
            workers.shutdownNow();
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void rejectsNonsenseBounds() {
        assertThatThrownBy(() -> new AsyncLimiter(0, 1)).hasMessageContaining("maxInFlight");
        assertThatThrownBy(() -> new AsyncLimiter(1, -1)).hasMessageContaining("maxQueued");
    }
}
