package io.courier.finality.store;

import static io.courier.finality.store.Async.described;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.courier.finality.ChainCursor;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/** {@link CursorStore} on the {@code chain_cursors} table: one row per chain, last write wins. */
public final class CassandraCursorStore implements CursorStore {

    private final StoreContext ctx;
    private final PreparedStatement select;
    private final PreparedStatement upsert;

    CassandraCursorStore(StoreContext ctx) {
        this.ctx = ctx;
        select = ctx.prepare("SELECT chain_id, last_scanned_block, last_scanned_hash, finalized_height, updated_at "
                + "FROM {ks}.chain_cursors WHERE chain_id = ?");
        upsert = ctx.prepare("INSERT INTO {ks}.chain_cursors (chain_id, last_scanned_block, last_scanned_hash, "
                + "finalized_height, updated_at) VALUES (?, ?, ?, ?, ?)");
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
                        .build())
                .thenApply(rs -> (Void) null), () -> "chain " + cursor.chainId() + ": save cursor at block "
                + cursor.lastScannedBlock());
    }

    private static ChainCursor cursor(Row row) {
        return new ChainCursor(row.getLong("chain_id"), row.getLong("last_scanned_block"),
                row.getString("last_scanned_hash"), row.getLong("finalized_height"), row.getInstant("updated_at"));
    }
}
