package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Async.described;
import static io.courier.finality.cassandra.Async.done;
import static io.courier.finality.cassandra.Async.failed;

import com.datastax.oss.driver.api.core.cql.AsyncResultSet;
import com.datastax.oss.driver.api.core.cql.BatchStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatement;
import com.datastax.oss.driver.api.core.cql.BoundStatementBuilder;
import com.datastax.oss.driver.api.core.cql.PreparedStatement;
import com.datastax.oss.driver.api.core.cql.Row;
import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStateMachine;
import io.courier.finality.TransferStatus;
import io.courier.finality.Transition;
import io.courier.finality.TransitionRejectedException;
import io.courier.finality.store.AddressPage;
import io.courier.finality.store.TransferStore;
import io.courier.finality.store.TransitionOutcome;
import io.courier.finality.store.UnfinalizedTransfer;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link TransferStore} on Cassandra (tables in {@link CourierSchema}, layout in ADR 002).
 *
 * <p>How each write stays correct without locks:
 * <ul>
 *   <li><b>Observation</b>: index rows first, then the record {@code IF status = null}. A crash in between leaves
 *       index rows without a transfer (skipped by readers, filled in when the watcher re-scans from its cursor),
 *       never a transfer missing from the work indexes. {@code IF status = null} rather than {@code IF NOT
 *       EXISTS}: the latter would test the history row's clustering key, and a partition created by a stray
 *       {@code updateConfirmations} has no status yet still exists.</li>
 *   <li><b>Transition</b>: one conditional batch in the transfer's partition sets the status {@code IF status =
 *       expected} (a replacement also {@code IF dst_tx_hash = <the replaced tx>}) and adds the history row, so
 *       both or neither are written and two nodes racing from the same status cannot both win.</li>
 *   <li><b>Relocation</b> after a reorg (ADR 003): the new source's index rows first (upserts), then one
 *       conditional batch {@code IF status = 'SENT' AND src_block_hash = <old>} with the new source and a
 *       {@code SENT -> SENT} history row, then the old block's rows are removed. {@link #markReorged} checks the block
 *       the same way, so an old row that outlived its clean-up can never mark a relocated transfer {@code REORGED};
 *       it repairs such a row instead.</li>
 *   <li><b>Indexes</b> are hints maintained after the batch. A failed clean-up is logged, not reported: the
 *       transition happened. Stale rows are removed when found ({@link #open}, and any transition that reveals
 *       the transfer's real status).</li>
 * </ul>
 */
public final class CassandraTransferStore implements TransferStore {

    private static final Logger log = LoggerFactory.getLogger(CassandraTransferStore.class);

    private final StoreContext ctx;
    private final TransferStateMachine machine = TransferStateMachine.INSTANCE;

    private final PreparedStatement selectTransfer;
    private final PreparedStatement selectStatus;
    private final PreparedStatement selectHistory;
    private final PreparedStatement observe;
    private final PreparedStatement historyRow;
    private final PreparedStatement move;
    private final PreparedStatement moveFromBlock;
    private final PreparedStatement relocateSource;
    private final PreparedStatement replace;
    private final PreparedStatement confirmations;
    private final PreparedStatement insertBySource;
    private final PreparedStatement selectBySource;
    private final PreparedStatement insertByAddress;
    private final PreparedStatement selectByAddress;
    private final PreparedStatement selectByAddressAfter;
    private final PreparedStatement deleteBySource;
    private final PreparedStatement insertOpen;
    private final PreparedStatement deleteOpen;
    private final PreparedStatement selectOpen;
    private final PreparedStatement insertUnfinalized;
    private final PreparedStatement deleteUnfinalized;
    private final PreparedStatement selectUnfinalized;

    CassandraTransferStore(StoreContext ctx) {
        this.ctx = ctx;
        selectTransfer = ctx.prepare("SELECT " + TransferRows.COLUMNS + " FROM {ks}.transfers WHERE message_id = ? LIMIT 1");
        selectStatus = ctx.prepare("SELECT status FROM {ks}.transfers WHERE message_id = ? LIMIT 1");
        selectHistory = ctx.prepare("SELECT event_time, from_status, to_status, cause FROM {ks}.transfers WHERE message_id = ?");
        observe = ctx.prepare("UPDATE {ks}.transfers SET status = :status, src_chain = :src_chain, "
                + "src_gateway = :src_gateway, msg_nonce = :msg_nonce, dst_chain = :dst_chain, sender = :sender, "
                + "recipient = :recipient, payload = :payload, src_tx_hash = :src_tx_hash, "
                + "src_block_number = :src_block_number, src_block_hash = :src_block_hash, src_log_index = :src_log_index, "
                + "confirmations_required = :confirmations_required, confirmations_seen = :confirmations_seen, "
                + "stage_times = stage_times + :stage_times, created_at = :created_at, updated_at = :updated_at "
                + "WHERE message_id = :message_id IF status = null");
        historyRow = ctx.prepare("INSERT INTO {ks}.transfers (message_id, event_time, from_status, to_status, cause) "
                + "VALUES (:message_id, :event_time, :from_status, :to_status, :cause)");
        move = ctx.prepare("UPDATE {ks}.transfers SET status = :new_status, stage_times[:stage] = :stage_at, "
                + "updated_at = :updated_at, dst_tx_hash = :dst_tx_hash, failure_reason = :failure_reason, "
                + "confirmations_seen = :confirmations_seen WHERE message_id = :message_id IF status = :expected_status");
        moveFromBlock = ctx.prepare("UPDATE {ks}.transfers SET status = :new_status, stage_times[:stage] = :stage_at, "
                + "updated_at = :updated_at, dst_tx_hash = :dst_tx_hash, failure_reason = :failure_reason, "
                + "confirmations_seen = :confirmations_seen WHERE message_id = :message_id "
                + "IF status = :expected_status AND src_block_hash = :expected_block_hash");
        relocateSource = ctx.prepare("UPDATE {ks}.transfers SET status = :status, src_tx_hash = :src_tx_hash, "
                + "src_block_number = :src_block_number, src_block_hash = :src_block_hash, "
                + "src_log_index = :src_log_index, confirmations_seen = :confirmations_seen, updated_at = :updated_at "
                + "WHERE message_id = :message_id IF status = :expected_status AND src_block_hash = :expected_block_hash");
        replace = ctx.prepare("UPDATE {ks}.transfers SET dst_tx_hash = :dst_tx_hash, updated_at = :updated_at "
                + "WHERE message_id = :message_id IF status = :expected_status AND dst_tx_hash = :replaced_tx_hash");
        confirmations = ctx.prepare("UPDATE {ks}.transfers SET confirmations_seen = ? WHERE message_id = ?");
        insertBySource = ctx.prepare("INSERT INTO {ks}.transfers_by_source_tx (src_chain, src_tx_hash, message_id) VALUES (?, ?, ?)");
        selectBySource = ctx.prepare("SELECT message_id FROM {ks}.transfers_by_source_tx WHERE src_chain = ? AND src_tx_hash = ?");
        insertByAddress = ctx.prepare("INSERT INTO {ks}.transfers_by_address (address, month, created_at, message_id) "
                + "VALUES (?, ?, ?, ?)");
        selectByAddress = ctx.prepare("SELECT created_at, message_id FROM {ks}.transfers_by_address "
                + "WHERE address = ? AND month = ? LIMIT ?");
        selectByAddressAfter = ctx.prepare("SELECT created_at, message_id FROM {ks}.transfers_by_address "
                + "WHERE address = ? AND month = ? AND (created_at, message_id) < (?, ?) LIMIT ?");
        deleteBySource = ctx.prepare("DELETE FROM {ks}.transfers_by_source_tx WHERE src_chain = ? AND src_tx_hash = ? "
                + "AND message_id = ?");
        insertOpen = ctx.prepare("INSERT INTO {ks}.open_transfers (dst_chain, day_bucket, created_at, message_id) VALUES (?, ?, ?, ?)");
        deleteOpen = ctx.prepare("DELETE FROM {ks}.open_transfers WHERE dst_chain = ? AND day_bucket = ? AND created_at = ? "
                + "AND message_id = ?");
        selectOpen = ctx.prepare("SELECT created_at, message_id FROM {ks}.open_transfers WHERE dst_chain = ? AND day_bucket = ?");
        insertUnfinalized = ctx.prepare("INSERT INTO {ks}.unfinalized_transfers (src_chain, block_number, message_id, "
                + "block_hash, confirmations_required) VALUES (?, ?, ?, ?, ?)");
        deleteUnfinalized = ctx.prepare("DELETE FROM {ks}.unfinalized_transfers WHERE src_chain = ? AND block_number = ? "
                + "AND message_id = ?");
        selectUnfinalized = ctx.prepare("SELECT block_number, message_id, block_hash, confirmations_required "
                + "FROM {ks}.unfinalized_transfers WHERE src_chain = ? AND block_number >= ?");
    }

    // ------------------------------------------------------------------ writes

    @Override
    public CompletionStage<Boolean> recordObserved(Transfer observed) {
        Objects.requireNonNull(observed, "transfer");
        if (observed.status() != TransferStatus.SENT) {
            return failed(new IllegalArgumentException("transfer " + observed.id() + ": recordObserved takes a SENT "
                    + "transfer, got " + observed.status()));
        }
        Transfer t = TransferRows.millis(observed);
        return described(status(t.id()).thenCompose(existing -> {
            if (existing.isPresent()) {
                return done(false);
            }
            return Async.all(List.of(
                    execute(ctx.idempotent(insertBySource).setLong(0, t.message().srcChainId())
                            .setString(1, t.source().txHash().toHex()).setByteBuffer(2, TransferRows.key(t.id())).build()),
                    execute(ctx.idempotent(insertOpen).setLong(0, t.message().dstChainId()).setLocalDate(1, day(t.createdAt()))
                            .setInstant(2, t.createdAt()).setByteBuffer(3, TransferRows.key(t.id())).build()),
                    execute(ctx.idempotent(insertUnfinalized).setLong(0, t.message().srcChainId())
                            .setLong(1, t.source().blockNumber()).setByteBuffer(2, TransferRows.key(t.id()))
                            .setString(3, t.source().blockHash().toHex()).setInt(4, t.confirmationsRequired()).build())))
                    .thenCompose(indexed -> ctx.session.executeAsync(ctx.conditionalBatch(observeStatement(t),
                            history(t.id(), t.createdAt(), null, TransferStatus.SENT, t.observationCause()))))
                    .thenApply(AsyncResultSet::wasApplied);
        }), () -> "transfer " + observed.id() + ": record observed in " + observed.source());
    }

    @Override
    public CompletionStage<TransitionOutcome> transition(MessageId id, TransferStatus expected, TransferEvent event,
                                                         Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(expected, "expected");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        Transition verdict = machine.apply(expected, event);
        if (verdict instanceof Transition.Rejected rejected) {
            return failed(new TransitionRejectedException(id, expected, event, rejected.reason()));
        }
        TransferStatus target = ((Transition.Moved) verdict).to();
        if (event instanceof TransferEvent.Relocated relocated) {
            return relocate(id, expected, relocated.from(), relocated.to(), at);
        }
        Instant requested = TransferRows.millis(at);
        CompletionStage<TransitionOutcome> outcome = find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return done(new TransitionOutcome.NotFound(id));
            }
            Transfer current = found.get();
            if (current.status() != expected || alreadyCarries(current, event)) {
                return settle(current, event, target);
            }
            Instant effective = requested.isAfter(current.updatedAt()) ? requested : current.updatedAt().plusMillis(1);
            Transfer next = current.next(event, effective);
            return ctx.session.executeAsync(moveStatement(current, next, event, null)).thenCompose(rs -> {
                if (rs.wasApplied()) {
                    return maintainIndexes(current, current.status(), next.status())
                            .thenApply(v -> (TransitionOutcome) new TransitionOutcome.Applied(next));
                }
                // lost a race: look at what won
                return find(id).thenCompose(now -> now.isEmpty()
                        ? done(new TransitionOutcome.NotFound(id))
                        : settle(now.get(), event, target));
            });
        });
        return described(outcome, () -> "transfer " + id + ": " + expected + " --" + event.getClass().getSimpleName()
                + "--> " + target);
    }

    @Override
    public CompletionStage<TransitionOutcome> relocate(MessageId id, SourceRef newSource, Instant at) {
        return relocate(id, null, null, newSource, at);
    }

    /**
     * {@link #relocate}, also requiring the transfer to be in status {@code expectedStatus} and in block
     * {@code expectedFrom} when they are not {@code null}.
     */
    private CompletionStage<TransitionOutcome> relocate(MessageId id, TransferStatus expectedStatus, SourceRef expectedFrom,
                                                        SourceRef newSource, Instant at) {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(newSource, "newSource");
        Objects.requireNonNull(at, "at");
        Instant requested = TransferRows.millis(at);
        CompletionStage<TransitionOutcome> outcome = find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return done(new TransitionOutcome.NotFound(id));
            }
            Transfer current = found.get();
            if (current.source().equals(newSource) && current.status() != TransferStatus.REORGED) {
                return done(new TransitionOutcome.AlreadyApplied(current));
            }
            boolean movable = current.status() == TransferStatus.SENT
                    || current.status() == TransferStatus.REORGED && !current.source().equals(newSource);
            if (!movable || (expectedStatus != null && current.status() != expectedStatus)
                    || (expectedFrom != null && !current.source().equals(expectedFrom))) {
                return maintainIndexes(current, null, current.status())
                        .thenApply(v -> new TransitionOutcome.Conflict(id, current.status()));
            }
            TransferEvent.Relocated event = new TransferEvent.Relocated(current.source(), newSource);
            Instant effective = requested.isAfter(current.updatedAt()) ? requested : current.updatedAt().plusMillis(1);
            Transfer next = current.next(event, effective);
            return indexSource(next)
                    .thenCompose(indexed -> ctx.session.executeAsync(relocateStatement(current, next, event)))
                    .thenCompose(rs -> {
                        if (rs.wasApplied()) {
                            // a revived REORGED transfer is open work again
                            CompletionStage<?> reopened = current.status() == TransferStatus.REORGED
                                    ? logged(execute(ctx.idempotent(insertOpen).setLong(0, next.message().dstChainId())
                                            .setLocalDate(1, day(next.createdAt())).setInstant(2, next.createdAt())
                                            .setByteBuffer(3, TransferRows.key(next.id())).build()).thenApply(x -> null),
                                            next, "its open_transfers row after a revival")
                                    : done(null);
                            return reopened.thenCompose(x -> dropSourceRows(current, next.source()))
                                    .thenApply(v -> (TransitionOutcome) new TransitionOutcome.Applied(next));
                        }
                        return find(id).thenCompose(now -> {
                            if (now.isEmpty()) {
                                return done(new TransitionOutcome.NotFound(id));
                            }
                            Transfer actual = now.get();
                            if (actual.source().equals(newSource)) {
                                return done(new TransitionOutcome.AlreadyApplied(actual));
                            }
                            // lost to another move: put the index rows back where the transfer really is
                            return repairSourceRows(actual, newSource, newSource.blockHash())
                                    .thenApply(v -> new TransitionOutcome.Conflict(id, actual.status()));
                        });
                    });
        });
        return described(outcome, () -> "transfer " + id + ": relocate to " + newSource);
    }

    @Override
    public CompletionStage<TransitionOutcome> markReorged(UnfinalizedTransfer row, TransferEvent.Reorged event,
                                                          Instant at) {
        Objects.requireNonNull(row, "row");
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(at, "at");
        MessageId id = row.id();
        Instant requested = TransferRows.millis(at);
        CompletionStage<TransitionOutcome> outcome = find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return done(new TransitionOutcome.NotFound(id));
            }
            Transfer current = found.get();
            if (current.status() != TransferStatus.SENT) {
                return dropStaleRow(current, row).thenCompose(v -> settle(current, event, TransferStatus.REORGED));
            }
            if (!inBlockOf(current, row)) {
                log.info("transfer {}: unfinalized row for block {} ({}) is stale, the transfer is in {}; repairing",
                        id, row.blockNumber(), row.blockHash(), current.source());
                return repairSourceRows(current, null, row.blockHash())
                        .thenCompose(v -> dropStaleRow(current, row))
                        .thenApply(v -> new TransitionOutcome.Conflict(id, TransferStatus.SENT));
            }
            Instant effective = requested.isAfter(current.updatedAt()) ? requested : current.updatedAt().plusMillis(1);
            Transfer next = current.next(event, effective);
            return ctx.session.executeAsync(moveStatement(current, next, event, row.blockHash())).thenCompose(rs -> {
                if (rs.wasApplied()) {
                    return maintainIndexes(current, current.status(), next.status())
                            .thenApply(v -> (TransitionOutcome) new TransitionOutcome.Applied(next));
                }
                return find(id).thenCompose(now -> {
                    if (now.isEmpty()) {
                        return done(new TransitionOutcome.NotFound(id));
                    }
                    Transfer actual = now.get();
                    if (actual.status() == TransferStatus.SENT && !inBlockOf(actual, row)) {
                        return repairSourceRows(actual, null, row.blockHash())
                                .thenCompose(v -> dropStaleRow(actual, row))
                                .thenApply(v -> new TransitionOutcome.Conflict(id, TransferStatus.SENT));
                    }
                    return settle(actual, event, TransferStatus.REORGED);
                });
            });
        });
        return described(outcome, () -> "transfer " + id + ": mark REORGED from block " + row.blockNumber() + " ("
                + row.blockHash() + ")");
    }

    @Override
    public CompletionStage<Void> updateConfirmations(MessageId id, long seen) {
        if (seen < 0) {
            return failed(new IllegalArgumentException("transfer " + id + ": confirmations must be >= 0, got " + seen));
        }
        return described(execute(ctx.idempotent(confirmations).setLong(0, seen).setByteBuffer(1, TransferRows.key(id)).build())
                .thenApply(rs -> (Void) null), () -> "transfer " + id + ": update confirmations to " + seen);
    }

    // ------------------------------------------------------------------ reads

    @Override
    public CompletionStage<Optional<Transfer>> find(MessageId id) {
        Objects.requireNonNull(id, "id");
        return described(execute(ctx.idempotent(selectTransfer).setByteBuffer(0, TransferRows.key(id)).build())
                .thenApply(rs -> TransferRows.transfer(rs.one())), () -> "transfer " + id + ": find");
    }

    @Override
    public CompletionStage<Void> indexAddresses(Transfer t, java.util.Set<Address> addresses) {
        Objects.requireNonNull(t, "transfer");
        List<CompletionStage<AsyncResultSet>> writes = new ArrayList<>();
        Instant createdAt = TransferRows.millis(t.createdAt());
        for (Address address : addresses) {
            String a = address.toHex();
            writes.add(execute(ctx.idempotent(insertByAddress).setString(0, a).setString(1, AddressCursor.month(createdAt))
                    .setInstant(2, createdAt).setByteBuffer(3, TransferRows.key(t.id())).build()));
        }
        return described(Async.all(writes).thenApply(x -> (Void) null), () -> "transfer " + t.id() + ": index addresses " + addresses);
    }

    @Override
    public CompletionStage<AddressPage> byAddress(Address address, java.time.YearMonth newest, int months,
                                                  Optional<String> cursor, int limit, java.util.function.Predicate<Transfer> filter) {
        String a;
        Optional<AddressCursor> after;
        try {
            a = address.toHex();
            after = cursor.map(AddressCursor::parse);
            if (limit < 1 || months < 1) {
                throw new IllegalArgumentException("limit and months must be >= 1, got " + limit + " and " + months);
            }
        } catch (IllegalArgumentException e) {
            return failed(e);
        }
        java.time.YearMonth oldest = newest.minusMonths(months - 1L);
        AddressCursor start = after.orElse(AddressCursor.startOf(newest));
        List<Transfer> out = new ArrayList<>();
        return described(pageFrom(a, start, oldest, limit, filter, out, ctx.options.maxAddressRows())
                .thenApply(next -> new AddressPage(out, next.map(AddressCursor::toString))),
                () -> "address " + address + ": transfers page");
    }

    /**
     * Fills {@code out} from {@code at} on (newest first), month by month; completes with the position to resume
     * from, or empty when the months ran out. {@code budget}: index rows it may still examine.
     */
    private CompletionStage<Optional<AddressCursor>> pageFrom(String address, AddressCursor at, java.time.YearMonth oldest,
                                                              int limit, java.util.function.Predicate<Transfer> filter,
                                                              List<Transfer> out, int budget) {
        if (at.yearMonth().isBefore(oldest)) {
            return done(Optional.empty());
        }
        int want = Math.min(budget, Math.max(1, limit - out.size()));
        BoundStatement query = at.first()
                ? ctx.idempotent(selectByAddress).setString(0, address).setString(1, at.month()).setInt(2, want).build()
                : ctx.idempotent(selectByAddressAfter).setString(0, address).setString(1, at.month())
                        .setInstant(2, at.createdAt()).setByteBuffer(3, TransferRows.key(at.id())).setInt(4, want).build();
        return Async.allRows(execute(query), row -> new AddressCursor(at.month(), row.getInstant("created_at"),
                        TransferRows.id(row.getByteBuffer("message_id"))))
                .thenCompose(rows -> Async.all(rows.stream().map(r -> find(r.id())).toList()).thenCompose(found -> {
                    for (Optional<Transfer> t : found) {
                        t.filter(filter).ifPresent(out::add);
                    }
                    int left = budget - rows.size();
                    AddressCursor last = rows.isEmpty() ? at : rows.get(rows.size() - 1);
                    if (out.size() >= limit || left <= 0) {
                        return done(Optional.of(last));
                    }
                    // a short answer means this month is done: go on with the one before
                    AddressCursor next = rows.size() < want ? AddressCursor.startOf(at.yearMonth().minusMonths(1)) : last;
                    return pageFrom(address, next, oldest, limit, filter, out, left);
                }));
    }

    @Override
    public CompletionStage<List<Transfer>> findBySourceTx(long srcChain, TxHash txHash) {
        String hash = txHash.toHex();
        CompletionStage<List<Transfer>> found = Async.allRows(
                        execute(ctx.idempotent(selectBySource).setLong(0, srcChain).setString(1, hash).build()),
                        row -> TransferRows.id(row.getByteBuffer("message_id")))
                .thenCompose(ids -> Async.all(ids.stream().map(this::find).toList()))
                .thenApply(transfers -> transfers.stream().flatMap(Optional::stream)
                        // a transfer relocated to another transaction keeps a stale row here until cleaned up
                        .filter(t -> t.source().txHash().equals(txHash))
                        .sorted(Comparator.comparingInt(t -> t.source().logIndex())).toList());
        return described(found, () -> "chain " + srcChain + " tx " + hash + ": find transfers");
    }

    @Override
    public CompletionStage<List<TransferHistoryEntry>> history(MessageId id) {
        Objects.requireNonNull(id, "id");
        return described(Async.allRows(execute(ctx.idempotent(selectHistory).setByteBuffer(0, TransferRows.key(id)).build()),
                row -> TransferRows.entry(id, row)), () -> "transfer " + id + ": history");
    }

    @Override
    public CompletionStage<List<UnfinalizedTransfer>> unfinalized(long srcChain, long fromBlock) {
        return described(Async.allRows(
                execute(ctx.idempotent(selectUnfinalized).setLong(0, srcChain).setLong(1, fromBlock).build()),
                row -> new UnfinalizedTransfer(srcChain, row.getLong("block_number"),
                        TransferRows.id(row.getByteBuffer("message_id")), BlockHash.fromHex(row.getString("block_hash")),
                        row.getInt("confirmations_required"))),
                () -> "chain " + srcChain + ": unfinalized transfers from block " + fromBlock);
    }

    @Override
    public CompletionStage<List<Transfer>> open(long dstChain, LocalDate fromDay, LocalDate toDay, int limit) {
        Objects.requireNonNull(fromDay, "fromDay");
        Objects.requireNonNull(toDay, "toDay");
        if (toDay.isBefore(fromDay) || limit < 1) {
            return failed(new IllegalArgumentException("chain " + dstChain + ": open transfers need fromDay <= toDay "
                    + "and limit >= 1, got " + fromDay + ".." + toDay + ", limit " + limit));
        }
        List<Transfer> out = new ArrayList<>();
        return described(openFrom(dstChain, fromDay, toDay, limit, out).thenApply(v -> List.copyOf(out)),
                () -> "chain " + dstChain + ": open transfers " + fromDay + ".." + toDay);
    }

    // ------------------------------------------------------------------ transitions

    /** A replacement whose new tx is already recorded was applied before (by us or by another node). */
    private static boolean alreadyCarries(Transfer current, TransferEvent event) {
        return event instanceof TransferEvent.Replaced replaced && replaced.newTxHash().equals(current.dstTxHash());
    }

    /** Names the outcome when the transfer is not (or no longer) where the caller expected, and repairs indexes. */
    private CompletionStage<TransitionOutcome> settle(Transfer current, TransferEvent event, TransferStatus target) {
        boolean reached = event instanceof TransferEvent.Replaced
                ? current.status() == TransferStatus.SUBMITTED && alreadyCarries(current, event)
                : current.status() == target;
        TransitionOutcome outcome = reached
                ? new TransitionOutcome.AlreadyApplied(current)
                : new TransitionOutcome.Conflict(current.id(), current.status());
        // the index rows may be stale if the node that moved it stopped before cleaning up: repair by actual status
        return maintainIndexes(current, null, current.status()).thenApply(v -> outcome);
    }

    /** The conditional batch of a move; {@code expectedBlockHash}, when given, also guards the source block. */
    private BatchStatement moveStatement(Transfer current, Transfer next, TransferEvent event, BlockHash expectedBlockHash) {
        BoundStatementBuilder update;
        if (event instanceof TransferEvent.Replaced) {
            update = replace.boundStatementBuilder()
                    .setString("dst_tx_hash", TransferRows.hex(next.dstTxHash()))
                    .setString("replaced_tx_hash", TransferRows.hex(current.dstTxHash()));
        } else {
            update = (expectedBlockHash == null ? move : moveFromBlock).boundStatementBuilder()
                    .setString("new_status", next.status().name())
                    .setString("stage", next.status().name())
                    .setInstant("stage_at", next.updatedAt());
            // only what changed is bound: an unset value leaves the column alone and writes no tombstone
            if (!Objects.equals(current.dstTxHash(), next.dstTxHash())) {
                update.setString("dst_tx_hash", TransferRows.hex(next.dstTxHash()));
            }
            if (!Objects.equals(current.failureReason(), next.failureReason())) {
                update.setString("failure_reason", next.failureReason());
            }
            if (current.confirmationsSeen() != next.confirmationsSeen()) {
                update.setLong("confirmations_seen", next.confirmationsSeen());
            }
            if (expectedBlockHash != null) {
                update.setString("expected_block_hash", expectedBlockHash.toHex());
            }
        }
        BoundStatement changed = update.setByteBuffer("message_id", TransferRows.key(current.id()))
                .setString("expected_status", current.status().name())
                .setInstant("updated_at", next.updatedAt())
                .build();
        return ctx.conditionalBatch(changed, history(current.id(), next.updatedAt(), current.status(), next.status(),
                event.cause()));
    }

    private BatchStatement relocateStatement(Transfer current, Transfer next, TransferEvent.Relocated event) {
        BoundStatement changed = relocateSource.boundStatementBuilder()
                .setByteBuffer("message_id", TransferRows.key(current.id()))
                .setString("status", next.status().name())
                .setString("src_tx_hash", next.source().txHash().toHex())
                .setLong("src_block_number", next.source().blockNumber())
                .setString("src_block_hash", next.source().blockHash().toHex())
                .setInt("src_log_index", next.source().logIndex())
                .setLong("confirmations_seen", next.confirmationsSeen())
                .setInstant("updated_at", next.updatedAt())
                .setString("expected_status", current.status().name())
                .setString("expected_block_hash", current.source().blockHash().toHex())
                .build();
        return ctx.conditionalBatch(changed, history(current.id(), next.updatedAt(), current.status(), next.status(),
                event.cause()));
    }

    /** Whether {@code row} names the block {@code t} is recorded in. */
    private static boolean inBlockOf(Transfer t, UnfinalizedTransfer row) {
        return t.source().blockNumber() == row.blockNumber() && t.source().blockHash().equals(row.blockHash());
    }

    /** Upserts the index rows of {@code t}'s source: its {@code unfinalized_transfers} and by-source-tx rows. */
    private CompletionStage<List<AsyncResultSet>> indexSource(Transfer t) {
        return Async.all(List.of(
                execute(ctx.idempotent(insertUnfinalized).setLong(0, t.message().srcChainId())
                        .setLong(1, t.source().blockNumber()).setByteBuffer(2, TransferRows.key(t.id()))
                        .setString(3, t.source().blockHash().toHex()).setInt(4, t.confirmationsRequired()).build()),
                execute(ctx.idempotent(insertBySource).setLong(0, t.message().srcChainId())
                        .setString(1, t.source().txHash().toHex()).setByteBuffer(2, TransferRows.key(t.id())).build())));
    }

    /**
     * Removes the index rows of {@code old} that {@code t} (now elsewhere) no longer uses: the unfinalized row when
     * the block number differs (same number: the row was overwritten in place), the by-source row when the
     * transaction differs. Failures are logged only (the rows are hints).
     */
    private CompletionStage<Void> dropSourceRows(Transfer t, SourceRef now, SourceRef old) {
        List<CompletionStage<AsyncResultSet>> deletes = new ArrayList<>();
        if (old.blockNumber() != now.blockNumber()) {
            deletes.add(execute(ctx.idempotent(deleteUnfinalized).setLong(0, t.message().srcChainId())
                    .setLong(1, old.blockNumber()).setByteBuffer(2, TransferRows.key(t.id())).build()));
        }
        if (!old.txHash().equals(now.txHash())) {
            deletes.add(execute(ctx.idempotent(deleteBySource).setLong(0, t.message().srcChainId())
                    .setString(1, old.txHash().toHex()).setByteBuffer(2, TransferRows.key(t.id())).build()));
        }
        return logged(Async.all(deletes), t, "the index rows of its former source " + old);
    }

    /** After a relocation was applied: drop the rows of the block the transfer left. */
    private CompletionStage<Void> dropSourceRows(Transfer before, SourceRef now) {
        return dropSourceRows(before, now, before.source());
    }

    /**
     * Puts the index rows back where {@code actual} really is, after a relocation lost its race or a stale row was
     * found: the unfinalized row of its source (if still {@code SENT}; otherwise the usual clean-up by status), and
     * no rows for {@code attempted} (a source it is not in), when given.
     */
    private CompletionStage<Void> repairSourceRows(Transfer actual, SourceRef attempted, BlockHash staleBlockHash) {
        CompletionStage<?> restore = actual.status() == TransferStatus.SENT
                ? indexSource(actual)
                : maintainIndexes(actual, null, actual.status());
        return logged(restore.thenCompose(v -> attempted == null || attempted.equals(actual.source())
                ? done(null)
                : dropSourceRows(actual, actual.source(), attempted)), actual,
                "index rows after a stale block " + staleBlockHash);
    }

    /** Deletes {@code row} when it names another block number than {@code t}'s (same number: it is t's own row). */
    private CompletionStage<Void> dropStaleRow(Transfer t, UnfinalizedTransfer row) {
        if (row.blockNumber() == t.source().blockNumber()) {
            return done(null);
        }
        return logged(execute(ctx.idempotent(deleteUnfinalized).setLong(0, t.message().srcChainId())
                .setLong(1, row.blockNumber()).setByteBuffer(2, TransferRows.key(t.id())).build()), t,
                "the stale unfinalized row of block " + row.blockNumber());
    }

    private static CompletionStage<Void> logged(CompletionStage<?> stage, Transfer t, String what) {
        return stage.handle((v, error) -> {
            if (error != null) {
                log.warn("transfer {}: could not fix {} (index rows are hints, repaired when read): {}", t.id(), what,
                        Async.unwrap(error).toString());
            }
            return null;
        });
    }

    private BoundStatement observeStatement(Transfer t) {
        return observe.boundStatementBuilder()
                .setByteBuffer("message_id", TransferRows.key(t.id()))
                .setString("status", t.status().name())
                .setLong("src_chain", t.message().srcChainId())
                .setString("src_gateway", t.message().srcGateway())
                .setLong("msg_nonce", t.message().nonce())
                .setLong("dst_chain", t.message().dstChainId())
                .setString("sender", t.message().sender())
                .setString("recipient", t.message().recipient())
                .setByteBuffer("payload", ByteBuffer.wrap(t.message().payload()))
                .setString("src_tx_hash", t.source().txHash().toHex())
                .setLong("src_block_number", t.source().blockNumber())
                .setString("src_block_hash", t.source().blockHash().toHex())
                .setInt("src_log_index", t.source().logIndex())
                .setInt("confirmations_required", t.confirmationsRequired())
                .setLong("confirmations_seen", t.confirmationsSeen())
                .setMap("stage_times", TransferRows.stageTimes(t.stageTimes()), String.class, Instant.class)
                .setInstant("created_at", t.createdAt())
                .setInstant("updated_at", t.updatedAt())
                .build();
    }

    private BoundStatement history(MessageId id, Instant at, TransferStatus from, TransferStatus to, String cause) {
        BoundStatementBuilder row = historyRow.boundStatementBuilder()
                .setByteBuffer("message_id", TransferRows.key(id))
                .setUuid("event_time", TimeUuids.at(at))
                .setString("to_status", to.name())
                .setString("cause", cause);
        if (from != null) {
            row.setString("from_status", from.name());
        }
        return row.build();
    }

    /**
     * Removes the index rows a transfer no longer belongs in: {@code unfinalized_transfers} once it left
     * {@code SENT}, {@code open_transfers} once terminal. {@code before} is the status the caller just moved it
     * from, or {@code null} when repairing (then the row may or may not be there). Failures are logged only.
     */
    private CompletionStage<Void> maintainIndexes(Transfer t, TransferStatus before, TransferStatus now) {
        List<CompletionStage<AsyncResultSet>> deletes = new ArrayList<>();
        boolean leftSent = now != TransferStatus.SENT && (before == null || before == TransferStatus.SENT);
        if (leftSent) {
            deletes.add(execute(ctx.idempotent(deleteUnfinalized).setLong(0, t.message().srcChainId())
                    .setLong(1, t.source().blockNumber()).setByteBuffer(2, TransferRows.key(t.id())).build()));
        }
        if (now.isTerminal()) {
            deletes.add(deleteOpenRow(t.message().dstChainId(), t.createdAt(), t.id()));
        }
        return Async.all(deletes).handle((v, error) -> {
            if (error != null) {
                log.warn("transfer {} is {} but its index rows could not be removed (they are repaired when read): {}",
                        t.id(), now, Async.unwrap(error).toString());
            }
            return null;
        });
    }

    private CompletionStage<AsyncResultSet> deleteOpenRow(long dstChain, Instant createdAt, MessageId id) {
        return execute(ctx.idempotent(deleteOpen).setLong(0, dstChain).setLocalDate(1, day(createdAt))
                .setInstant(2, createdAt).setByteBuffer(3, TransferRows.key(id)).build());
    }

    // ------------------------------------------------------------------ open transfers

    private CompletionStage<Void> openFrom(long dstChain, LocalDate day, LocalDate last, int limit, List<Transfer> out) {
        if (day.isAfter(last) || out.size() >= limit) {
            return done(null);
        }
        return execute(ctx.idempotent(selectOpen).setLong(0, dstChain).setLocalDate(1, day).build())
                .thenCompose(rs -> openPage(dstChain, rs, limit, out))
                .thenCompose(v -> openFrom(dstChain, day.plusDays(1), last, limit, out));
    }

    /** Loads one page of index rows at a time (at most {@code pageSize} reads in flight). */
    private CompletionStage<Void> openPage(long dstChain, AsyncResultSet rs, int limit, List<Transfer> out) {
        List<CompletionStage<Optional<Transfer>>> loads = new ArrayList<>();
        for (Row row : rs.currentPage()) {
            loads.add(openTransfer(dstChain, row.getInstant("created_at"), TransferRows.id(row.getByteBuffer("message_id"))));
        }
        return Async.all(loads).thenCompose(loaded -> {
            for (Optional<Transfer> t : loaded) {
                if (t.isPresent() && out.size() < limit) {
                    out.add(t.get());
                }
            }
            return out.size() < limit && rs.hasMorePages()
                    ? rs.fetchNextPage().thenCompose(next -> openPage(dstChain, next, limit, out))
                    : done(null);
        });
    }

    /**
     * The transfer an {@code open_transfers} row points at, if it is really open. A row for a terminal transfer
     * (clean-up missed) or with another creation time (a second node observed the same log) is deleted. A row
     * without a transfer is left alone: its observation may be in progress.
     */
    private CompletionStage<Optional<Transfer>> openTransfer(long dstChain, Instant createdAt, MessageId id) {
        return find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return done(Optional.<Transfer>empty());
            }
            Transfer t = found.get();
            if (t.status().isTerminal() || !t.createdAt().equals(createdAt)) {
                log.debug("removing stale open_transfers row of {} (status {}, created {} vs row {})",
                        id, t.status(), t.createdAt(), createdAt);
                return deleteOpenRow(dstChain, createdAt, id).handle((v, e) -> Optional.<Transfer>empty());
            }
            return done(found);
        });
    }

    // ------------------------------------------------------------------ helpers

    private CompletionStage<Optional<TransferStatus>> status(MessageId id) {
        return execute(ctx.idempotent(selectStatus).setByteBuffer(0, TransferRows.key(id)).build())
                .thenApply(rs -> {
                    Row row = rs.one();
                    String name = row == null ? null : row.getString("status");
                    return Optional.ofNullable(name).map(n -> TransferRows.status(id, n));
                });
    }

    private CompletionStage<AsyncResultSet> execute(BoundStatement statement) {
        return ctx.session.executeAsync(statement);
    }

    /** Open transfers are bucketed by the UTC day they were created. */
    static LocalDate day(Instant createdAt) {
        return LocalDate.ofInstant(createdAt, ZoneOffset.UTC);
    }
}
