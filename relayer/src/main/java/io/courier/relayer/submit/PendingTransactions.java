package io.courier.relayer.submit;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import io.courier.relayer.submit.Inflight.Resend;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * The destination transactions the submitter follows to their outcome: one entry per transaction, holding its
 * {@link TxLifecycle} state, how many messages it was built with when it is a batch, and the entry ({@link Inflight}) of
 * each message it carries. A message is carried by at most one transaction here; a transaction with no message left is
 * forgotten. Plain single-threaded state without I/O, owned by the submitter actor.
 */
final class PendingTransactions {

    /** A transaction followed now, as it is (a copy: changing it changes nothing here). */
    record Pending(TxHash hash, TxLifecycle.State state, int batchOf, List<Inflight> members) {

        Pending {
            members = List.copyOf(members);
        }

        /** The signer's nonce it holds (its first member's that holds one); empty when it is not known to be ours. */
        OptionalLong nonce() {
            return members.stream().map(Inflight::heldNonce).filter(OptionalLong::isPresent).findFirst().orElse(OptionalLong.empty());
        }

        List<MessageId> ids() {
            return members.stream().map(m -> m.transfer().id()).toList();
        }
    }

    private static final class Tx {
        TxLifecycle.State state;
        /** The messages it was built with when more than one (a reverted batch is re-planned, not FAILED); 0 otherwise. */
        int batchOf;
        final Map<MessageId, Inflight> members = new LinkedHashMap<>();

        Tx(TxLifecycle.State state) {
            this.state = state;
        }
    }

    private final Map<TxHash, Tx> byHash = new LinkedHashMap<>();
    private final Map<MessageId, TxHash> byMessage = new HashMap<>();

    boolean isEmpty() {
        return byHash.isEmpty();
    }

    /** How many distinct transactions are followed ({@code max-in-flight} counts them). */
    int transactions() {
        return byHash.size();
    }

    boolean carries(MessageId id) {
        return byMessage.containsKey(id);
    }

    /** The entry followed for {@code id}, if any. */
    Optional<Inflight> entry(MessageId id) {
        TxHash hash = byMessage.get(id);
        return hash == null ? Optional.empty() : Optional.of(byHash.get(hash).members.get(id));
    }

    /** Whether {@code f}'s transaction is still the one followed for its message. */
    boolean follows(Inflight f) {
        return f.sameTx(entry(f.transfer().id()).orElse(null));
    }

    Optional<Pending> pending(TxHash hash) {
        Tx tx = byHash.get(hash);
        return tx == null ? Optional.empty() : Optional.of(view(hash, tx));
    }

    /** Every transaction followed now, with its members as they are: what a receipt round asks about. */
    List<Pending> snapshot() {
        List<Pending> out = new ArrayList<>();
        byHash.forEach((hash, tx) -> out.add(view(hash, tx)));
        return out;
    }

    /** The nonces held by the transactions followed (a nonce check leaves them alone). */
    Set<Long> heldNonces() {
        Set<Long> held = new HashSet<>();
        byHash.values().forEach(tx -> tx.members.values().forEach(m -> m.heldNonce().ifPresent(held::add)));
        return held;
    }

    /**
     * Follows {@code f}'s transaction for its message, moving the message off any other transaction. A transaction
     * not followed before starts as sent before (or to be sent at the next poll: {@code f}'s resend says which).
     */
    void put(Inflight f) {
        TxHash was = byMessage.get(f.transfer().id());
        if (was != null && !was.equals(f.txHash())) {
            remove(f.transfer().id());
        }
        byHash.computeIfAbsent(f.txHash(), h -> new Tx(new TxLifecycle.State.Broadcast(0))).members.put(f.transfer().id(), f);
        byMessage.put(f.transfer().id(), f.txHash());
    }

    /** Puts {@code f} only when its transaction is still the one followed for its message. */
    void putIfFollowed(Inflight f) {
        if (follows(f)) {
            put(f);
        }
    }

    /**
     * A transaction this signer just signed at {@code nonce}, carrying {@code ts} (recorded and sent next); {@code batchOf}:
     * the messages it was built with when more than one, else 0. Its entries.
     */
    List<Inflight> signed(List<Transfer> ts, long nonce, TxHash hash, Optional<String> raw, int batchOf, Instant now) {
        List<Inflight> entries = new ArrayList<>();
        for (Transfer t : ts) {
            Inflight f = Inflight.signed(t, nonce, hash, raw, new Resend.After(now));
            put(f);
            entries.add(f);
        }
        Tx tx = byHash.get(hash);
        tx.state = TxLifecycle.built();
        tx.batchOf = batchOf;
        return entries;
    }

    /**
     * A recorded transaction found by a nonce check ({@link NonceRecovery.Follow}): each of its transfers not followed at
     * a nonce of ours already is followed with it, to be sent again at the next poll (a crash may have come before its
     * first broadcast). The ids newly followed.
     */
    List<MessageId> follow(NonceRecovery.Follow follow) {
        List<MessageId> taken = new ArrayList<>();
        TxHash hash = follow.submission().txHash();
        for (Transfer t : follow.transfers()) {
            if (entry(t.id()).map(f -> f.heldNonce().isEmpty()).orElse(true)) {
                put(Inflight.signed(t, follow.nonce(), hash, follow.submission().raw(), Resend.Fixed.NEXT_POLL));
                taken.add(t.id());
            }
        }
        int size = follow.submission().messageIds().size();
        Tx tx = byHash.get(hash);
        if (tx != null && size > 1) {
            tx.batchOf = size;
        }
        return taken;
    }

