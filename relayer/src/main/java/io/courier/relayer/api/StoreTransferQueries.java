package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.status.StuckTransfers;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link TransferQueries} over the finality tracker's {@link TransferStore} (Cassandra in production). The
 * store's stages complete on driver I/O threads; the routes continue on Pekko's dispatcher ({@code onSuccess}),
 * so nothing of the API runs on the driver's threads beyond completing the stage.
 */
public final class StoreTransferQueries implements TransferQueries {

    private final TransferStore store;
    private final StuckTransfers stuck;

    public StoreTransferQueries(TransferStore store) {
        this(store, StuckTransfers.NONE);
    }

    public StoreTransferQueries(TransferStore store, StuckTransfers stuck) {
        this.store = Objects.requireNonNull(store, "store");
        this.stuck = Objects.requireNonNull(stuck, "stuck");
    }

    @Override
    public CompletionStage<List<Transfer>> stuck(int limit) {
        List<Transfer> current = stuck.current();
        return java.util.concurrent.CompletableFuture.completedFuture(current.subList(0, Math.min(limit, current.size())));
    }

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        return store.find(id);
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long chainId, TxHash txHash) {
        return store.findBySourceTx(chainId, txHash);
    }

    /** How far back an address's pages go (the index is partitioned by month). */
    static final int ADDRESS_MONTHS = 24;

    @Override
    public CompletionStage<io.courier.finality.store.AddressPage> byAddress(Address address,
            Optional<io.courier.finality.TransferStatus> status, int limit, Optional<String> cursor) {
        return store.byAddress(address, java.time.YearMonth.now(java.time.ZoneOffset.UTC), ADDRESS_MONTHS, cursor, limit,
                t -> status.map(s -> t.status() == s).orElse(true));
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        return store.history(id);
    }
}
