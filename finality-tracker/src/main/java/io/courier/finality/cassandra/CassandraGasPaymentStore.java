package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Async.described;

import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.store.GasPaymentStore;
import io.courier.payment.Charge;
import io.courier.payment.GasPayment;
import io.courier.payment.PaymentAccount;
import io.courier.payment.PaymentMode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * {@link GasPaymentStore} on {@code pending_gas_payments} (one partition per source chain, by block, like
 * {@code unfinalized_transfers}) and {@code gas_payments} (one partition per message: a row per final payment, the charge
 * in static columns). Every write is a plain, idempotent upsert or delete: no condition is needed because a payment's
 * row never changes once written and the charge has one writer per message (the source chain's watcher).
 */
public final class CassandraGasPaymentStore implements GasPaymentStore {

    private final StoreContext ctx;
    private final PreparedStatement insertPending;
    private final PreparedStatement selectPending;
    private final PreparedStatement deletePending;
    private final PreparedStatement insertFinal;
    private final PreparedStatement updateCharge;
    private final PreparedStatement selectAccount;

    CassandraGasPaymentStore(StoreContext ctx) {
        this.ctx = ctx;
        insertPending = ctx.prepare("INSERT INTO {ks}.pending_gas_payments (src_chain, block_number, tx_hash, log_index, "
                + "block_hash, message_id, amount) VALUES (?, ?, ?, ?, ?, ?, ?)");
        selectPending = ctx.prepare("SELECT src_chain, block_number, tx_hash, log_index, block_hash, message_id, amount "
                + "FROM {ks}.pending_gas_payments WHERE src_chain = ? AND block_number >= ?");
        deletePending = ctx.prepare("DELETE FROM {ks}.pending_gas_payments WHERE src_chain = ? AND block_number = ? "
                + "AND tx_hash = ? AND log_index = ? AND block_hash = ?");
        insertFinal = ctx.prepare("INSERT INTO {ks}.gas_payments (message_id, tx_hash, log_index, src_chain, block_number, "
                + "block_hash, amount, recorded_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
        updateCharge = ctx.prepare("UPDATE {ks}.gas_payments SET charge_mode = ?, charge_required = ?, charge_threshold = ?, "
                + "charge_gas_limit = ?, charged_at = ? WHERE message_id = ?");
        selectAccount = ctx.prepare("SELECT tx_hash, log_index, src_chain, block_number, block_hash, amount, charge_mode, "
                + "charge_required, charge_threshold, charge_gas_limit, charged_at FROM {ks}.gas_payments WHERE message_id = ?");
    }

    @Override
    public CompletionStage<Void> observe(GasPayment p) {
        Objects.requireNonNull(p, "payment");
        return described(ctx.session.executeAsync(ctx.idempotent(insertPending)
                        .setLong(0, p.srcChain()).setLong(1, p.blockNumber()).setString(2, p.txHash().toHex())
                        .setLong(3, p.logIndex()).setString(4, p.blockHash().toHex())
                        .setByteBuffer(5, TransferRows.key(p.id())).setBigInteger(6, p.amount()).build())
                .thenApply(rs -> (Void) null), () -> "transfer " + p.id() + ": record pending payment in tx " + p.txHash());
    }

    @Override
    public CompletionStage<List<GasPayment>> pending(long srcChain, long fromBlock) {
        return described(Async.allRows(ctx.session.executeAsync(ctx.idempotent(selectPending)
                        .setLong(0, srcChain).setLong(1, Math.max(0, fromBlock)).build()),
                row -> new GasPayment(TransferRows.id(row.getByteBuffer("message_id")), srcChain,
                        TxHash.fromHex(row.getString("tx_hash")), row.getLong("log_index"), row.getLong("block_number"),
                        BlockHash.fromHex(row.getString("block_hash")), row.getBigInteger("amount"))),
                () -> "chain " + srcChain + ": pending payments from block " + fromBlock);
    }

    @Override
    public CompletionStage<Void> confirm(GasPayment p) {
        Objects.requireNonNull(p, "payment");
        // the pending row stays: the caller removes it (discard) once everything the payment moves is written
        return described(ctx.session.executeAsync(ctx.idempotent(insertFinal)
                        .setByteBuffer(0, TransferRows.key(p.id())).setString(1, p.txHash().toHex()).setLong(2, p.logIndex())
                        .setLong(3, p.srcChain()).setLong(4, p.blockNumber()).setString(5, p.blockHash().toHex())
                        .setBigInteger(6, p.amount()).setInstant(7, TransferRows.millis(Instant.now())).build())
                .thenApply(rs -> (Void) null), () -> "transfer " + p.id() + ": confirm payment in tx " + p.txHash());
    }

    @Override
    public CompletionStage<Void> discard(GasPayment p) {
        Objects.requireNonNull(p, "payment");
        return described(ctx.session.executeAsync(ctx.idempotent(deletePending)
                        .setLong(0, p.srcChain()).setLong(1, p.blockNumber()).setString(2, p.txHash().toHex())
                        .setLong(3, p.logIndex()).setString(4, p.blockHash().toHex()).build())
                .thenApply(rs -> (Void) null), () -> "transfer " + p.id() + ": drop pending payment in tx " + p.txHash());
    }

    @Override
    public CompletionStage<Void> charge(MessageId id, Charge charge) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(charge, "charge");
        return described(ctx.session.executeAsync(ctx.idempotent(updateCharge)
                        .setString(0, charge.mode().name()).setBigInteger(1, charge.required())
                        .setBigInteger(2, charge.threshold()).setLong(3, charge.gasLimit())
                        .setInstant(4, TransferRows.millis(charge.at())).setByteBuffer(5, TransferRows.key(id)).build())
                .thenApply(rs -> (Void) null), () -> "transfer " + id + ": record its charge");
    }

    @Override
    public CompletionStage<PaymentAccount> account(MessageId id) {
        Objects.requireNonNull(id, "id");
        return described(Async.allRows(ctx.session.executeAsync(ctx.idempotent(selectAccount)
                .setByteBuffer(0, TransferRows.key(id)).build()), row -> row).thenApply(rows -> {
            List<GasPayment> payments = new ArrayList<>();
            Optional<Charge> charge = Optional.empty();
            for (Row row : rows) {
                if (charge.isEmpty() && row.getString("charge_mode") != null) {
                    charge = Optional.of(new Charge(PaymentMode.valueOf(row.getString("charge_mode")),
                            row.getBigInteger("charge_required"), row.getBigInteger("charge_threshold"),
                            row.getLong("charge_gas_limit"), row.getInstant("charged_at")));
                }
                if (row.getString("tx_hash") != null) { // a partition holding only the charge has one row without payment
                    payments.add(new GasPayment(id, row.getLong("src_chain"), TxHash.fromHex(row.getString("tx_hash")),
                            row.getLong("log_index"), row.getLong("block_number"), BlockHash.fromHex(row.getString("block_hash")),
                            row.getBigInteger("amount")));
                }
            }
            return new PaymentAccount(id, payments, charge);
        }), () -> "transfer " + id + ": read its payments");
    }
}
