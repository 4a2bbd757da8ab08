package io.courier.relayer.submit;

import io.courier.chain.ChainClient;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeeBump;
import io.courier.fees.FeePricer;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Transfer;
import io.courier.finality.store.SubmissionStore;
import io.courier.finality.store.TransferStore;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * The nonces of one signer on one destination chain (one manager per (chain, signer), owned by its submitter actor):
 * allocation ({@link NonceAllocator}), recovery of every unmined nonce ({@link NonceRecovery}), fills of nonces nothing
 * of ours can use, and the transactions signed at each nonce with their fee bumps ({@link NonceAttempts}). ADR 004:
 * a nonce goes back to allocation only when nothing was recorded for it; a recorded one is adopted or filled.
 * The instance is single-threaded state without I/O; the static reads and sends touch none of it.
 */
final class NonceManager {

    /** Why a taken nonce was not used by its transaction. */
    enum Unused {
        /** Its submission's record was certainly not written and nothing was sent: handed out again. */
        NOTHING_RECORDED,
        /** Recorded but never sent (its transfers moved away): never handed out again; recovery adopts or fills it. */
        RECORDED_NOT_SENT
    }

    private static final BigInteger FILL_GAS = BigInteger.valueOf(21_000);

    private final NonceAllocator allocator;
    private final Set<Long> filling = new HashSet<>();
    /** Nonces whose transaction was recorded but never sent: recovery adopts or fills each before it is dropped. */
    private final Set<Long> unsent = new TreeSet<>();
    /** This incarnation's transactions by nonce, with their fee-bump replacements: receipts are asked of all. */
    private final Map<Long, NonceAttempts> attempts = new HashMap<>();

    /** @param firstFree the recovery plan's first free nonce */
    NonceManager(long firstFree) {
        this.allocator = new NonceAllocator(firstFree);
    }

    long take() {
        return allocator.take();
    }

    void unused(long nonce, Unused why) {
        if (why == Unused.NOTHING_RECORDED) {
            allocator.giveBack(nonce);
        } else {
            unsent.add(nonce);
        }
    }

    /** Every nonce handed out was used or is accounted for: with nothing in flight, no nonce check is needed. */
    boolean settled() {
        return allocator.peekNext() == allocator.next() && unsent.isEmpty();
    }

    /**
     * The steps of {@code plan} the present state does not already cover, their nonces claimed: a nonce held by a
     * transaction in flight ({@code held}) or being filled is left alone; an adoption whose transfers are busy
     * elsewhere ({@code busy}) is skipped; only nonces this manager handed out (or was built past) are adopted or
     * filled. A {@link NonceRecovery.Fill} returned is being filled from now on ({@link #filled} ends it).
     */
    List<NonceRecovery.Step> recover(NonceRecovery.Plan plan, Set<Long> held, Predicate<NonceRecovery.Adopt> busy) {
        List<NonceRecovery.Step> todo = new ArrayList<>();
        for (NonceRecovery.Step step : plan.steps()) {
            long nonce = step.nonce();
            if (held.contains(nonce) || filling.contains(nonce)) {
                continue;
            }
            if (step instanceof NonceRecovery.Follow) {
                todo.add(step);
            } else if (step instanceof NonceRecovery.Adopt adopt) {
                if (!busy.test(adopt) && nonce < allocator.next()) {
                    allocator.claim(nonce);
                    todo.add(step);
                }
            } else if (nonce < allocator.next()) {
                allocator.claim(nonce);
                filling.add(nonce);
                todo.add(step);
            }
        }
        return todo;
    }

    /** After a nonce check: the plan starts at the chain's mined nonce, so an unsent nonce below it is used for good. */
    void checked(NonceRecovery.Plan plan) {
        long mined = plan.steps().isEmpty() ? plan.firstFree() : plan.steps().get(0).nonce();
        unsent.removeIf(n -> n < mined);
    }

    /** The node refused the transaction at {@code nonce} for good: true when a fill is to start (none is under way). */
    boolean refused(long nonce) {
        return filling.add(nonce);
    }

    /** A fill's send answered (sent or not: the next check retries a failed one). */
    void filled(long nonce) {
        filling.remove(nonce);
    }

    // ── transactions at each nonce (fee bumps, docs/adr/004 "Fees and bumps") ──────────────────────────

    Optional<NonceAttempts> attempts(long nonce) {
        return Optional.ofNullable(attempts.get(nonce));
    }

    /**
     * The hashes to ask a receipt of for transaction {@code hash} at {@code nonce} (empty: not ours): every attempt at the
     * nonce, newest first, when it is one of them (any of them may be the one mined), else itself.
     */
    List<TxHash> receiptHashes(OptionalLong nonce, TxHash hash) {
        return nonce.stream().boxed().flatMap(n -> attempts(n).stream()).filter(a -> a.hashes().contains(hash)).findFirst()
                .map(NonceAttempts::newestFirst).orElse(List.of(hash));
    }

    void track(NonceAttempts a) {
        attempts.put(a.nonce(), a);
    }

    /** The transaction at {@code nonce} was mined (confirmed): its attempts are forgotten, and returned. */
    Optional<NonceAttempts> mined(long nonce) {
        return Optional.ofNullable(attempts.remove(nonce));
    }

