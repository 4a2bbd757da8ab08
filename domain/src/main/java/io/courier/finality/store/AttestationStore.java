package io.courier.finality.store;

import io.courier.chain.message.MessageId;
import io.courier.finality.Attestation;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Validator signatures per message. {@link #put} is an idempotent upsert keyed by (message id, validator):
 * signing is deterministic (RFC 6979), so a validator that signs again writes the same value.
 */
public interface AttestationStore {

    CompletionStage<Void> put(Attestation attestation);

    /**
     * Several validators' signatures of one message, as one write where the store can (a node holding several keys
     * signs with all of them at once). Same upsert semantics as {@link #put}.
     *
     * @throws IllegalArgumentException when they are not all of one message
     */
    default CompletionStage<Void> putAll(List<Attestation> attestations) {
        requireOneMessage(attestations);
        java.util.concurrent.CompletableFuture<?>[] puts = attestations.stream().map(a -> put(a).toCompletableFuture())
                .toArray(java.util.concurrent.CompletableFuture[]::new);
        return java.util.concurrent.CompletableFuture.allOf(puts);
    }

    /** Refuses signatures of several messages in one {@link #putAll}. */
    static void requireOneMessage(List<Attestation> attestations) {
        if (attestations.stream().map(Attestation::messageId).distinct().count() > 1) {
            throw new IllegalArgumentException("putAll takes one message's signatures, got " + attestations.stream()
                    .map(Attestation::messageId).distinct().toList());
        }
    }

    /** The signatures collected for {@code messageId}, ordered by validator address. */
    CompletionStage<List<Attestation>> list(MessageId messageId);
}
