package io.courier.chain;

import io.courier.chain.message.Hex;

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
        String txHash,
        Status status,
        long blockNumber,
        String blockHash,
        BigInteger gasUsed,
        BigInteger effectiveGasPrice,
        List<ChainLog> logs,
        String revertReason,
        String from) {

    /** Outcome of the transaction's execution (EIP-658 status field). */
    public enum Status { SUCCESS, REVERTED }

    public TxReceipt {
        txHash = Hex.normalize(Objects.requireNonNull(txHash, "txHash"));
        Objects.requireNonNull(status, "status");
        blockHash = Hex.normalize(Objects.requireNonNull(blockHash, "blockHash"));
        Objects.requireNonNull(gasUsed, "gasUsed");
        logs = List.copyOf(logs);
        from = from == null ? null : Hex.normalize(from);
    }

    /** The sender of the transaction (the account that signed it), if the node said. */
    public Optional<String> sender() {
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
