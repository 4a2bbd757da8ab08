package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * The reads the status API makes, and nothing else: a narrow port so the routes can be tested without
 * Cassandra. {@link StoreTransferQueries} is the production implementation over the finality tracker's store.
 * Every method is asynchronous and must not block the caller.
 */
public interface TransferQueries {

    /** The transfer with this id, or empty when none is known. */
    CompletionStage<Optional<Transfer>> find(MessageId id);

    /**
     * The transfers whose {@code MessageSent} log was in transaction {@code txHash} ({@code 0x} + 64 lowercase hex
     * digits) of chain {@code chainId}; empty when none.
     */
    CompletionStage<List<Transfer>> findBySourceTx(long chainId, TxHash txHash);

    /** The status changes of the transfer, oldest first; empty when the transfer is unknown. */
    CompletionStage<List<TransferHistoryEntry>> history(MessageId id);

    /**
     * A page of the transfers of {@code address} (0x + 40 lowercase hex): those it sent or receives, or whose source
     * transaction it signed; newest first, only {@code status} ones if given, continuing after {@code cursor}.
     */
    CompletionStage<io.courier.finality.store.AddressPage> byAddress(Address address, Optional<io.courier.finality.TransferStatus> status,
                                                                    int limit, Optional<String> cursor);

    /** At most {@code limit} stuck transfers, oldest first, as the long-horizon monitor last saw them. */
    default CompletionStage<List<Transfer>> stuck(int limit) {
        return java.util.concurrent.CompletableFuture.completedFuture(List.of());
    }
}
