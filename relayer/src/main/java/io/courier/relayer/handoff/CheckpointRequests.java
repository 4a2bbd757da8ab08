package io.courier.relayer.handoff;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Where a submitter asks validators to sign a checkpoint (docs/adr/009-batched-delivery.md). A validator signs the
 * root of a contiguous range only when it has itself attested every message of it, so a checkpoint vouches for no
 * more than the per-message attestations did. Today the validators that answer are this node's attester's keys;
 * once validators run on separate operators, the same request goes to each of them.
 */
public interface CheckpointRequests {

    /** No validator answers: the submitter delivers batches with per-message signatures only. */
    CheckpointRequests NONE = new CheckpointRequests() {
        @Override
        public CompletionStage<List<ValidatorSignature>> sign(List<CrossChainMessage> range, String dstGateway) {
            return CompletableFuture.completedFuture(List.of());
        }

        @Override
        public int signers() {
            return 0;
        }
    };

    /**
     * Signatures over the checkpoint of {@code range} (one route, contiguous nonces, in order) for the destination
     * gateway {@code dstGateway}, from the validators that attested every message of it; fewer than the threshold (or
     * none) when some did not.
     */
    CompletionStage<List<ValidatorSignature>> sign(List<CrossChainMessage> range, String dstGateway);

    /** How many validators answer these requests: below the threshold, no checkpoint can be signed. */
    int signers();
}
