package io.courier.finality.store;

import io.courier.chain.message.MessageId;
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
 * Durable transfers: the record, its history and the work indexes (DESIGN §4). The Cassandra implementation
 * is {@link CassandraTransferStore}, made by {@link CassandraStores}.
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
     * <p>{@code at} is kept at millisecond precision and, so that the history reads in status order even when
     * node clocks disagree, never earlier than the transfer's last update (it is moved to 1 ms after it).
     */
    CompletionStage<TransitionOutcome> transition(MessageId id, TransferStatus expected, TransferEvent event, Instant at);

    /** Records the confirmation count last seen for {@code id}; a plain write, no history, no condition. */
    CompletionStage<Void> updateConfirmations(MessageId id, long seen);

    CompletionStage<Optional<Transfer>> find(MessageId id);

    /** The transfers whose {@code MessageSent} log is in source transaction {@code txHash}, by log index. */
    CompletionStage<List<Transfer>> findBySourceTx(long srcChain, String txHash);

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
