package io.courier.finality;

import io.courier.chain.message.Hex;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The last {@link #capacity()} canonical headers of one chain as the watcher has seen them, oldest first, always
 * <b>linked</b> (each header's {@code parentHash} is the previous header's hash, numbers consecutive). It is how a
 * watcher notices a reorg and tells exactly which blocks it orphaned.
 *
 * <h2>Immutable</h2>
 * Every operation returns an {@link Outcome} that carries the window after the step ({@link Outcome#window()}); the
 * window it was called on is unchanged. So an actor can keep it as plain state, hand a snapshot to a future and
 * never worry about who mutates what. A step copies at most {@code capacity} references.
 *
 * <h2>Driving it asynchronously</h2>
 * The window never does I/O. When it needs headers it does not have, it says which block numbers to fetch and
 * hands back the headers it was given ({@link NeedHeaders#pending()}); the caller fetches those numbers (from the
 * current canonical chain: {@code eth_getBlockByNumber}), then calls {@link #resume(NeedHeaders, List)}:
 * <pre>{@code
 * Outcome o = window.apply(head);
 * // in the actor: on NeedHeaders, fetch need.fromNumber()..need.toNumber() (pipeToSelf), then
 * o = o.window().resume(need, fetched);           // may ask again (walking further back), at most ~capacity/batch times
 * // Extended / Duplicate / BelowWindow: carry on;  Reorg: handle orphaned blocks;  BeyondWindow: halt the chain
 * }</pre>
 * <ul>
 *   <li>{@link Gap}: the new head is above {@code tip + 1}; fetch the missing numbers. The caller may also apply a
 *       long gap in ascending chunks with {@link #applyChain} and then the head.</li>
 *   <li>{@link Diverged}: the given headers do not link to the window (a reorg, or a lagging/forked RPC node): the
 *       window walks back along the new branch, {@link #forkWalkBatch()} numbers at a time, until the branch links
 *       to a header it holds (the fork point), then answers {@link Reorg} — or {@link BeyondWindow} when the branch
 *       reaches the window's oldest header without linking.</li>
 * </ul>
 * A newer head may be applied at any time instead of resuming: a pending walk is just dropped.
 *
 * <h2>When the chain changes while the caller fetches</h2>
 * {@link #applyChain} takes headers with consecutive numbers; if their parent hashes break somewhere (the fetched
 * headers come from a newer fork than the pending ones), only the headers <em>before</em> the first break are used:
 * those are the freshest (they were fetched last), and the dropped newer ones come back with the next head poll. So
 * the window only ever holds headers that were canonical when fetched, and a walk always makes progress.
 *
 * <h2>Outcomes</h2>
 * {@link Extended}, {@link Duplicate}, {@link BelowWindow}, {@link Gap}, {@link Diverged}, {@link Reorg},
 * {@link BeyondWindow}: see each. Only {@code Extended} and {@code Reorg} change the window.
 */
public final class CanonicalWindow {

    /** The default number of headers kept: comfortably more than any confirmation policy in use. */
    public static final int DEFAULT_CAPACITY = 256;
    /** The default number of headers asked for per fork-walk step (most reorgs are 1–2 blocks deep). */
    public static final int DEFAULT_FORK_WALK_BATCH = 16;

    private final int capacity;
    private final int forkWalkBatch;
    /** Oldest first; never longer than {@code capacity}; linked. */
    private final Header[] headers;

    private CanonicalWindow(int capacity, int forkWalkBatch, Header[] headers) {
        this.capacity = capacity;
        this.forkWalkBatch = forkWalkBatch;
        this.headers = headers;
        for (int i = 1; i < headers.length; i++) {
            if (!headers[i - 1].isParentOf(headers[i])) {
                throw new IllegalStateException("canonical window not linked at " + headers[i] + " after " + headers[i - 1]);
            }
        }
    }

    /** An empty window of {@link #DEFAULT_CAPACITY} headers. */
    public static CanonicalWindow empty() {
        return empty(DEFAULT_CAPACITY);
    }

    /** An empty window keeping the last {@code capacity} headers; the first header applied starts it. */
    public static CanonicalWindow empty(int capacity) {
        if (capacity < 2) {
            throw new IllegalArgumentException("a canonical window needs capacity >= 2, got " + capacity);
        }
        return new CanonicalWindow(capacity, Math.min(DEFAULT_FORK_WALK_BATCH, capacity), new Header[0]);
    }

    /**
     * A window holding {@code headers} (oldest first, linked; only the last {@code capacity} are kept), e.g. the
     * last blocks fetched when a watcher starts.
     *
     * @throws IllegalArgumentException if the headers are not linked
     */
    public static CanonicalWindow of(int capacity, List<Header> headers) {
        CanonicalWindow empty = empty(capacity);
        if (headers.isEmpty()) {
            return empty;
        }
        requireConsecutive(headers);
        for (int i = 1; i < headers.size(); i++) {
            if (!headers.get(i - 1).isParentOf(headers.get(i))) {
                throw new IllegalArgumentException("headers are not linked: " + headers.get(i) + " after " + headers.get(i - 1));
            }
        }
        return empty.replace(new Header[0], headers);
    }

    /** This window asking for {@code batch} headers per fork-walk step (1..capacity). */
    public CanonicalWindow withForkWalkBatch(int batch) {
        if (batch < 1 || batch > capacity) {
            throw new IllegalArgumentException("fork walk batch must be in 1.." + capacity + ", got " + batch);
        }
        return new CanonicalWindow(capacity, batch, headers);
    }

    public int capacity() {
        return capacity;
    }

    public int forkWalkBatch() {
        return forkWalkBatch;
    }

    public int size() {
        return headers.length;
    }

    public boolean isEmpty() {
        return headers.length == 0;
    }

    /** The newest header (the head as last applied). */
    public Optional<Header> tip() {
        return isEmpty() ? Optional.empty() : Optional.of(headers[headers.length - 1]);
    }

    /** The oldest header still kept. */
    public Optional<Header> oldest() {
        return isEmpty() ? Optional.empty() : Optional.of(headers[0]);
    }

    /** The headers, oldest first (a copy). */
    public List<Header> headers() {
        return List.of(headers);
    }

    /** The header at {@code number}, if the window holds that height. */
    public Optional<Header> at(long number) {
        int i = index(number);
        return i < 0 ? Optional.empty() : Optional.of(headers[i]);
    }

    /** Whether block {@code number} with {@code hash} is in the window (so canonical as far as it knows). */
    public boolean contains(long number, String hash) {
        int i = index(number);
        return i >= 0 && headers[i].hash().equals(Hex.hash("block hash", hash));
    }

    /** Whether {@code header} is in the window. */
    public boolean contains(Header header) {
        int i = index(header.number());
        return i >= 0 && headers[i].equals(header);
    }

    /** {@link #applyChain} of a single new head. */
    public Outcome apply(Header newHead) {
        return applyChain(List.of(Objects.requireNonNull(newHead, "newHead")));
    }

    /** {@link #applyChain} of {@code need.branchWith(fetched)}: feeds back what a {@link NeedHeaders} asked for. */
    public Outcome resume(NeedHeaders need, List<Header> fetched) {
        return applyChain(need.branchWith(fetched));
    }

    /**
     * Applies a branch: headers with consecutive numbers, oldest first, ending with the newest head the caller
     * knows. Headers after the first broken parent link are ignored (see the class comment).
     *
     * @throws IllegalArgumentException if {@code branch} is empty or its numbers are not consecutive (a caller bug,
     *                                  unlike a broken parent link, which is a race with the chain)
     */
    public Outcome applyChain(List<Header> branch) {
        Objects.requireNonNull(branch, "branch");
        if (branch.isEmpty()) {
            throw new IllegalArgumentException("applyChain needs at least one header");
        }
        requireConsecutive(branch);
        List<Header> linked = linkedPrefix(branch);
        if (isEmpty()) {
            CanonicalWindow next = replace(new Header[0], linked);
            return new Extended(next, linked);
        }
        Header oldest = headers[0];
        Header tip = headers[headers.length - 1];

        // the newest header of the branch that the window already holds: everything below it is known too
        int known = -1;
        for (int j = linked.size() - 1; j >= 0; j--) {
            if (contains(linked.get(j))) {
                known = j;
                break;
            }
        }
        if (known >= 0) {
            return join(linked.get(known), linked.subList(known + 1, linked.size()));
        }

        Header first = linked.get(0);
        Header last = linked.get(linked.size() - 1);
        long parentNumber = first.number() - 1;
        if (parentNumber > tip.number()) {
            return new Gap(this, tip.number() + 1, parentNumber, linked);
        }
        if (last.number() < oldest.number()) {
            return new BelowWindow(this, last);
        }
        if (parentNumber < oldest.number()) {
            // the branch covers the oldest height with another block: nothing in the window is its ancestor
            return new BeyondWindow(this, oldest, headers.length, linked);
        }
        Header parent = headers[index(parentNumber)];
        if (parent.hash().equals(first.parentHash())) {
            return join(parent, linked);
        }
        if (parentNumber == oldest.number()) {
            return new BeyondWindow(this, oldest, headers.length, linked);
        }
        long from = Math.max(oldest.number(), parentNumber - forkWalkBatch + 1);
        return new Diverged(this, from, parentNumber, linked);
    }

    /** {@code rest} (linked, possibly empty) continues from {@code fork}, a header of this window. */
    private Outcome join(Header fork, List<Header> rest) {
        if (rest.isEmpty()) {
            return new Duplicate(this);
        }
        int forkIndex = index(fork.number());
        Header[] kept = Arrays.copyOfRange(headers, 0, forkIndex + 1);
        CanonicalWindow next = replace(kept, rest);
        if (forkIndex == headers.length - 1) {
            return new Extended(next, rest);
        }
        List<Header> orphaned = List.of(Arrays.copyOfRange(headers, forkIndex + 1, headers.length));
        return new Reorg(next, fork, orphaned, List.copyOf(rest), orphaned.size());
    }

    /** A window of {@code kept ++ added}, cut to the newest {@code capacity} headers. */
    private CanonicalWindow replace(Header[] kept, List<Header> added) {
        int total = kept.length + added.size();
        int skip = Math.max(0, total - capacity);
        Header[] out = new Header[total - skip];
        int o = 0;
        for (int i = skip; i < total; i++) {
            out[o++] = i < kept.length ? kept[i] : added.get(i - kept.length);
        }
        return new CanonicalWindow(capacity, forkWalkBatch, out);
    }

    private int index(long number) {
        if (headers.length == 0) {
            return -1;
        }
        long i = number - headers[0].number();
        return i >= 0 && i < headers.length ? (int) i : -1;
    }

    private static List<Header> linkedPrefix(List<Header> branch) {
        for (int i = 1; i < branch.size(); i++) {
            if (!branch.get(i - 1).isParentOf(branch.get(i))) {
                return List.copyOf(branch.subList(0, i));
            }
        }
        return List.copyOf(branch);
    }

    private static void requireConsecutive(List<Header> branch) {
        for (int i = 0; i < branch.size(); i++) {
            Objects.requireNonNull(branch.get(i), "header " + i);
            if (i > 0 && branch.get(i).number() != branch.get(i - 1).number() + 1) {
                throw new IllegalArgumentException("headers must have consecutive numbers, oldest first; got #"
                        + branch.get(i - 1).number() + " then #" + branch.get(i).number());
            }
        }
    }

    @Override
    public String toString() {
        return isEmpty() ? "CanonicalWindow[empty, capacity " + capacity + "]"
                : "CanonicalWindow[#" + headers[0].number() + "..#" + headers[headers.length - 1].number() + ", tip "
                + headers[headers.length - 1].hash() + ", capacity " + capacity + "]";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalWindow other && capacity == other.capacity && forkWalkBatch == other.forkWalkBatch
                && Arrays.equals(headers, other.headers);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(headers) + capacity;
    }

    // ------------------------------------------------------------------ outcomes

    /** What one step did; {@link #window()} is the window after it (the same window when nothing changed). */
    public sealed interface Outcome permits Extended, Duplicate, BelowWindow, NeedHeaders, Reorg, BeyondWindow {
        CanonicalWindow window();
    }

    /**
     * The window needs the headers {@code fromNumber..toNumber} (inclusive) of the current canonical chain; feed
     * them to {@link CanonicalWindow#resume} on {@link #window()}. {@link #pending()} are the headers given so far
     * (they come after the requested ones). If the node no longer has all of them (the chain got shorter
     * meanwhile), drop this request and apply the node's current head instead.
     */
    public sealed interface NeedHeaders extends Outcome permits Gap, Diverged {
        long fromNumber();

        long toNumber();

        List<Header> pending();

        /** How many headers are asked for. */
        default int count() {
            return Math.toIntExact(toNumber() - fromNumber() + 1);
        }

        /** {@code fetched ++ pending()}: the branch to apply next. */
        default List<Header> branchWith(List<Header> fetched) {
            List<Header> all = new ArrayList<>(fetched.size() + pending().size());
            all.addAll(fetched);
            all.addAll(pending());
            return all;
        }
    }

    /** The headers {@code added} (oldest first) linked to the tip (or started an empty window) and were appended. */
    public record Extended(CanonicalWindow window, List<Header> added) implements Outcome {
        public Extended {
            Objects.requireNonNull(window, "window");
            added = List.copyOf(added);
        }
    }

    /** Nothing new: every header given is already in the window (the same tip polled again, or a lagging RPC node). */
    public record Duplicate(CanonicalWindow window) implements Outcome {
        public Duplicate {
            Objects.requireNonNull(window, "window");
        }
    }

    /**
     * Every header given is older than the window's oldest header, so the window cannot tell whether it is an
     * ancestor: a badly lagging RPC node, or a chain that was reset. Nothing changed; a watcher ignores it once and
     * escalates if it persists (another endpoint, then treat as {@link BeyondWindow}).
     */
    public record BelowWindow(CanonicalWindow window, Header head) implements Outcome {
        public BelowWindow {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(head, "head");
        }
    }

    /** The new head is above {@code tip + 1}: fetch {@code fromNumber..toNumber} (the missing heights). */
    public record Gap(CanonicalWindow window, long fromNumber, long toNumber, List<Header> pending) implements NeedHeaders {
        public Gap {
            Objects.requireNonNull(window, "window");
            pending = List.copyOf(pending);
        }
    }

    /**
     * The headers given do not link to the window: fetch {@code fromNumber..toNumber} (the next ancestors of the
     * new branch, walking back towards the fork point). Nothing changed yet.
     */
    public record Diverged(CanonicalWindow window, long fromNumber, long toNumber, List<Header> pending)
            implements NeedHeaders {
        public Diverged {
            Objects.requireNonNull(window, "window");
            pending = List.copyOf(pending);
        }
    }

    /**
     * A reorg, resolved: the canonical chain now goes through {@code forkPoint} (the newest common ancestor, kept)
     * then {@code added}; the window's headers above the fork point, {@code orphaned} (oldest first), left the
     * canonical chain. {@code depth} is the number of orphaned blocks. The window is already the new one.
     */
    public record Reorg(CanonicalWindow window, Header forkPoint, List<Header> orphaned, List<Header> added, int depth)
            implements Outcome {
        public Reorg {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(forkPoint, "forkPoint");
            orphaned = List.copyOf(orphaned);
            added = List.copyOf(added);
            if (orphaned.isEmpty() || depth != orphaned.size()) {
                throw new IllegalArgumentException("a reorg orphans at least one block and its depth is their count; got "
                        + orphaned.size() + " orphaned, depth " + depth);
            }
        }

        /** The lowest block number that changed hands. */
        public long lowestOrphaned() {
            return forkPoint.number() + 1;
        }
    }

    /**
     * The new branch shares no header with the window: the fork point is below {@code oldest}, deeper than the
     * window can see, so every header in it (at least {@code minDepth} blocks) is orphaned. The window is
     * unchanged and cannot follow the chain; the watcher halts the chain ({@link ReorgPolicy}) until an operator
     * looks, then starts over with a fresh window.
     */
    public record BeyondWindow(CanonicalWindow window, Header oldest, int minDepth, List<Header> pending) implements Outcome {
        public BeyondWindow {
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(oldest, "oldest");
            pending = List.copyOf(pending);
        }
    }
}
