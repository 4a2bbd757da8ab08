package io.courier.finality.cassandra;

import io.courier.finality.store.StoreException;
import io.courier.finality.store.StoreOverloadedException;

import com.datastax.oss.driver.api.core.DriverTimeoutException;
import com.datastax.oss.driver.api.core.RequestThrottlingException;
import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.Row;
import com.datastax.oss.driver.api.core.servererrors.CASWriteUnknownException;
import com.datastax.oss.driver.api.core.servererrors.WriteTimeoutException;
import io.courier.finality.TransitionRejectedException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.function.Supplier;

/** Small helpers for the stores' {@link CompletionStage} plumbing: naming failures, reading every page. */
final class Async {

    private Async() {}

    static <T> CompletionStage<T> failed(Throwable failure) {
        return CompletableFuture.failedFuture(failure);
    }

    static <T> CompletionStage<T> done(T value) {
        return CompletableFuture.completedFuture(value);
    }

    /**
     * Fails with a {@link StoreException} saying {@code what} was being done (message id, chain, ...) when
     * {@code stage} fails with a driver error ({@link StoreOverloadedException} when the session's throttler refused
     * it); store and domain exceptions pass through unchanged.
     */
    static <T> CompletionStage<T> described(CompletionStage<T> stage, Supplier<String> what) {
        return stage.handle((value, error) -> {
            if (error == null) {
                return CompletableFuture.completedFuture(value);
            }
            Throwable cause = unwrap(error);
            if (cause instanceof StoreException || cause instanceof TransitionRejectedException
                    || cause instanceof IllegalArgumentException) {
                return Async.<T>failed(cause);
            }
            if (cause instanceof RequestThrottlingException) {
                // refused before it was sent (the session's throttler queue was full): nothing happened, try later
                return Async.<T>failed(new StoreOverloadedException(what.get() + " refused: " + cause.getMessage(), cause));
            }
            boolean unknown = cause instanceof WriteTimeoutException || cause instanceof CASWriteUnknownException
                    || cause instanceof DriverTimeoutException;
            return Async.<T>failed(new StoreException(what.get() + " failed: " + cause, cause, unknown));
        }).thenCompose(Function.identity());
    }

    static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** Every row of every page, mapped; rows mapped to {@code null} are skipped. */
    static <T> CompletionStage<List<T>> allRows(CompletionStage<AsyncResultSet> first, Function<Row, T> mapper) {
        List<T> out = new ArrayList<>();
        return first.thenCompose(rs -> collect(rs, mapper, out));
    }

    private static <T> CompletionStage<List<T>> collect(AsyncResultSet rs, Function<Row, T> mapper, List<T> out) {
        for (Row row : rs.currentPage()) {
            T value = mapper.apply(row);
            if (value != null) {
                out.add(value);
            }
        }
        if (rs.hasMorePages()) {
            return rs.fetchNextPage().thenCompose(next -> collect(next, mapper, out));
        }
        return done(out);
    }

    /** Waits for all stages; the results in order. */
    static <T> CompletionStage<List<T>> all(List<CompletionStage<T>> stages) {
        CompletableFuture<?>[] futures = stages.stream().map(CompletionStage::toCompletableFuture)
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(futures).thenApply(v -> {
            List<T> out = new ArrayList<>(futures.length);
            for (CompletableFuture<?> f : futures) {
                @SuppressWarnings("unchecked")
                T value = (T) f.join();
                out.add(value);
            }
            return out;
        });
    }
}
