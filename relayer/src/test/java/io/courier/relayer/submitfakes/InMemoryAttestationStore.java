package io.courier.relayer.submitfakes;

import io.courier.chain.message.MessageId;
import io.courier.finality.Attestation;
import io.courier.finality.store.AttestationStore;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Signatures keyed by (message id, validator), an upsert as in Cassandra. */
public final class InMemoryAttestationStore implements AttestationStore {

    private final Map<MessageId, Map<String, Attestation>> byMessage = new ConcurrentHashMap<>();
    public final AtomicInteger puts = new AtomicInteger();
    /** Returns the stage a put completes with once written (null: at once); lets a test hold a round open. */
    public volatile java.util.function.Function<Attestation, CompletionStage<Void>> onPut = a -> null;

    @Override
    public CompletionStage<Void> put(Attestation attestation) {
        puts.incrementAndGet();
        byMessage.computeIfAbsent(attestation.messageId(), k -> new ConcurrentHashMap<>())
                .put(attestation.validator().toLowerCase(), attestation);
        CompletionStage<Void> scripted = onPut.apply(attestation);
        return scripted != null ? scripted : CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<Attestation>> list(MessageId messageId) {
        return CompletableFuture.completedFuture(byMessage.getOrDefault(messageId, Map.of()).values().stream()
                .sorted(Comparator.comparing(Attestation::validator)).toList());
    }
}
