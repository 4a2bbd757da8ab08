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

    /** The signatures collected for {@code messageId}, ordered by validator address. */
    CompletionStage<List<Attestation>> list(MessageId messageId);
}
