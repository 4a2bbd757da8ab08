package io.courier.finality;

import io.courier.chain.message.EvmAddress;

import io.courier.chain.message.Hex;

import io.courier.chain.message.MessageId;
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
public record Submission(long dstChainId, String signer, long nonce, String txHash, List<MessageId> messageIds,
                         BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas, long gasLimit,
                         Instant submittedAt, String replacedBy, String rawTransaction) {

    public Submission {
        signer = EvmAddress.normalize("submission on chain " + dstChainId + ": signer", signer);
        if (nonce < 0) {
            throw new IllegalArgumentException("submission on chain " + dstChainId + " by " + signer
                    + ": nonce must be >= 0, got " + nonce);
        }
        txHash = Hex.hash("submission on chain " + dstChainId + " nonce " + nonce + ": txHash", txHash);
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
        if (replacedBy != null) {
            replacedBy = Hex.hash("submission " + txHash + ": replacedBy", replacedBy);
        }
        if (rawTransaction != null && !rawTransaction.matches("0x[0-9a-fA-F]+")) {
            throw new IllegalArgumentException("submission " + txHash + ": rawTransaction is not 0x-prefixed hex");
        }
    }

    public Optional<String> raw() {
        return Optional.ofNullable(rawTransaction);
    }

    public Optional<String> replacement() {
        return Optional.ofNullable(replacedBy);
    }

    /** This submission marked as replaced by {@code newTxHash}. */
    public Submission withReplacement(String newTxHash) {
        return new Submission(dstChainId, signer, nonce, txHash, messageIds, maxFeePerGas, maxPriorityFeePerGas,
                gasLimit, submittedAt, newTxHash, rawTransaction);
    }
}
