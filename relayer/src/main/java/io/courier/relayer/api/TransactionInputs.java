package io.courier.relayer.api;

import io.courier.chain.message.TxHash;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Reads a transaction's input (calldata) on a chain the node serves, for {@link DeliveryEvidence}: what a delivery
 * used, from the chain's own record. Empty when that chain's endpoints know no such transaction.
 */
@FunctionalInterface
public interface TransactionInputs {

    /** A node that reads no chain: every delivery's evidence says it is unavailable. */
    TransactionInputs NONE = (chainId, tx) -> CompletableFuture.failedFuture(
            new IllegalStateException("this node reads no destination chain"));

    CompletionStage<Optional<String>> input(long chainId, TxHash tx);
}
