package io.courier.finality.store;

import io.courier.finality.ChainCursor;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Per-chain watcher cursors. A plain last-write-wins upsert: one watcher per chain runs at a time (a Cluster
 * Singleton), and a reorg legitimately moves the cursor back, so there is no monotonic condition. Save a cursor
 * only after the transfers of the scanned range are recorded (persist before acting).
 *
 * <p><b>Halting.</b> A chain whose reorg replaced a block treated as final is halted ({@link #halt}) until an
 * operator resumes it ({@link #resume}); {@link #load} returns the state in {@link ChainCursor#halted()} and
 * {@link ChainCursor#haltReason()}, so a restarted watcher stays halted. The halt state is written <em>only</em> by
 * {@code halt} and {@code resume}: {@link #save} leaves it alone, so a watcher saving progress can never un-halt a
 * chain (the {@code halted} fields of the cursor given to {@code save} are ignored).
 */
public interface CursorStore {

    CompletionStage<Optional<ChainCursor>> load(long chainId);

    /** Saves the progress fields (block, hash, finalized height, time); the halt state is left as it is. */
    CompletionStage<Void> save(ChainCursor cursor);

    /**
     * Halts chain {@code chainId} for {@code reason} at {@code at}. Idempotent (halting a halted chain again
     * replaces the reason). Completes with {@code false}, writing nothing, when the chain has no cursor yet: there
     * is nothing to halt (the watcher keeps its own halted state until its first save).
     */
    CompletionStage<Boolean> halt(long chainId, String reason, Instant at);

    /**
     * Resumes chain {@code chainId} at {@code at} (an operator action): clears the halt. Idempotent. Completes with
     * {@code false}, writing nothing, when the chain has no cursor.
     */
    CompletionStage<Boolean> resume(long chainId, Instant at);
}
