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
    private final SignerFunds funds;

    public ChainStatusBoard() {
        this(new SignerFunds());
    }

    /** A board that shows, for each chain, whether its submitter's signer is below the balance floor. */
    public ChainStatusBoard(SignerFunds funds) {
        this.funds = Objects.requireNonNull(funds, "funds");
    }

    public void update(ChainStatus status) {
        Objects.requireNonNull(status, "status");
        chains.put(status.chainId(), status);
    }

    @Override
    public CompletionStage<List<ChainStatus>> chains() {
        return CompletableFuture.completedFuture(chains.values().stream()
                .sorted(Comparator.comparingLong(ChainStatus::chainId))
                .map(c -> c.withSignerBelowFloor(funds.belowFloor(c.chainId()).orElse(null)))
                .toList());
    }
}
