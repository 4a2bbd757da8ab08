package io.courier.chain;

import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.message.Address;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Reads all logs of a block span with as few queries as the node allows, range after range, adapting the
 * range size with a {@link LogRangePlanner}. The size learned in one scan carries over to the next, so a
 * watcher does not rediscover its provider's cap on every poll.
 */
public final class LogScanner {

    private final ChainClient client;
    private final AtomicReference<LogRangePlanner> planner;

    public LogScanner(ChainClient client, LogRangePlanner planner) {
        this.client = Objects.requireNonNull(client, "client");
        this.planner = new AtomicReference<>(Objects.requireNonNull(planner, "planner"));
    }

    /** The planner as it stands after the scans so far. */
    public LogRangePlanner planner() {
        return planner.get();
    }

    /**
     * All logs of {@code address} with one of {@code topic0s} in blocks {@code [fromBlock, toBlock]}, in chain
     * order. Fails with the first error that halving cannot fix (the client has already retried transient ones).
     * Ranges are queried one after the other, never in parallel: the order matters more than the speed, and
     * the node's cap is per query anyway. {@code toBlock = fromBlock - 1} is an empty span (nothing new yet).
     */
    public CompletionStage<List<ChainLog>> scan(Address address, List<String> topic0s, long fromBlock, long toBlock) {
        if (fromBlock < 0 || toBlock < fromBlock - 1) {
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "need 0 <= fromBlock <= toBlock + 1, was " + fromBlock + ".." + toBlock));
        }
        CompletableFuture<List<ChainLog>> result = new CompletableFuture<>();
        step(new Scan(address, List.copyOf(topic0s), toBlock, new ArrayList<>()), fromBlock, result);
        return result;
    }

    private record Scan(Address address, List<String> topic0s, long toBlock, List<ChainLog> found) {}

    /**
     * Queries range after range. A stage that is already complete (a test double, a cached answer) is handled in
     * the loop rather than in a callback, so a long scan does not grow the stack.
     */
    private void step(Scan scan, long firstCursor, CompletableFuture<List<ChainLog>> result) {
        long cursor = firstCursor;
        while (true) {
            BlockRange range = planner.get().next(cursor, scan.toBlock()).orElse(null);
            if (range == null) {
                result.complete(List.copyOf(scan.found()));
                return;
            }
            CompletableFuture<List<ChainLog>> answer =
                    client.logs(LogFilter.of(scan.address(), scan.topic0s(), range.from(), range.to())).toCompletableFuture();
            if (!answer.isDone()) {
                long from = cursor;
                answer.whenComplete((logs, error) -> {
                    long next = onAnswer(scan, from, range, logs, error, result);
                    if (next >= 0) {
                        step(scan, next, result);
                    }
                });
                return;
            }
            List<ChainLog> logs = null;
            Throwable error = null;
            try {
                logs = answer.join();
            } catch (CompletionException | CancellationException e) {
                error = e;
            }
            cursor = onAnswer(scan, cursor, range, logs, error, result);
            if (cursor < 0) {
                return;
            }
        }
    }

    /** The next cursor, or -1 when the scan has ended (with a failure). */
    private long onAnswer(Scan scan, long cursor, BlockRange range, List<ChainLog> logs, Throwable error,
                          CompletableFuture<List<ChainLog>> result) {
        if (error == null) {
            scan.found().addAll(logs);
            planner.updateAndGet(LogRangePlanner::afterSuccess);
            return range.to() + 1;
        }
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        if (cause instanceof ChainRpcException rpc && rpc.kind() == Kind.RANGE_TOO_LARGE && LogRangePlanner.canShrink(range)) {
            planner.updateAndGet(p -> p.afterTooLarge(range));
            return cursor;
        }
        result.completeExceptionally(cause);
        return -1;
    }
}
