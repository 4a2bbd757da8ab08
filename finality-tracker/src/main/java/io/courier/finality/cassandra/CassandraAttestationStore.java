package io.courier.finality.cassandra;

import io.courier.finality.store.AttestationStore;

import static io.courier.finality.cassandra.Async.described;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import io.courier.chain.message.MessageId;
import io.courier.finality.Attestation;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** {@link AttestationStore} on the {@code attestations} table: one partition per message, a row per validator. */
public final class CassandraAttestationStore implements AttestationStore {

    private final StoreContext ctx;
    private final PreparedStatement upsert;
    private final PreparedStatement select;

    CassandraAttestationStore(StoreContext ctx) {
        this.ctx = ctx;
        upsert = ctx.prepare("INSERT INTO {ks}.attestations (message_id, validator, signature, signed_at) VALUES (?, ?, ?, ?)");
        select = ctx.prepare("SELECT validator, signature, signed_at FROM {ks}.attestations WHERE message_id = ?");
    }

    @Override
    public CompletionStage<Void> put(Attestation attestation) {
        Objects.requireNonNull(attestation, "attestation");
        return described(ctx.session.executeAsync(bound(attestation)).thenApply(rs -> (Void) null),
                () -> "transfer " + attestation.messageId() + ": store attestation by " + attestation.validator());
    }

    /** One partition (the message's), so one unlogged batch: a single write of all the rows. */
    @Override
    public CompletionStage<Void> putAll(List<Attestation> attestations) {
        AttestationStore.requireOneMessage(attestations);
        if (attestations.size() <= 1) {
            return attestations.isEmpty() ? CompletableFuture.completedFuture(null) : put(attestations.get(0));
        }
        return described(ctx.session.executeAsync(ctx.partitionBatch(attestations.stream().map(this::bound)
                        .toArray(BoundStatement[]::new))).thenApply(rs -> (Void) null),
                () -> "transfer " + attestations.get(0).messageId() + ": store " + attestations.size() + " attestations");
    }

    private BoundStatement bound(Attestation attestation) {
        return ctx.idempotent(upsert)
                .setByteBuffer(0, TransferRows.key(attestation.messageId()))
                .setString(1, attestation.validator())
                .setString(2, attestation.signature())
                .setInstant(3, TransferRows.millis(attestation.signedAt()))
                .build();
    }

    @Override
    public CompletionStage<List<Attestation>> list(MessageId messageId) {
        Objects.requireNonNull(messageId, "messageId");
        return described(Async.allRows(
                ctx.session.executeAsync(ctx.idempotent(select).setByteBuffer(0, TransferRows.key(messageId)).build()),
                row -> new Attestation(messageId, row.getString("validator"), row.getString("signature"),
                        row.getInstant("signed_at"))), () -> "transfer " + messageId + ": list attestations");
    }
}
