package io.courier.finality.store;

import io.courier.finality.ChainCursor;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Per-chain watcher cursors. A plain last-write-wins upsert: one watcher per chain runs at a time (a Cluster
 * Singleton), and a reorg legitimately moves the cursor back, so there is no monotonic condition. Save a cursor
 * only after the transfers of the scanned range are recorded (persist before acting).
 */
public interface CursorStore {

    CompletionStage<Optional<ChainCursor>> load(long chainId);

    CompletionStage<Void> save(ChainCursor cursor);
}
