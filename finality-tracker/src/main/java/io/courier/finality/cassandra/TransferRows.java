package io.courier.finality.cassandra;

import com.datastax.oss.driver.api.core.cql.Row;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/** Mapping between {@code transfers} rows and the domain records, in one place. */
final class TransferRows {

    /** The static columns that make up a {@link Transfer}. */
    static final String COLUMNS = "message_id, status, src_chain, src_gateway, msg_nonce, dst_chain, sender, recipient, "
            + "payload, src_tx_hash, src_block_number, src_block_hash, src_log_index, confirmations_required, "
            + "confirmations_seen, stage_times, dst_tx_hash, failure_reason, created_at, updated_at";

    private TransferRows() {}

    static ByteBuffer key(MessageId id) {
        return ByteBuffer.wrap(id.bytes());
    }

    static MessageId id(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return MessageId.of(bytes);
    }

    /**
     * The transfer in {@code row}, or empty when the partition has no status: it was never observed (a plain
     * {@code updateConfirmations} on an unknown id leaves such a partition behind).
     */
    static Optional<Transfer> transfer(Row row) {
        if (row == null) {
            return Optional.empty();
        }
        MessageId id = id(row.getByteBuffer("message_id"));
        String statusName = row.getString("status");
        if (statusName == null) {
            return Optional.empty();
        }
        ByteBuffer payload = row.getByteBuffer("payload");
        byte[] payloadBytes = new byte[payload == null ? 0 : payload.remaining()];
        if (payload != null) {
            payload.duplicate().get(payloadBytes);
        }
        CrossChainMessage message = new CrossChainMessage(row.getLong("src_chain"), row.getString("src_gateway"),
                row.getLong("msg_nonce"), row.getLong("dst_chain"), row.getString("sender"), row.getString("recipient"),
                payloadBytes);
        SourceRef source = new SourceRef(TxHash.fromHex(row.getString("src_tx_hash")), row.getLong("src_block_number"),
                BlockHash.fromHex(row.getString("src_block_hash")), row.getInt("src_log_index"));
        Map<TransferStatus, Instant> times = new EnumMap<>(TransferStatus.class);
        row.getMap("stage_times", String.class, Instant.class)
                .forEach((stage, at) -> times.put(status(id, stage), at));
        return Optional.of(new Transfer(id, message, status(id, statusName), source, row.getInt("confirmations_required"),
                row.getLong("confirmations_seen"), times, txHash(row.getString("dst_tx_hash")), row.getString("failure_reason"),
                row.getInstant("created_at"), row.getInstant("updated_at")));
    }

    /** A history entry, or {@code null} for the row of a partition that has no clustering rows. */
    static TransferHistoryEntry entry(MessageId id, Row row) {
        UUID eventTime = row.getUuid("event_time");
        if (eventTime == null) {
            return null;
        }
        String from = row.getString("from_status");
        return new TransferHistoryEntry(TimeUuids.instant(eventTime), from == null ? null : status(id, from),
                status(id, row.getString("to_status")), row.getString("cause"));
    }

    /** Stored status names; an unknown one means a newer Courier wrote it (statuses are append-only). */
    static TransferStatus status(MessageId id, String name) {
        try {
            return TransferStatus.valueOf(name);
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalStateException("transfer " + id + ": unknown status '" + name
                    + "' in the store (written by a newer Courier version?)", e);
        }
    }

    static Map<String, Instant> stageTimes(Map<TransferStatus, Instant> times) {
        Map<String, Instant> out = new LinkedHashMap<>();
        times.forEach((stage, at) -> out.put(stage.name(), at));
        return out;
    }

    /** Cassandra keeps milliseconds; cut here so what a store returns equals what it later reads. */
    static Instant millis(Instant at) {
        return at.truncatedTo(ChronoUnit.MILLIS);
    }

    static Transfer millis(Transfer t) {
        Map<TransferStatus, Instant> times = new EnumMap<>(TransferStatus.class);
        t.stageTimes().forEach((stage, at) -> times.put(stage, millis(at)));
        return new Transfer(t.id(), t.message(), t.status(), t.source(), t.confirmationsRequired(), t.confirmationsSeen(),
                times, t.dstTxHash(), t.failureReason(), millis(t.createdAt()), millis(t.updatedAt()));
    }

    /** The hex a column keeps for an optional hash ({@code null} stays {@code null}). */
    static String hex(TxHash tx) {
        return tx == null ? null : tx.toHex();
    }

    static TxHash txHash(String hex) {
        return hex == null ? null : TxHash.fromHex(hex);
    }
}
