package io.courier.finality.store;

import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;

import io.courier.chain.message.MessageId;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferHistoryEntry;
import io.courier.finality.TransferStatus;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

/**
 * Durable transfers: the record, its history and the work indexes (docs/ARCHITECTURE.md §4). The Cassandra implementation
 * is the Cassandra store of the {@code finality-tracker} module.
 *
 * <p><b>Asynchronous, never blocking.</b> Every method returns at once; the stage completes on a driver I/O
 * thread, so continuations must not block either (use {@code pipeToSelf} in actors, or an {@code *Async}
 * continuation on an executor of your own). Failures complete the stage exceptionally with a
 * {@link StoreException} (naming the message id) or, for a transition the state machine forbids, an
 * {@link io.courier.finality.TransitionRejectedException}.
 *
 * <p><b>Bounding work in flight is the caller's business.</b> The driver allows 1,024 requests per connection
 * and fails the rest ("No connection was available"); a caller that fans out (a watcher recording a range of
 * logs, a submitter batch) caps its outstanding calls, e.g. a few hundred per node. Methods that fan out
 * themselves ({@link #open}, {@link #findBySourceTx}) do so one result page at a time.
 *
 * <p><b>Ordering rule: persist before acting.</b> A component records a transition here and only then performs
 * its side effect (signs, broadcasts, reports). A crash in between leaves a status that says what may have
 * happened, never an action the store does not know about.
 */
public interface TransferStore {

    /**
     * Records a transfer seen on its source chain, in {@link TransferStatus#SENT}. Idempotent: the index rows are
     * written first (upserts), then the record and its first history row ({@code "observed in block N tx H"})
     * only if no transfer with this id exists. Completes with {@code true} if this call created it.
     */
    CompletionStage<Boolean> recordObserved(Transfer transfer);

    /**
     * Moves transfer {@code id} from {@code expected} by {@code event}, at {@code at}: validated by the state
     * machine first (a forbidden move fails with {@link io.courier.finality.TransitionRejectedException} before
     * any I/O), then one conditional write of the new status and its history row, then index maintenance.
     *
     * <p>A {@link TransferEvent.Relocated} event is applied as {@link #relocate}, guarded by its {@code from}
     * (the transfer must still be in that block).
     *
     * <p>{@code at} is kept at millisecond precision and, so that the history reads in status order even when
     * node clocks disagree, never earlier than the transfer's last update (it is moved to 1 ms after it).
     */
    CompletionStage<TransitionOutcome> transition(MessageId id, TransferStatus expected, TransferEvent event, Instant at);

    /**
     * Moves {@code SENT} transfer {@code id} to {@code newSource}: after a reorg its log was included again in
     * another canonical block (usually the same transaction, re-mined). The transfer keeps its id and status; its
     * source, a history row {@code "reorg: moved from block A (hash) to block B (hash)"} (a
     * {@link TransferEvent.Relocated}) and a confirmation count reset to 0 are written in one conditional batch
     * {@code IF status = 'SENT' AND src_block_hash = <the block it was read in>}. Index rows: the new
     * {@code unfinalized_transfers} (and, if the tx hash changed, {@code transfers_by_source_tx}) row is written
     * first, the old one removed after.
     *
     * <p>A {@code REORGED} transfer is revived the same way (its log is canonical again, e.g. its transaction came
     * back from the mempool after the finality depth): status {@code SENT}, the new source, the history row, and its
     * {@code open_transfers} row back; it then waits for finality again (it was never attested).
     *
     * <p>Outcomes: {@code Applied(updated)}; {@code AlreadyApplied(current)} when the transfer already has
     * {@code newSource} (a replay, whatever its status now, unless REORGED); {@code Conflict(id, actual)} when it is
     * neither {@code SENT} nor {@code REORGED}, or — {@code actual == SENT} — when another caller moved it to a
     * different block meanwhile; {@code NotFound}.
     *
     * <p>It moves the transfer from wherever it is recorded when read; to move it only from a known block (two
     * nodes acting on the same reorg), use {@code transition(id, SENT, new Relocated(from, to), at)}, which is the
     * same write guarded by {@code from}. {@code at} is treated as in {@link #transition}.
     */
    CompletionStage<TransitionOutcome> relocate(MessageId id, SourceRef newSource, Instant at);

