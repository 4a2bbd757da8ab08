package io.courier.relayer.fakes;

import io.courier.finality.ChainCursor;
import io.courier.finality.store.CursorStore;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/** An in-memory {@link CursorStore}: one cursor per chain; records every save and halt. */
public final class FakeCursorStore implements CursorStore {

    public final Interventions script = new Interventions();
    public final List<ChainCursor> saves = new CopyOnWriteArrayList<>();
    public final List<String> halts = new CopyOnWriteArrayList<>();
    private final Map<Long, ChainCursor> cursors = new ConcurrentHashMap<>();

    public void put(ChainCursor cursor) {
        cursors.put(cursor.chainId(), cursor);
    }

    public Optional<ChainCursor> current(long chainId) {
        return Optional.ofNullable(cursors.get(chainId));
    }

    @Override
    public CompletionStage<Optional<ChainCursor>> load(long chainId) {
        return script.call("load", () -> CompletableFuture.completedFuture(current(chainId)));
    }

    @Override
    public CompletionStage<Void> save(ChainCursor cursor) {
        return script.call("save", () -> {
            // like the real store: the halt state is left as it is
            cursors.compute(cursor.chainId(), (id, old) -> old != null && old.halted()
                    ? cursor.haltedFor(old.haltReason(), old.updatedAt()) : cursor);
            saves.add(cursor);
            return CompletableFuture.completedFuture(null);
        });
    }

    @Override
    public CompletionStage<Boolean> halt(long chainId, String reason, Instant at) {
        return script.call("halt", () -> {
            halts.add(reason);
            ChainCursor c = cursors.computeIfPresent(chainId, (id, old) -> old.haltedFor(reason, at));
            return CompletableFuture.completedFuture(c != null);
        });
    }

    @Override
    public CompletionStage<Boolean> resume(long chainId, Instant at) {
        ChainCursor c = cursors.computeIfPresent(chainId, (id, old) -> old.resumedAt(at));
        return CompletableFuture.completedFuture(c != null);
    }
}
