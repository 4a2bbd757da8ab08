package io.courier.finality.store;

import io.courier.chain.message.Address;
import io.courier.finality.Submission;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Destination transactions per signer and nonce, for fee bumps and recovery after a restart. The submitter of
 * a destination chain is a singleton that owns its signer's nonces, so writes are plain upserts. Record a
 * submission before broadcasting it.
 */
public interface SubmissionStore {

    /** Records (upserts) one transaction attempt. */
    CompletionStage<Void> record(Submission submission);

    /**
     * Records {@code replacement} (same chain, signer and nonce, new hash) and marks {@code previous} as replaced
     * by it, atomically (one partition).
     */
    CompletionStage<Void> replace(Submission previous, Submission replacement);

    /** Every attempt with this nonce, oldest first; the current one has no {@code replacedBy}. */
    CompletionStage<List<Submission>> findByNonce(long dstChain, Address signer, long nonce);

    /** The attempts of {@code signer} on {@code dstChain} with nonces {@code >= fromNonce}, at most {@code limit}, by nonce. */
    CompletionStage<List<Submission>> list(long dstChain, Address signer, long fromNonce, int limit);
}