    /**
     * Marks the transfer of an {@code unfinalized_transfers} row {@code REORGED} — only if it is still {@code SENT}
     * <em>in the block the row names</em> ({@code IF status = 'SENT' AND src_block_hash = row.blockHash}). Prefer
     * this to {@code transition(id, SENT, Reorged)} when acting on index rows: after a {@link #relocate} the old
     * block's row may outlive the move (its clean-up comes after the write), and a plain transition would then
     * mark a relocated, perfectly alive transfer {@code REORGED}. Such a stale row is deleted here and answered
     * with {@code Conflict(id, SENT)}.
     *
     * <p>Other outcomes as {@link #transition}: {@code Applied}, {@code AlreadyApplied} (already {@code REORGED}),
     * {@code Conflict(id, actual)}, {@code NotFound}.
     */
    CompletionStage<TransitionOutcome> markReorged(UnfinalizedTransfer row, TransferEvent.Reorged event, Instant at);

    /** Records the confirmation count last seen for {@code id}; a plain write, no history, no condition. */
    CompletionStage<Void> updateConfirmations(MessageId id, long seen);

    CompletionStage<Optional<Transfer>> find(MessageId id);

    /** The transfers whose {@code MessageSent} log is in source transaction {@code txHash}, by log index. */
    CompletionStage<List<Transfer>> findBySourceTx(long srcChain, TxHash txHash);

    /**
     * Puts {@code t} on the pages of each of {@code addresses} ({@code 0x} + 40 hex digits, any case): the message's
     * sender and recipient, the account that signed the source transaction, a recipient named in the payload.
     * Plain idempotent upserts into {@code transfers_by_address}, keyed by address and month of {@code createdAt};
     * written before the transfer itself, like the other index rows, so a row may briefly name an unknown id.
     */
    CompletionStage<Void> indexAddresses(Transfer t, java.util.Set<Address> addresses);

    /**
     * A page of {@code address}'s transfers, newest first: at most {@code limit} that pass {@code filter}, starting
     * after {@code cursor} (from a previous page's {@link AddressPage#next()}), looking back from {@code newest} over
     * at most {@code months} months. Work is bounded: a page examines at most a fixed number of index rows (the store's
     * configuration; ADR 005), so a selective filter may give a short, even empty, page with a {@code next} cursor.
     *
     * @throws IllegalArgumentException (in the stage) for a malformed address or cursor
     */
    CompletionStage<AddressPage> byAddress(Address address, java.time.YearMonth newest, int months, Optional<String> cursor,
                                           int limit, java.util.function.Predicate<Transfer> filter);

    /** The history of {@code id}, oldest first (the first entry is the observation); empty if unknown. */
    CompletionStage<List<TransferHistoryEntry>> history(MessageId id);

    /** The transfers of {@code srcChain} waiting for finality, by block number. */
    default CompletionStage<List<UnfinalizedTransfer>> unfinalized(long srcChain) {
        return unfinalized(srcChain, 0);
    }

    /**
     * The transfers of {@code srcChain} waiting for finality in blocks {@code >= fromBlock}. Start from the
     * lowest block the caller still cares about: rows of transfers that left {@code SENT} are deleted, and
     * reading from a higher block skips their tombstones.
     */
    CompletionStage<List<UnfinalizedTransfer>> unfinalized(long srcChain, long fromBlock);

    /** The non-terminal transfers to {@code dstChain} created on days {@code fromDay..toDay} (UTC, inclusive). */
    default CompletionStage<List<Transfer>> open(long dstChain, LocalDate fromDay, LocalDate toDay) {
        return open(dstChain, fromDay, toDay, Integer.MAX_VALUE);
    }

    /**
     * The first {@code limit} non-terminal transfers to {@code dstChain} created on days {@code fromDay..toDay}
     * (UTC, inclusive), oldest first, reading the day buckets one page at a time.
     */
    CompletionStage<List<Transfer>> open(long dstChain, LocalDate fromDay, LocalDate toDay, int limit);
}
