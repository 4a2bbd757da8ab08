package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Asynchronous access to one EVM chain. Every method returns at once; a failure completes the stage with a
 * {@link ChainRpcException} whose {@link ChainRpcException.Kind} says what happened. Stages may complete on
 * I/O threads: callers should not block in their callbacks (use the {@code *Async} variants for heavy work).
 */
public interface ChainClient extends AutoCloseable {

    long chainId();

    String name();

    /** Fails with {@link ChainRpcException.Kind#WRONG_CHAIN} when the endpoint serves another chain id. */
    CompletionStage<Void> verifyChainId();

    /** The latest block. */
    CompletionStage<BlockHeader> head();

    /** Empty when the chain is not that high yet. */
    CompletionStage<Optional<BlockHeader>> blockByNumber(long number);

    /** The block a tag names ({@code "latest"}, {@code "safe"}, {@code "finalized"}); empty when the node has none. */
    CompletionStage<Optional<BlockHeader>> blockByTag(String tag);

    /**
     * Logs matching {@code filter}, in chain order. A range the node finds too large fails with
     * {@link ChainRpcException.Kind#RANGE_TOO_LARGE}; {@link LogScanner} adapts the range for you.
     */
    CompletionStage<List<ChainLog>> logs(LogFilter filter);

    /** The nonce of a transaction the node knows (mined or pooled); empty when it knows none with this hash. */
    CompletionStage<Optional<Long>> transactionNonce(TxHash tx);

    /**
     * The input (calldata, {@code 0x}-hex) of a transaction the node knows (mined or pooled); empty when it knows none
     * with this hash. Public data: what a delivery used can be read back from it ({@link DeliveryCall}).
     */
    CompletionStage<Optional<String>> transactionInput(TxHash tx);

    /** Empty while the transaction is not mined (or unknown). */
    CompletionStage<Optional<TxReceipt>> receipt(TxHash tx);

    /**
     * The account that signed each transaction of block {@code number}, by transaction hash: every signer of a block
     * in one call ({@code eth_getBlockByNumber} with full transactions), where a receipt each would cost one call per
     * transaction. Empty when the chain is not that high.
     */
    CompletionStage<Optional<Map<TxHash, Address>>> transactionSenders(long number);

    /** Fee history of the latest {@code blocks} blocks with the priority fees at {@code percentiles}. */
    CompletionStage<FeeHistory> feeHistory(int blocks, List<Double> percentiles);

    /** The node's suggested priority fee (tip) in wei. */
    CompletionStage<BigInteger> maxPriorityFeePerGas();

    /** {@code eth_gasPrice}: the node's suggested gas price in wei, what a chain without a base fee is priced by. */
    CompletionStage<BigInteger> gasPrice();

    /** Transactions sent by {@code account}: mined only, or including those in the node's pool. */
    CompletionStage<Long> nonce(Address account, boolean pending);

    /** Balance in wei at the latest block. */
    CompletionStage<BigInteger> balance(Address account);

    /**
     * {@code eth_call} at the latest block; the hex return data. A revert fails with
     * {@link ChainRpcException.Kind#REVERTED} and carries the revert data.
     */
    CompletionStage<String> call(CallRequest call);

    /** Gas the transaction would use; a revert fails with {@link ChainRpcException.Kind#REVERTED}. */
    CompletionStage<BigInteger> estimateGas(CallRequest call);

    /**
     * Broadcasts a signed transaction; its hash. A node that already has it fails with
     * {@link ChainRpcException.Kind#ALREADY_KNOWN}; one whose sender already used the nonce with
     * {@link ChainRpcException.Kind#NONCE_TOO_LOW}.
     */
    CompletionStage<TxHash> sendRawTransaction(String signedHex);

    /**
     * One snapshot per RPC endpoint, in order of preference, for a status page and metrics; empty when the client
     * keeps no endpoint health.
     */
    default List<EndpointHealth> endpointHealth() {
        return List.of();
    }

    /** Whether some RPC endpoint is healthy (true when the client keeps no endpoint health). */
    default boolean anyEndpointHealthy() {
        return true;
    }

    /**
     * One client per RPC endpoint, by endpoint label, each asking only its endpoint, for reads that must not trust
     * a single one (docs/adr/007-quorum-reads.md). A client of one endpoint returns itself. The clients are this
     * client's: closed with it.
     */
    default Map<String, ChainClient> perEndpoint() {
        return Map.of(name(), this);
    }

    /** Refuses new calls and releases the connection to the node. */
    @Override
    void close();
}
