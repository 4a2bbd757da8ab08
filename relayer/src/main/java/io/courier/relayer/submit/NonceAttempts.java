package io.courier.relayer.submit;

import io.courier.chain.message.TxHash;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Submission;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The transactions this signer signed at one nonce: the first and its fee-bump replacements, newest last (docs/adr/004,
 * "Fees and bumps"). Any of them may be the one mined, so all are asked for a receipt; only the newest is bumped.
 * {@code sentAtBlock}: the destination head when the newest was first seen unmined (empty until a receipt round saw
 * it); a bump is due {@code bump-after-blocks} later. Pure values; the submitter actor holds them.
 *
 * @param current   the newest attempt's record (what a replacement names as previous)
 * @param exhausted the bumps allowed were all made, or the cap reached: left alone and reported
 */
record NonceAttempts(long nonce, List<TxHash> hashes, Fees fees, String calldata, BigInteger gasLimit, Submission current,
                     OptionalLong sentAtBlock, int bumps, boolean bumping, boolean exhausted) {

    NonceAttempts {
        hashes = List.copyOf(hashes);
    }

    static NonceAttempts first(Submission record, Fees fees, String calldata, BigInteger gasLimit) {
        return new NonceAttempts(record.nonce(), List.of(record.txHash()), fees, calldata, gasLimit, record, OptionalLong.empty(),
                0, false, false);
    }

    /**
     * The attempts at a nonce recorded before a restart: {@code current} (the one its transfers are SUBMITTED with) after
     * {@code earlier}, the attempts it replaced, oldest first. The bumps already made count against max-bumps, and the
     * bump clock starts at the first sighting, as for a new transaction. Empty when {@code current}'s bytes are not
     * recorded or not readable (it is then followed, but never bumped).
     */
    static Optional<NonceAttempts> recovered(Submission current, List<Submission> earlier) {
        return current.raw().flatMap(ChainSigner::unsigned).map(u -> {
            List<TxHash> hashes = new ArrayList<>(earlier.stream().map(Submission::txHash).toList());
            hashes.add(current.txHash());
            return new NonceAttempts(current.nonce(), hashes, u.fees(), u.data(), u.gasLimit(), current, OptionalLong.empty(),
                    earlier.size(), false, false);
        });
    }

    TxHash newest() {
        return hashes.get(hashes.size() - 1);
    }

    /** Hashes newest first: the order receipts are asked in. */
    List<TxHash> newestFirst() {
        List<TxHash> out = new ArrayList<>(hashes);
        java.util.Collections.reverse(out);
        return out;
    }

    /** Seen unmined with the head at {@code head}: the bump clock starts at the first sighting. */
    NonceAttempts seenUnminedAt(long head) {
        return sentAtBlock.isPresent() ? this : new NonceAttempts(nonce, hashes, fees, calldata, gasLimit, current, OptionalLong.of(head),
                bumps, bumping, exhausted);
    }

    boolean bumpDue(long head, FeeSettings settings) {
        return !bumping && !exhausted && sentAtBlock.isPresent() && head >= sentAtBlock.getAsLong() + settings.bumpAfterBlocks();
    }

    NonceAttempts bumping(boolean on) {
        return new NonceAttempts(nonce, hashes, fees, calldata, gasLimit, current, sentAtBlock, bumps, on, exhausted);
    }

    /** The market did not move past what is in flight: wait another {@code bump-after-blocks} from {@code head}. */
    NonceAttempts waitFrom(long head) {
        return new NonceAttempts(nonce, hashes, fees, calldata, gasLimit, current, OptionalLong.of(head), bumps, false, exhausted);
    }

    NonceAttempts exhaust() {
        return new NonceAttempts(nonce, hashes, fees, calldata, gasLimit, current, sentAtBlock, bumps, false, true);
    }

    /** {@code replacement} (same nonce, higher fees) is the newest now; its clock starts at the next sighting. */
    NonceAttempts replacedBy(Submission replacement, Fees newFees) {
        List<TxHash> all = new ArrayList<>(hashes);
        all.add(replacement.txHash());
        return new NonceAttempts(nonce, all, newFees, calldata, gasLimit, replacement, OptionalLong.empty(), bumps + 1, false, false);
    }
}
