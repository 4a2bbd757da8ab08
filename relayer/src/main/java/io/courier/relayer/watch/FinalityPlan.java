package io.courier.relayer.watch;

import io.courier.chain.BlockHeader;
import io.courier.finality.ChainTip;
import io.courier.finality.FinalityPolicy;
import io.courier.finality.store.UnfinalizedTransfer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What one poll cycle does with the transfers waiting for finality on its chain, decided from what it read: the
 * waiting rows and the canonical header of each distinct block among them that may be final (pure; the watcher
 * executes the plan).
 *
 * @param toFinalize       rows in a canonical block the policy calls final: move to FINALIZED
 * @param orphaned         rows whose block is no longer canonical: re-included elsewhere, or REORGED
 * @param confirm          rows still waiting whose confirmation count is to be recorded (for the API)
 * @param stillWaitingFrom the lowest block of a row this plan leaves waiting, or {@code noneWaiting}
 */
record FinalityPlan(List<Finalize> toFinalize, List<Orphaned> orphaned, List<Confirm> confirm, long stillWaitingFrom) {

    record Finalize(UnfinalizedTransfer row, long seen) {}

    record Orphaned(UnfinalizedTransfer row, Optional<BlockHeader> canonical) {}

    record Confirm(UnfinalizedTransfer row, long confirmations) {}

    /**
     * @param blocks             the canonical header of the rows' blocks that are final by height (empty: no such
     *                           block); a row whose block is missing from the map keeps waiting
     * @param scannedTo          rows above the scan cursor are left alone (their block's logs are not all recorded)
     * @param writeConfirmations whether to record confirmation counts this cycle
     * @param noneWaiting        {@link #stillWaitingFrom} when every row is settled
     */
    static FinalityPlan of(FinalityPolicy policy, List<UnfinalizedTransfer> rows, Map<Long, Optional<BlockHeader>> blocks,
                           BlockHeader head, ChainTip tip, long scannedTo, Instant now, boolean writeConfirmations,
                           long noneWaiting) {
        long finalizedHeight = policy.finalizedHeight(tip);
        List<Finalize> finalize = new ArrayList<>();
        List<Orphaned> orphaned = new ArrayList<>();
        List<Confirm> confirm = new ArrayList<>();
        long waitingFrom = noneWaiting;
        for (UnfinalizedTransfer row : rows) {
            long block = row.blockNumber();
            Optional<BlockHeader> canonical = blocks.get(block);
            if (block > scannedTo || block > finalizedHeight || canonical == null) {
                waitingFrom = Math.min(waitingFrom, block);
                if (block <= scannedTo && block > finalizedHeight && writeConfirmations
                        && policy instanceof FinalityPolicy.Confirmations c) {
                    confirm.add(new Confirm(row, c.confirmations(block, head.number())));
                }
                continue;
            }
            if (!canonical.map(b -> b.hash().equals(row.blockHash())).orElse(false)) {
                orphaned.add(new Orphaned(row, canonical));
            } else if (policy.isFinal(block, Instant.ofEpochSecond(canonical.get().timestamp()), tip, now)) {
                finalize.add(new Finalize(row, Math.max(1, head.number() - block + 1)));
            } else {
                waitingFrom = Math.min(waitingFrom, block); // a tag policy's minimum age not reached yet
            }
        }
        return new FinalityPlan(List.copyOf(finalize), List.copyOf(orphaned), List.copyOf(confirm), waitingFrom);
    }

    /** The highest block this plan finalizes a transfer in, or {@link ChainTip#UNKNOWN}. */
    long highestFinal() {
        return toFinalize.stream().mapToLong(f -> f.row().blockNumber()).max().orElse(ChainTip.UNKNOWN);
    }
}
