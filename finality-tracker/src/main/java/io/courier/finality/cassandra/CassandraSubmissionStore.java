package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Async.described;
import static io.courier.finality.cassandra.Async.done;
import static io.courier.finality.cassandra.Async.failed;

import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.finality.Submission;
import io.courier.finality.store.SubmissionStore;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * {@link SubmissionStore} on the {@code submissions} table. Partitions hold {@link #NONCES_PER_BUCKET} nonces of
 * one signer on one chain, so a signer's history never grows one partition without bound; a signer's nonces
 * are contiguous, so a listing walks buckets upwards until one is empty.
 */
public final class CassandraSubmissionStore implements SubmissionStore {

    /** Nonces per partition. Part of the stored layout: changing it moves every row. */
    public static final long NONCES_PER_BUCKET = 10_000;

    private static final String COLUMNS = "dst_chain, signer, nonce, tx_hash, message_ids, max_fee_per_gas, "
            + "max_priority_fee_per_gas, gas_limit, submitted_at, replaced_by, raw_tx";

    private final StoreContext ctx;
    private final PreparedStatement upsert;
    private final PreparedStatement markReplaced;
    private final PreparedStatement selectNonce;
    private final PreparedStatement selectFrom;

    CassandraSubmissionStore(StoreContext ctx) {
        this.ctx = ctx;
        upsert = ctx.prepare("INSERT INTO {ks}.submissions (dst_chain, signer, nonce_bucket, nonce, tx_hash, message_ids, "
                + "max_fee_per_gas, max_priority_fee_per_gas, gas_limit, submitted_at, replaced_by, raw_tx) "
                + "VALUES (:dst_chain, :signer, :nonce_bucket, :nonce, :tx_hash, :message_ids, :max_fee_per_gas, "
                + ":max_priority_fee_per_gas, :gas_limit, :submitted_at, :replaced_by, :raw_tx)");
        markReplaced = ctx.prepare("UPDATE {ks}.submissions SET replaced_by = ? WHERE dst_chain = ? AND signer = ? "
                + "AND nonce_bucket = ? AND nonce = ? AND tx_hash = ?");
        selectNonce = ctx.prepare("SELECT " + COLUMNS + " FROM {ks}.submissions WHERE dst_chain = ? AND signer = ? "
                + "AND nonce_bucket = ? AND nonce = ?");
        selectFrom = ctx.prepare("SELECT " + COLUMNS + " FROM {ks}.submissions WHERE dst_chain = ? AND signer = ? "
                + "AND nonce_bucket = ? AND nonce >= ?");
    }

    @Override
    public CompletionStage<Void> record(Submission submission) {
        Objects.requireNonNull(submission, "submission");
        return described(ctx.session.executeAsync(insert(submission)).thenApply(rs -> (Void) null),
                () -> describe(submission) + ": record");
    }

    @Override
    public CompletionStage<Void> replace(Submission previous, Submission replacement) {
        Objects.requireNonNull(previous, "previous");
        Objects.requireNonNull(replacement, "replacement");
        if (previous.dstChainId() != replacement.dstChainId() || !previous.signer().equals(replacement.signer())
                || previous.nonce() != replacement.nonce() || previous.txHash().equals(replacement.txHash())) {
            return failed(new IllegalArgumentException("a replacement keeps chain, signer and nonce and has a new tx "
                    + "hash: " + describe(previous) + " vs " + describe(replacement)));
        }
        BoundStatement mark = ctx.idempotent(markReplaced)
                .setString(0, replacement.txHash().toHex())
                .setLong(1, previous.dstChainId())
                .setString(2, previous.signer().toHex())
                .setLong(3, bucket(previous.nonce()))
                .setLong(4, previous.nonce())
                .setString(5, previous.txHash().toHex())
                .build();
        return described(ctx.session.executeAsync(ctx.partitionBatch(insert(replacement), mark)).thenApply(rs -> (Void) null),
                () -> describe(previous) + ": replace by " + replacement.txHash());
    }

    @Override
    public CompletionStage<List<Submission>> findByNonce(long dstChain, Address signer, long nonce) {
        String who = signer.toHex();
        return described(Async.allRows(ctx.session.executeAsync(ctx.idempotent(selectNonce).setLong(0, dstChain)
                                .setString(1, who).setLong(2, bucket(nonce)).setLong(3, nonce).build()),
                        CassandraSubmissionStore::submission)
                        .thenApply(CassandraSubmissionStore::oldestFirst),
                () -> "chain " + dstChain + " signer " + who + " nonce " + nonce + ": find submissions");
    }

    @Override
    public CompletionStage<List<Submission>> list(long dstChain, Address signer, long fromNonce, int limit) {
        String who = signer.toHex();
        if (fromNonce < 0 || limit < 1) {
            return failed(new IllegalArgumentException("chain " + dstChain + " signer " + who
                    + ": list needs fromNonce >= 0 and limit >= 1, got " + fromNonce + ", " + limit));
        }
        List<Submission> out = new ArrayList<>();
        return described(listFrom(dstChain, who, bucket(fromNonce), fromNonce, limit, out).thenApply(v -> List.copyOf(out)),
                () -> "chain " + dstChain + " signer " + who + ": list submissions from nonce " + fromNonce);
    }

    private CompletionStage<Void> listFrom(long dstChain, String signer, long bucket, long fromNonce, int limit,
                                           List<Submission> out) {
        return Async.allRows(ctx.session.executeAsync(ctx.idempotent(selectFrom).setLong(0, dstChain).setString(1, signer)
                                .setLong(2, bucket).setLong(3, fromNonce).build()), CassandraSubmissionStore::submission)
                .thenCompose(rows -> {
                    List<Submission> sorted = new ArrayList<>(rows);
                    sorted.sort(Comparator.comparingLong(Submission::nonce).thenComparing(Submission::submittedAt));
                    for (Submission s : sorted) {
                        if (out.size() >= limit) {
                            return done(null);
                        }
                        out.add(s);
                    }
                    if (rows.isEmpty() || out.size() >= limit) {
                        return done(null);
                    }
                    long next = bucket + 1;
                    return listFrom(dstChain, signer, next, next * NONCES_PER_BUCKET, limit, out);
                });
    }

    private BoundStatement insert(Submission s) {
        BoundStatementBuilder b = ctx.idempotent(upsert)
                .setLong("dst_chain", s.dstChainId())
                .setString("signer", s.signer().toHex())
                .setLong("nonce_bucket", bucket(s.nonce()))
                .setLong("nonce", s.nonce())
                .setString("tx_hash", s.txHash().toHex())
                .setList("message_ids", s.messageIds().stream().map(TransferRows::key).toList(), ByteBuffer.class)
                .setBigInteger("max_fee_per_gas", s.maxFeePerGas())
                .setBigInteger("max_priority_fee_per_gas", s.maxPriorityFeePerGas())
                .setLong("gas_limit", s.gasLimit())
                .setInstant("submitted_at", TransferRows.millis(s.submittedAt()));
        if (s.replacedBy() != null) {
            b.setString("replaced_by", s.replacedBy().toHex());
        }
        if (s.rawTransaction() != null) {
            b.setByteBuffer("raw_tx", ByteBuffer.wrap(org.web3j.utils.Numeric.hexStringToByteArray(s.rawTransaction())));
        }
        return b.build();
    }

    private static Submission submission(Row row) {
        return new Submission(row.getLong("dst_chain"), Address.fromHex(row.getString("signer")), row.getLong("nonce"),
                TxHash.fromHex(row.getString("tx_hash")),
                row.getList("message_ids", ByteBuffer.class).stream().map(TransferRows::id).toList(),
                row.get("max_fee_per_gas", BigInteger.class), row.get("max_priority_fee_per_gas", BigInteger.class),
                row.getLong("gas_limit"), row.getInstant("submitted_at"), TransferRows.txHash(row.getString("replaced_by")),
                row.getByteBuffer("raw_tx") == null ? null : org.web3j.utils.Numeric.toHexString(bytes(row.getByteBuffer("raw_tx"))));
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] out = new byte[buffer.remaining()];
        buffer.duplicate().get(out);
        return out;
    }

    private static List<Submission> oldestFirst(List<Submission> attempts) {
        List<Submission> sorted = new ArrayList<>(attempts);
        sorted.sort(Comparator.comparing(Submission::submittedAt).thenComparing(s -> s.txHash().toHex()));
        return List.copyOf(sorted);
    }

    static long bucket(long nonce) {
        return nonce / NONCES_PER_BUCKET;
    }

    private static String describe(Submission s) {
        return "chain " + s.dstChainId() + " signer " + s.signer() + " nonce " + s.nonce() + " tx " + s.txHash();
    }
}
