package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The receipt of a mined transaction.
 *
 * @param effectiveGasPrice wei per gas actually paid (base fee + tip for EIP-1559 transactions)
 * @param revertReason only when the node includes one (geth with a flag does; Ganache does not), else null
 */
public record TxReceipt(
        TxHash txHash,
        Status status,
        long blockNumber,
        BlockHash blockHash,
        BigInteger gasUsed,
        BigInteger effectiveGasPrice,
        List<ChainLog> logs,
        String revertReason,
        Address from) {

    /** Outcome of the transaction's execution (EIP-658 status field). */
    public enum Status { SUCCESS, REVERTED }

    public TxReceipt {
        Objects.requireNonNull(txHash, "txHash");
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(blockHash, "blockHash");
        Objects.requireNonNull(gasUsed, "gasUsed");
        logs = List.copyOf(logs);
    }

    /** The sender of the transaction (the account that signed it), if the node said. */
    public Optional<Address> sender() {
        return Optional.ofNullable(from);
    }

    public boolean succeeded() {
        return status == Status.SUCCESS;
    }

    public Optional<String> revertReasonIfGiven() {
        return Optional.ofNullable(revertReason);
    }

    /** Wei spent on gas, or empty when the node did not report an effective gas price. */
    public Optional<BigInteger> feePaid() {
        return effectiveGasPrice == null ? Optional.empty() : Optional.of(gasUsed.multiply(effectiveGasPrice));
    }
}
