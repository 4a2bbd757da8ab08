package io.courier.relayer.status;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A {@link ChainStatusSource} that holds the last status each chain watcher published. Watchers call
 * {@link #update} (thread-safe, lock-free); readers get a snapshot. Register every configured chain at start with
 * {@link ChainStatus#starting} so a chain whose watcher never reported still shows (and keeps {@code /readyz} at
 * 503).
 */
public final class ChainStatusBoard implements ChainStatusSource {

    private final ConcurrentMap<Long, ChainStatus> chains = new ConcurrentHashMap<>();

    public void update(ChainStatus status) {
        Objects.requireNonNull(status, "status");
        chains.put(status.chainId(), status);
    }

    @Override
    public CompletionStage<List<ChainStatus>> chains() {
        return CompletableFuture.completedFuture(chains.values().stream()
                .sorted(Comparator.comparingLong(ChainStatus::chainId))
                .toList());
    }
}
