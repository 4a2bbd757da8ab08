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
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
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
        int bound = 4;
        int submitters = 8;
        int perSubmitter = 50;
        int total = submitters * perSubmitter;
        AsyncLimiter limiter = new AsyncLimiter(bound, total);
        AtomicInteger running = new AtomicInteger();
        AtomicInteger maxRunning = new AtomicInteger();
        AtomicInteger startedCount = new AtomicInteger();
        // every task stays open until the test completes its gate: tasks overlap for sure, so a broken bound shows
        LinkedBlockingQueue<CompletableFuture<Integer>> open = new LinkedBlockingQueue<>();
        ExecutorService threads = Executors.newFixedThreadPool(submitters);
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<CompletableFuture<Integer>>>> submitted = new ArrayList<>();
            for (int t = 0; t < submitters; t++) {
                submitted.add(threads.submit(() -> {
                    await(go);
                    List<CompletableFuture<Integer>> mine = new ArrayList<>();
                    for (int i = 0; i < perSubmitter; i++) {
                        mine.add(limiter.submit(() -> {
                            startedCount.incrementAndGet();
                            maxRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
                            CompletableFuture<Integer> gate = new CompletableFuture<>();
                            open.add(gate);
                            return gate;
                        }));
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<CompletableFuture<Integer>> results = new ArrayList<>();
            for (var s : submitted) {
                results.addAll(s.get(30, TimeUnit.SECONDS));
            }
            // every submit has returned and no task has finished: nothing else can start now
            assertThat(startedCount.get()).as("tasks started with none finished").isEqualTo(bound);
            assertThat(limiter.inFlight()).isEqualTo(bound);
            assertThat(limiter.queued()).isEqualTo(total - bound);

            // finish them from several threads at once; each finish lets exactly one queued task start
            List<Future<?>> finishers = new ArrayList<>();
            AtomicInteger finished = new AtomicInteger();
            for (int t = 0; t < submitters; t++) {
                finishers.add(threads.submit(() -> {
                    while (finished.get() < total) {
                        CompletableFuture<Integer> gate = open.poll(10, TimeUnit.MILLISECONDS);
                        if (gate != null) {
                            running.decrementAndGet();
                            finished.incrementAndGet();
                            gate.complete(1);
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : finishers) {
                f.get(60, TimeUnit.SECONDS);
            }
            CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
            assertThat(results).allMatch(r -> r.join() == 1);
            assertThat(startedCount.get()).isEqualTo(total);
            assertThat(maxRunning.get()).as("most tasks open at once").isEqualTo(bound);
            assertThat(limiter.inFlight()).isZero();
            assertThat(limiter.queued()).isZero();
        } finally {
            threads.shutdownNow();
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
