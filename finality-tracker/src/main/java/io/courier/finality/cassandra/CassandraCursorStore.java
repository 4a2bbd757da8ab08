package io.courier.finality.cassandra;

import io.courier.finality.store.CursorStore;

import static io.courier.finality.cassandra.Async.described;
import static io.courier.finality.cassandra.Async.failed;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.courier.finality.ChainCursor;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link CursorStore} on the {@code chain_cursors} table: one row per chain, last write wins for progress. The halt
 * columns ({@code halted}, {@code halt_reason}, schema version 2) are written only by {@link #halt} and
 * {@link #resume}, as {@code UPDATE ... IF EXISTS}, so a halt never creates a row without a cursor and a
 * {@link #save} (which does not name those columns) never clears one.
 */
public final class CassandraCursorStore implements CursorStore {

    private final StoreContext ctx;
    private final PreparedStatement select;
    private final PreparedStatement upsert;
    private final PreparedStatement halt;
    private final PreparedStatement resume;

    CassandraCursorStore(StoreContext ctx) {
        this.ctx = ctx;
        select = ctx.prepare("SELECT chain_id, last_scanned_block, last_scanned_hash, finalized_height, updated_at, "
                + "halted, halt_reason, finalized_hash FROM {ks}.chain_cursors WHERE chain_id = ?");
        upsert = ctx.prepare("INSERT INTO {ks}.chain_cursors (chain_id, last_scanned_block, last_scanned_hash, "
                + "finalized_height, updated_at, finalized_hash) VALUES (?, ?, ?, ?, ?, ?)");
        halt = ctx.prepare("UPDATE {ks}.chain_cursors SET halted = true, halt_reason = ?, updated_at = ? "
                + "WHERE chain_id = ? IF EXISTS");
        resume = ctx.prepare("UPDATE {ks}.chain_cursors SET halted = false, halt_reason = null, updated_at = ? "
                + "WHERE chain_id = ? IF EXISTS");
    }

    @Override
    public CompletionStage<Optional<ChainCursor>> load(long chainId) {
        return described(ctx.session.executeAsync(ctx.idempotent(select).setLong(0, chainId).build())
                .thenApply(rs -> Optional.ofNullable(rs.one()).map(CassandraCursorStore::cursor)),
                () -> "chain " + chainId + ": load cursor");
    }

    @Override
    public CompletionStage<Void> save(ChainCursor cursor) {
        Objects.requireNonNull(cursor, "cursor");
        return described(ctx.session.executeAsync(ctx.idempotent(upsert)
                        .setLong(0, cursor.chainId())
                        .setLong(1, cursor.lastScannedBlock())
                        .setString(2, cursor.lastScannedHash())
                        .setLong(3, cursor.finalizedHeight())
                        .setInstant(4, TransferRows.millis(cursor.updatedAt()))
                        .setString(5, cursor.finalizedHash())
                        .build())
                .thenApply(rs -> (Void) null), () -> "chain " + cursor.chainId() + ": save cursor at block "
                + cursor.lastScannedBlock());
    }

    @Override
    public CompletionStage<Boolean> halt(long chainId, String reason, Instant at) {
        Objects.requireNonNull(at, "at");
        if (reason == null || reason.isBlank()) {
            return failed(new IllegalArgumentException("chain " + chainId + ": a halt needs a reason"));
        }
        return described(ctx.session.executeAsync(ctx.conditional(halt)
                        .setString(0, reason)
                        .setInstant(1, TransferRows.millis(at))
                        .setLong(2, chainId)
                        .build())
                .thenApply(rs -> rs.wasApplied()), () -> "chain " + chainId + ": halt (" + reason + ")");
    }

    @Override
    public CompletionStage<Boolean> resume(long chainId, Instant at) {
        Objects.requireNonNull(at, "at");
        return described(ctx.session.executeAsync(ctx.conditional(resume)
                        .setInstant(0, TransferRows.millis(at))
                        .setLong(1, chainId)
                        .build())
                .thenApply(rs -> rs.wasApplied()), () -> "chain " + chainId + ": resume");
    }

    private static ChainCursor cursor(Row row) {
        boolean halted = !row.isNull("halted") && row.getBoolean("halted");
        return new ChainCursor(row.getLong("chain_id"), row.getLong("last_scanned_block"),
                row.getString("last_scanned_hash"), row.getLong("finalized_height"), row.getInstant("updated_at"),
                halted, halted ? Objects.requireNonNullElse(row.getString("halt_reason"), "(no reason recorded)") : null,
                row.getString("finalized_hash"));
    }
}
