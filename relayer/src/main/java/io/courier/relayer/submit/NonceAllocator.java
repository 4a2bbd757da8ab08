package io.courier.relayer.submit;

import java.util.TreeSet;

/**
 * Hands out the signer's nonces in order. A nonce whose transaction was never broadcast (persisting failed)
 * is given back and handed out again first, so the account never keeps a gap that would block every later
 * transaction. Pure and single-threaded: the submitter actor owns it.
 */
public final class NonceAllocator {

    private long next;
    private final TreeSet<Long> returned = new TreeSet<>();

    /** @param firstFree the first nonce nobody has used: max(chain's pending nonce, highest recorded + 1) */
    public NonceAllocator(long firstFree) {
        if (firstFree < 0) {
            throw new IllegalArgumentException("nonce must be >= 0, was " + firstFree);
        }
        this.next = firstFree;
    }

    public long take() {
        Long reused = returned.pollFirst();
        return reused != null ? reused : next++;
    }

    /** Gives back a nonce that was taken but never reached the chain. */
    public void giveBack(long nonce) {
        if (nonce >= next) {
            throw new IllegalArgumentException("nonce " + nonce + " was never taken (next is " + next + ")");
        }
        if (nonce == next - 1 && returned.isEmpty()) {
            next--;
        } else {
            returned.add(nonce);
        }
    }

    /** The chain says nonces below {@code chainNonce} are used: forget returned ones below it, skip ahead. */
    public void chainAt(long chainNonce) {
        returned.headSet(chainNonce).clear();
        next = Math.max(next, chainNonce);
    }

    /**
     * Takes {@code nonce} out of the free ones: a nonce below {@link #next()} that recovery fills with a
     * transaction of its own. No effect if it was not free.
     */
    public void claim(long nonce) {
        if (nonce >= next) {
            throw new IllegalArgumentException("nonce " + nonce + " was never handed out (next is " + next + ")");
        }
        returned.remove(nonce);
    }

    /** The first nonce never handed out. */
    public long next() {
        return next;
    }

    public long peekNext() {
        return returned.isEmpty() ? next : returned.first();
    }
}
