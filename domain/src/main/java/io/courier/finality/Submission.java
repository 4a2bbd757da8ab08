package io.courier.finality;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One destination transaction sent (or about to be sent) by a signer: what the submitter needs after a
 * restart to find its pending transactions, bump their fees and close nonce gaps. A fee bump is a new
 * submission with the same nonce; the old one then names it in {@code replacedBy} ({@code null} while it is
 * the current attempt — see {@link #replacement()}). {@code rawTransaction} is the signed transaction (public
 * data once broadcast), kept so a restarted submitter can broadcast again exactly what it persisted; it may be
 * {@code null} for a transaction observed rather than signed here.
 */
public record Submission(long dstChainId, Address signer, long nonce, TxHash txHash, List<MessageId> messageIds,
                         BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, long gasLimit,
                         Instant submittedAt, TxHash replacedBy, String rawTransaction) {

    public Submission {
        Objects.requireNonNull(signer, "submission on chain " + dstChainId + ": signer");
        if (nonce < 0) {
            throw new IllegalArgumentException("submission on chain " + dstChainId + " by " + signer
                    + ": nonce must be >= 0, got " + nonce);
        }
        Objects.requireNonNull(txHash, "submission on chain " + dstChainId + " nonce " + nonce + ": txHash");
        messageIds = List.copyOf(messageIds);
        if (messageIds.isEmpty()) {
            throw new IllegalArgumentException("submission " + txHash + " carries no message ids");
        }
        Objects.requireNonNull(maxFeePerGas, "maxFeePerGas");
        Objects.requireNonNull(maxPriorityFeePerGas, "maxPriorityFeePerGas");
        if (gasLimit <= 0) {
            throw new IllegalArgumentException("submission " + txHash + ": gasLimit must be > 0, got " + gasLimit);
        }
        Objects.requireNonNull(submittedAt, "submittedAt");
        if (rawTransaction != null && !rawTransaction.matches("0x[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("submission " + txHash + ": rawTransaction is not 0x-prefixed hex");
        }
    }

    public Optional<String> raw() {
        return Optional.ofNullable(rawTransaction);
    }

    public Optional<TxHash> replacement() {
        return Optional.ofNullable(replacedBy);
    }

    /** This submission marked as replaced by {@code newTxHash}. */
    public Submission withReplacement(TxHash newTxHash) {
        return new Submission(dstChainId, signer, nonce, txHash, messageIds, maxFeePerGas, maxPriorityFeePerGas,
                gasLimit, submittedAt, newTxHash, rawTransaction);
    }
}