    /**
     * A transfer the sweep found SUBMITTED (after a restart, or a lost message): followed with its recorded transaction
     * unless it is followed already (its nonce and bytes are read from its record if it must be sent again).
     */
    void recovered(Transfer t) {
        if (!carries(t.id()) && t.destinationTx().isPresent()) {
            put(new Inflight(t, t.destinationTx().get(), new Inflight.Sender.Recovered(), new Resend.After(t.updatedAt())));
        }
    }

    /** Stops following {@code id}; its transaction is forgotten when it carries nothing else. */
    Optional<Inflight> remove(MessageId id) {
        TxHash hash = byMessage.remove(id);
        if (hash == null) {
            return Optional.empty();
        }
        Tx tx = byHash.get(hash);
        Inflight was = tx.members.remove(id);
        if (tx.members.isEmpty()) {
            byHash.remove(hash);
        }
        return Optional.of(was);
    }

    /** Stops following each of {@code entries} that is still the one followed for its message. */
    void forget(List<Inflight> entries) {
        for (Inflight f : entries) {
            if (follows(f)) {
                remove(f.transfer().id());
            }
        }
    }

    /** The entries now of the messages of {@code snapshot} whose transaction has not changed since. */
    List<Inflight> stillCarrying(List<Inflight> snapshot) {
        List<Inflight> now = new ArrayList<>();
        for (Inflight f : snapshot) {
            entry(f.transfer().id()).filter(f::sameTx).ifPresent(now::add);
        }
        return now;
    }

    /** A lifecycle event of {@code hash}: applied when it is legal in the state the transaction is in, else ignored. */
    void advance(TxHash hash, TxLifecycle.Event... events) {
        Tx tx = byHash.get(hash);
        for (int i = 0; tx != null && i < events.length; i++) {
            if (TxLifecycle.next(tx.state, events[i]) instanceof TxLifecycle.Step.To to) {
                tx.state = to.state();
            }
        }
    }

    /** {@code state}, reached from a receipt (included, or final). */
    void reached(TxHash hash, TxLifecycle.State state) {
        Tx tx = byHash.get(hash);
        if (tx != null) {
            tx.state = state;
        }
    }

    /** Confirmed ({@code state}: final): the members are never sent again while their outcomes are recorded. Their new entries. */
    List<Inflight> confirmed(List<Inflight> members, TxLifecycle.State state) {
        List<Inflight> now = members.stream().map(m -> m.with(Resend.Fixed.NEVER)).toList();
        now.forEach(this::put);
        reached(now.get(0).txHash(), state);
        return now;
    }

    /** How many messages {@code hash} was built with when it is a batch (0 otherwise), taken: asked once, at its final receipt. */
    int takeBatchSize(TxHash hash) {
        Tx tx = byHash.get(hash);
        if (tx == null) {
            return 0;
        }
        int n = tx.batchOf;
        tx.batchOf = 0;
        return n;
    }

    /**
     * A fee bump: the messages followed with an attempt of {@code attempts} at its nonce move to {@code by}, the
     * replacement at the same nonce (their entries as they were are returned: empty when none was carried, and nothing
     * changed). The replacement carries the batch size of the newest attempt.
     */
    List<Inflight> replace(NonceAttempts attempts, TxHash by, Optional<String> raw, Instant now) {
        List<Inflight> before = new ArrayList<>();
        byHash.forEach((hash, tx) -> tx.members.values().stream().filter(f -> attempts.hashes().contains(hash)
                && f.heldNonce().isPresent() && f.heldNonce().getAsLong() == attempts.nonce()).forEach(before::add));
        if (before.isEmpty()) {
            return before;
        }
        int batchOf = takeBatchSize(attempts.newest());
        for (Inflight f : before) {
            put(Inflight.signed(f.transfer(), attempts.nonce(), by, raw, new Resend.After(now)));
        }
        Tx tx = byHash.get(by);
        tx.state = TxLifecycle.built();
        tx.batchOf = batchOf;
        attempts.hashes().forEach(h -> advance(h, new TxLifecycle.Event.ReplacedBy(by)));
        return before;
    }

    /**
     * The replacement {@code by} never became anyone's transaction: the messages it took from {@code before} and still
     * carries are followed with their previous transaction again (which carries the batch size again).
     */
    void replacementLost(List<Inflight> before, TxHash by) {
        int batchOf = takeBatchSize(by);
        for (Inflight f : before) {
            if (entry(f.transfer().id()).map(now -> now.txHash().equals(by)).orElse(false)) {
                put(f);
                Tx tx = byHash.get(f.txHash());
                tx.batchOf = Math.max(tx.batchOf, batchOf);
            }
        }
    }

    private static Pending view(TxHash hash, Tx tx) {
        return new Pending(hash, tx.state, tx.batchOf, new ArrayList<>(tx.members.values()));
    }
}
