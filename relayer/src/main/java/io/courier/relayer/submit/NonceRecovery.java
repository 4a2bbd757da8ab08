package io.courier.relayer.submit;

import io.courier.chain.message.MessageId;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Decides what happens to each nonce of the signer that the destination chain has not mined yet, from the
 * chain's nonces, the recorded submissions and the transfers they carry. Any nonce left without a transaction
 * blocks every later one of the signer forever, so each nonce in {@code [mined, firstFree)} gets exactly one
 * step:
 * <ul>
 *   <li>{@link Follow}: a transfer is SUBMITTED with the recorded transaction; track it, broadcast it again.</li>
 *   <li>{@link Adopt}: the transaction was recorded but the node stopped before SUBMITTED was persisted (or the
 *       write's outcome was unknown): persist SUBMITTED with it, then broadcast it. Its signatures are as good as
 *       a new transaction's, and it keeps the nonce.</li>
 *   <li>{@link Fill}: nothing of ours can use the nonce any more (no record, or its transfers moved on): a
 *       no-op transaction closes the gap.</li>
 * </ul>
 * Pure: the submitter reads the inputs, applies the steps, and skips those the present state already covers.
 */
public final class NonceRecovery {

    public sealed interface Step {
        long nonce();
    }

    /** {@code earlier}: the attempts at the nonce that {@code submission} replaced (fee bumps), oldest first. */
    public record Follow(long nonce, Submission submission, List<Transfer> transfers, List<Submission> earlier) implements Step {

        public Follow {
            transfers = List.copyOf(transfers);
            earlier = List.copyOf(earlier);
        }

        public Follow(long nonce, Submission submission, List<Transfer> transfers) {
            this(nonce, submission, transfers, List.of());
        }
    }

    public record Adopt(long nonce, Submission submission, List<Transfer> transfers) implements Step {}

    public record Fill(long nonce) implements Step {}

    /** {@code firstFree}: the first nonce no record and no pooled transaction uses. Steps are in nonce order. */
    public record Plan(long firstFree, List<Step> steps) {

        /** For the log: each unmined nonce and what is done with it ("7 follow, 8 fill"). */
        String describe() {
            StringBuilder out = new StringBuilder();
            for (Step step : steps) {
                out.append(out.length() == 0 ? "" : ", ").append(step.nonce()).append(' ').append(step.getClass().getSimpleName().toLowerCase());
            }
            return out.toString();
        }
    }

    /** Larger spans are not recovered in one go (a signer never has that many transactions pending). */
    public static final int MAX_SPAN = 10_000;

    private NonceRecovery() {}

    /**
     * @param mined     the chain's nonce at {@code latest}: every lower nonce is used for good
     * @param pending   the chain's nonce at {@code pending} (some nodes ignore pooled transactions here)
     * @param recorded  submissions of the signer with nonces {@code >= mined} (others are ignored)
     * @param transfers the transfers those submissions carry, as stored now; a missing one counts as moved on
     */
    public static Plan plan(long mined, long pending, List<Submission> recorded, Map<MessageId, Transfer> transfers) {
        if (mined < 0 || pending < 0) {
            throw new IllegalArgumentException("nonces must be >= 0: mined " + mined + ", pending " + pending);
        }
        TreeMap<Long, List<Submission>> byNonce = new TreeMap<>();
        Map<Long, List<Submission>> replaced = new HashMap<>();
        for (Submission s : recorded) {
            if (s.nonce() >= mined) {
                (s.replacement().isEmpty() ? byNonce : replaced).computeIfAbsent(s.nonce(), n -> new ArrayList<>()).add(s);
            }
        }
        long firstFree = Math.max(Math.max(mined, pending), byNonce.isEmpty() ? 0 : byNonce.lastKey() + 1);
        firstFree = Math.min(firstFree, mined + MAX_SPAN);
        List<Step> steps = new ArrayList<>();
        for (long n = mined; n < firstFree; n++) {
            steps.add(stepFor(n, byNonce.getOrDefault(n, List.of()), replaced.getOrDefault(n, List.of()), transfers));
        }
        return new Plan(firstFree, List.copyOf(steps));
    }

    private static Step stepFor(long nonce, List<Submission> candidates, List<Submission> replaced, Map<MessageId, Transfer> transfers) {
        for (Submission s : candidates) {
            List<Transfer> carrying = carried(s, transfers, TransferStatus.SUBMITTED).stream()
                    .filter(t -> t.destinationTx().map(s.txHash()::equals).orElse(false)).toList();
            if (!carrying.isEmpty()) {
                // the bumps made before a restart: their receipts are asked too, and they count against max-bumps
                List<Submission> earlier = replaced.stream().filter(r -> r.messageIds().equals(s.messageIds()))
                        .sorted(Comparator.comparing(Submission::submittedAt)).toList();
                return new Follow(nonce, s, carrying, earlier);
            }
        }
        for (Submission s : candidates) {
            List<Transfer> attested = carried(s, transfers, TransferStatus.ATTESTED);
            if (!attested.isEmpty() && s.raw().isPresent()) {
                return new Adopt(nonce, s, attested);
            }
        }
        return new Fill(nonce);
    }

    private static List<Transfer> carried(Submission s, Map<MessageId, Transfer> transfers, TransferStatus status) {
        return s.messageIds().stream().map(id -> Optional.ofNullable(transfers.get(id)))
                .flatMap(Optional::stream).filter(t -> t.status() == status).toList();
    }
}
