package io.courier.chain.web3j;

import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.Hex;
import io.courier.chain.message.TxHash;
import java.util.function.Supplier;

import io.courier.chain.RpcFailure;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainLog;
import io.courier.chain.FeeHistory;
import io.courier.chain.TxReceipt;

import io.courier.chain.ChainRpcException.Kind;
import java.math.BigInteger;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.EthFeeHistory;
import org.web3j.protocol.core.methods.response.EthLog;
import org.web3j.protocol.core.methods.response.Log;
import org.web3j.protocol.core.methods.response.Transaction;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * Turns web3j's response objects into this module's records. An answer that cannot be used throws
 * a {@link FailureSignal} with the kind it amounts to.
 */
final class Web3jResponses {

    private Web3jResponses() {}

    static Optional<BlockHeader> header(EthBlock response) {
        EthBlock.Block block = response.getBlock();
        if (block == null) {
            return Optional.empty();
        }
        // the gas limit bounds what one transaction can need; a node that leaves it out gives no such bound
        java.util.OptionalLong gasLimit = block.getGasLimitRaw() == null || block.getGasLimitRaw().isBlank()
                ? java.util.OptionalLong.empty() : java.util.OptionalLong.of(block.getGasLimit().min(BigInteger.valueOf(Long.MAX_VALUE)).longValueExact());
        return Optional.of(new BlockHeader(block.getNumber().longValueExact(), blockHash(block.getHash()), blockHash(block.getParentHash()),
                block.getTimestamp().longValueExact(), gasLimit));
    }

    /**
     * Each transaction's signer from a block read with full transactions; empty when there is no such block. A node
     * that answers bare hashes (it ignored the flag) or a transaction without its sender gives a bad answer.
     */
    static Optional<Map<TxHash, Address>> senders(EthBlock response) {
        EthBlock.Block block = response.getBlock();
        if (block == null) {
            return Optional.empty();
        }
        Map<TxHash, Address> senders = new LinkedHashMap<>();
        for (EthBlock.TransactionResult<?> result : block.getTransactions()) {
            if (!(result.get() instanceof Transaction tx)) {
                throw new FailureSignal(RpcFailure.of(Kind.BAD_RESPONSE, "block " + block.getNumber()
                        + " without full transactions (a transaction hash where its object was asked for)"));
            }
            senders.put(txHash(tx.getHash()), address(tx.getFrom()));
        }
        return Optional.of(Map.copyOf(senders));
    }

    static List<ChainLog> logs(EthLog response) {
        return response.getLogs().stream()
                .map(result -> chainLog((Log) result.get()))
                // nodes return chain order already; sorting is cheap insurance for the cursor logic above us
                .sorted(Comparator.comparingLong(ChainLog::blockNumber).thenComparingLong(ChainLog::logIndex))
                .toList();
    }

    static ChainLog chainLog(Log log) {
        if (log.getBlockNumber() == null || log.getBlockHash() == null || log.getLogIndex() == null) {
            throw new FailureSignal(RpcFailure.of(Kind.BAD_RESPONSE, "log without block number, block hash or index (pending?)"));
        }
        return new ChainLog(address(log.getAddress()), log.getTopics(), log.getData(), log.getBlockNumber().longValueExact(),
                blockHash(log.getBlockHash()), txHash(log.getTransactionHash()), log.getLogIndex().longValueExact(), log.isRemoved());
    }

    static TxReceipt receipt(TransactionReceipt r) {
        TxReceipt.Status status = r.isStatusOK() ? TxReceipt.Status.SUCCESS : TxReceipt.Status.REVERTED;
        BigInteger price = r.getEffectiveGasPrice() == null ? null : Numeric.decodeQuantity(r.getEffectiveGasPrice());
        List<ChainLog> logs = r.getLogs() == null ? List.of() : r.getLogs().stream().map(Web3jResponses::chainLog).toList();
        return new TxReceipt(txHash(r.getTransactionHash()), status, r.getBlockNumber().longValueExact(),
                blockHash(r.getBlockHash()), r.getGasUsed(), price, logs, r.getRevertReason(),
                r.getFrom() == null ? null : address(r.getFrom()));
    }

    static FeeHistory feeHistory(EthFeeHistory response) {
        EthFeeHistory.FeeHistory h = response.getFeeHistory();
        if (h == null || h.getBaseFeePerGas() == null) {
            throw new FailureSignal(RpcFailure.of(Kind.BAD_RESPONSE, "fee history without base fees (pre-London chain?)"));
        }
        List<List<BigInteger>> rewards = h.getRewardRaw() == null ? List.of() : h.getReward();
        return new FeeHistory(h.getOldestBlock().longValueExact(), h.getBaseFeePerGas(),
                h.getGasUsedRatio() == null ? List.of() : h.getGasUsedRatio(), rewards);
    }

    /**
     * Errors were classified already; this catches the old geth habit of returning revert data as a successful
     * result ({@link EthCall#isReverted()} sees the {@code Error(string)} selector).
     */
    static String callResult(EthCall response) {
        if (response.isReverted()) {
            throw new FailureSignal(new RpcFailure(Kind.REVERTED, "reverted: " + response.getRevertReason(), null, response.getValue()));
        }
        return response.getValue();
    }

    /** A hash or address the node sent that is not one is a bad answer from that node, not a bug of ours. */
    static TxHash txHash(String hex) {
        return parsed(() -> TxHash.fromHex(hex == null ? null : Hex.normalize(hex)));
    }

    static BlockHash blockHash(String hex) {
        return parsed(() -> BlockHash.fromHex(hex == null ? null : Hex.normalize(hex)));
    }

    static Address address(String hex) {
        return parsed(() -> Address.fromHex(hex == null ? null : Hex.normalize(hex)));
    }

    private static <T> T parsed(Supplier<T> value) {
        try {
            return value.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new FailureSignal(RpcFailure.of(Kind.BAD_RESPONSE, e.getMessage()));
        }
    }
}
