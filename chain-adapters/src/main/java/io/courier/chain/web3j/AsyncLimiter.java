package io.courier.chain.web3j;

import java.util.ArrayDeque;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Caps the asynchronous operations running at once, without blocking anybody: up to {@code maxInFlight}
 * run, up to {@code maxQueued} wait in FIFO order, anything beyond fails at once with a
 * {@link RejectedException}. Web3j's {@code sendAsync} runs on an unbounded thread pool, so without this a burst
 * of calls becomes a burst of threads and of requests to the node.
 */
public final class AsyncLimiter {

    /** The limiter is full: the operation was not started. */
    public static final class RejectedException extends RejectedExecutionException {
        RejectedException(String message) {
            super(message);
        }
    }

    private record Pending<T>(Supplier<? extends CompletionStage<T>> task, CompletableFuture<T> result) {}

    private final int maxInFlight;
    private final int maxQueued;
    private final ArrayDeque<Pending<?>> queue = new ArrayDeque<>();
    private int inFlight; // guarded by this
    // Work-in-progress counter: one thread at a time drains, others only leave a note. Keeps the stack flat when
    // operations complete synchronously and start the next one from their own completion.
    private final AtomicInteger drainRequests = new AtomicInteger();

    public AsyncLimiter(int maxInFlight, int maxQueued) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("maxInFlight must be >= 1, was " + maxInFlight);
        }
        if (maxQueued < 0) {
            throw new IllegalArgumentException("maxQueued must be >= 0, was " + maxQueued);
        }
        this.maxInFlight = maxInFlight;
        this.maxQueued = maxQueued;
    }

    /**
     * Runs {@code task} now or when a slot frees up. The task's stage completes the returned future; a task that
     * throws completes it exceptionally. The slot is held until the task's stage completes.
     */
    public <T> CompletableFuture<T> submit(Supplier<? extends CompletionStage<T>> task) {
        Objects.requireNonNull(task, "task");
        CompletableFuture<T> result = new CompletableFuture<>();
        synchronized (this) {
            if (inFlight >= maxInFlight && queue.size() >= maxQueued) {
                result.completeExceptionally(new RejectedException(
                        "limiter full: " + inFlight + " in flight, " + queue.size() + " queued (max " + maxInFlight + "/" + maxQueued + ")"));
                return result;
            }
            queue.addLast(new Pending<>(task, result));
        }
        drain();
        return result;
    }

    public synchronized int inFlight() {
        return inFlight;
    }

    public synchronized int queued() {
        return queue.size();
    }

    private void drain() {
        if (drainRequests.getAndIncrement() != 0) {
            return;
        }
        int missed = 1;
        do {
            Pending<?> next;
            while ((next = takeIfSlotFree()) != null) {
                start(next);
            }
            missed = drainRequests.addAndGet(-missed);
        } while (missed != 0);
    }

    private synchronized Pending<?> takeIfSlotFree() {
        if (inFlight >= maxInFlight || queue.isEmpty()) {
            return null;
        }
        inFlight++;
        return queue.pollFirst();
    }

    private <T> void start(Pending<T> pending) {
        CompletionStage<T> stage;
        try {
            stage = Objects.requireNonNull(pending.task().get(), "task returned null");
        } catch (RuntimeException e) {
            release();
            pending.result().completeExceptionally(e);
            return;
        }
        stage.whenComplete((value, error) -> {
            release();
            if (error != null) {
                pending.result().completeExceptionally(error);
            } else {
                pending.result().complete(value);
            }
        });
    }

    private void release() {
        synchronized (this) {
            inFlight--;
        }
        drain();
    }
}
