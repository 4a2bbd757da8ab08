package io.courier.relayer.fakes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * What a test scripts for the next call of a fake's method: fail it once, or hold it until the test releases it
 * (a held call does its real work only when released; never released, it never completes).
 */
public final class Interventions {

    private sealed interface Step {}

    private record Fail(Throwable error) implements Step {}

    private record Hold(CompletableFuture<Void> gate) implements Step {}

    private final Map<String, Deque<Step>> next = new ConcurrentHashMap<>();

    /** The next call of {@code method} fails with {@code error} (and does nothing). */
    public void failNext(String method, Throwable error) {
        queue(method).add(new Fail(error));
    }

    /** The next call of {@code method} waits for the returned gate; complete it to let the call do its work. */
    public CompletableFuture<Void> holdNext(String method) {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        queue(method).add(new Hold(gate));
        return gate;
    }

    <T> CompletionStage<T> call(String method, Supplier<CompletionStage<T>> real) {
        Step step;
        synchronized (this) {
            step = queue(method).poll();
        }
        if (step instanceof Fail f) {
            return CompletableFuture.failedFuture(f.error());
        }
        if (step instanceof Hold h) {
            return h.gate().thenCompose(x -> real.get());
        }
        return real.get();
    }

    private Deque<Step> queue(String method) {
        return next.computeIfAbsent(method, m -> new ArrayDeque<>());
    }
}