    /** {@link #mined} for a transaction's nonce, if it holds one: true when it had been left alone (bumps exhausted). */
    boolean minedLeftAlone(OptionalLong nonce) {
        return nonce.isPresent() && mined(nonce.getAsLong()).map(NonceAttempts::exhausted).orElse(false);
    }

    /**
     * The newest transaction at {@code nonce} ({@code newest}) was seen unmined with the head at {@code head}: its bump
     * clock starts at the first sighting. The attempts to replace now (marked as being bumped), or empty.
     */
    Optional<NonceAttempts> unmined(long nonce, TxHash newest, long head, FeeSettings fees) {
        NonceAttempts a = attempts.get(nonce);
        if (a == null || !a.newest().equals(newest)) {
            return Optional.empty();
        }
        a = a.seenUnminedAt(head);
        attempts.put(nonce, a.bumpDue(head, fees) ? a.bumping(true) : a);
        return a.bumpDue(head, fees) ? Optional.of(a) : Optional.empty();
    }

    /** What a priced bump ({@link FeeBump#next}) means for the transaction at its nonce. */
    sealed interface Bump {

        /** Nothing to do now: mined meanwhile, or the market does not ask for more (its clock starts again). */
        record NotNow() implements Bump {}

        /** The bumps allowed are made, or the cap reached: left alone, to be reported. */
        record LeftAlone(NonceAttempts attempts, FeeBump.Exhausted why) implements Bump {}

        /** Replace the newest attempt with one at {@code fees}. */
        record Replace(NonceAttempts attempts, Fees fees) implements Bump {}
    }

    /** A bump of {@code nonce} was priced with the head at {@code head}; empty {@code outcome}: pricing failed (retried later). */
    Bump bumpPriced(long nonce, long head, Optional<FeeBump.Outcome> outcome) {
        NonceAttempts a = attempts.get(nonce);
        if (a == null || !a.bumping()) {
            return new Bump.NotNow(); // mined meanwhile
        }
        if (outcome.isEmpty()) {
            attempts.put(nonce, a.bumping(false)); // the next receipt round asks again
            return new Bump.NotNow();
        }
        if (outcome.get() instanceof FeeBump.Exhausted exhausted) {
            attempts.put(nonce, a.exhaust());
            return new Bump.LeftAlone(a, exhausted);
        }
        if (outcome.get() instanceof FeeBump.Replace replace) {
            return new Bump.Replace(a, replace.fees());
        }
        attempts.put(nonce, a.waitFrom(head));
        return new Bump.NotNow();
    }

    /** The bump of {@code nonce} was not made (nothing in flight carries it any more). */
    void bumpDropped(long nonce) {
        NonceAttempts a = attempts.get(nonce);
        if (a != null) {
            attempts.put(nonce, a.bumping(false));
        }
    }

    /**
     * The replacement {@code replacement} of {@code before} never became anyone's transaction (nothing recorded, or nothing
     * carried it): the previous attempt is followed again and bumped again later. False when the attempts moved on meanwhile.
     */
    boolean replacementLost(NonceAttempts before, TxHash replacement) {
        NonceAttempts now = attempts.get(before.nonce());
        if (now == null || !now.newest().equals(replacement)) {
            return false;
        }
        attempts.put(before.nonce(), before.waitFrom(now.sentAtBlock().orElse(0)));
        return true;
    }

    /** Transactions left alone at their last bump or the cap, unmined. */
    long exhausted() {
        return attempts.values().stream().filter(NonceAttempts::exhausted).count();
    }

    // ── reads and sends (no state) ───────────────────────────────────────────────────────────────────

    /** The chain's mined and pending nonces, the submissions recorded from the mined one on, and their transfers. */
    static CompletionStage<NonceRecovery.Plan> readPlan(ChainClient client, SubmissionStore submissions, TransferStore transfers,
                                                        long chainId, Address signer) {
        return client.nonce(signer, false).thenCombine(client.nonce(signer, true), (mined, pending) -> new long[] {mined, pending})
                .thenCompose(chain -> submissions.list(chainId, signer, chain[0], NonceRecovery.MAX_SPAN).thenCompose(recorded -> {
                    Set<MessageId> ids = new LinkedHashSet<>();
                    recorded.forEach(sub -> ids.addAll(sub.messageIds()));
                    Map<MessageId, Transfer> found = new ConcurrentHashMap<>();
                    CompletableFuture<?>[] reads = ids.stream().map(id -> transfers.find(id)
                            .thenAccept(t -> t.ifPresent(x -> found.put(id, x))).toCompletableFuture()).toArray(CompletableFuture[]::new);
                    return CompletableFuture.allOf(reads).thenApply(x -> NonceRecovery.plan(chain[0], chain[1], recorded, found));
                }));
    }

    /** A no-op (0 value to itself) at {@code nonce}, so the transactions after it can be mined; priced now. */
    static CompletionStage<TxHash> sendFill(long nonce, FeeQuotes fees, ChainSigner signer, ChainClient client) {
        return fees.price().thenCompose(outcome -> {
            if (!(outcome instanceof FeePricer.Priced priced)) {
                return CompletableFuture.failedFuture(new IllegalStateException(FeeQuotes.overCap((FeePricer.OverCap) outcome)));
            }
            ChainSigner.Signed fill = signer.sign(nonce, FILL_GAS, signer.address(), "0x", priced.fees());
            return client.sendRawTransaction(fill.raw()).thenApply(h -> fill.hash());
        });
    }
}
