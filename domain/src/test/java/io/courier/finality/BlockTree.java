package io.courier.finality;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Test double of a chain as its RPC node sees it: a tree of blocks (every block ever made, on any branch) and the
 * current canonical branch, which can grow ({@link #extend}) or be replaced from a fork point ({@link #forkAt}).
 * Hashes are unique per block ({@code 0x} + a counter), so two branches never share a block by accident.
 */
final class BlockTree {

    private long nextHash = 1;
    /** The canonical branch: index = block number, from genesis. */
    private final List<Header> canonical = new ArrayList<>();
    private final Set<Header> all = new HashSet<>();

    /** A chain of {@code length} blocks (genesis included). */
    BlockTree(int length) {
        if (length < 1) {
            throw new IllegalArgumentException("length >= 1");
        }
        Header genesis = new Header(0, hash(), "0x" + "00".repeat(32));
        canonical.add(genesis);
        all.add(genesis);
        extend(length - 1);
    }

    Header tip() {
        return canonical.get(canonical.size() - 1);
    }

    /** The canonical block at {@code number}; throws if above the tip. */
    Header at(long number) {
        return canonical.get(Math.toIntExact(number));
    }

    /** The canonical blocks {@code from..to} (inclusive), as {@code eth_getBlockByNumber} would return them now. */
    List<Header> range(long from, long to) {
        return List.copyOf(canonical.subList(Math.toIntExact(from), Math.toIntExact(to) + 1));
    }

    /** The last {@code n} canonical blocks (fewer if the chain is shorter). */
    List<Header> last(int n) {
        return List.copyOf(canonical.subList(Math.max(0, canonical.size() - n), canonical.size()));
    }

    boolean isCanonical(Header h) {
        return h.number() < canonical.size() && canonical.get(Math.toIntExact(h.number())).equals(h);
    }

    boolean exists(Header h) {
        return all.contains(h);
    }

    /** Mines {@code blocks} new blocks on the canonical tip. */
    void extend(int blocks) {
        for (int i = 0; i < blocks; i++) {
            Header parent = tip();
            Header child = new Header(parent.number() + 1, hash(), parent.hash());
            canonical.add(child);
            all.add(child);
        }
    }

    /**
     * A reorg: the canonical branch now leaves the current one after block {@code forkNumber} (kept) and goes on
     * with {@code length} new blocks. Returns the blocks that left the canonical branch.
     */
    List<Header> forkAt(long forkNumber, int length) {
        if (forkNumber < 0 || forkNumber > tip().number() || length < 1) {
            throw new IllegalArgumentException("fork at " + forkNumber + " (tip " + tip().number() + "), length " + length);
        }
        List<Header> orphaned = List.copyOf(canonical.subList(Math.toIntExact(forkNumber) + 1, canonical.size()));
        canonical.subList(Math.toIntExact(forkNumber) + 1, canonical.size()).clear();
        extend(length);
        return orphaned;
    }

    private String hash() {
        return String.format("0x%064x", nextHash++);
    }
}
