package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class NonceAllocatorTest {

    @Test
    void handsOutConsecutiveNonces() {
        NonceAllocator nonces = new NonceAllocator(7);
        assertThat(List.of(nonces.take(), nonces.take(), nonces.take())).containsExactly(7L, 8L, 9L);
    }

    @Test
    void aReturnedNonceIsReusedFirstSoNoGapRemains() {
        NonceAllocator nonces = new NonceAllocator(0);
        nonces.take();
        long lost = nonces.take();
        nonces.take();
        nonces.giveBack(lost);
        assertThat(nonces.take()).isEqualTo(lost);
        assertThat(nonces.take()).isEqualTo(3);
    }

    @Test
    void theLastNonceGivenBackSimplyRewinds() {
        NonceAllocator nonces = new NonceAllocator(5);
        long n = nonces.take();
        nonces.giveBack(n);
        assertThat(nonces.peekNext()).isEqualTo(5);
        assertThat(nonces.take()).isEqualTo(5);
    }

    @Test
    void chainAheadSkipsForwardAndForgetsStaleReturns() {
        NonceAllocator nonces = new NonceAllocator(0);
        nonces.take();
        nonces.take();
        nonces.take();
        nonces.giveBack(0);
        nonces.chainAt(10);
        assertThat(nonces.take()).isEqualTo(10);
    }

    @Test
    void cannotGiveBackWhatWasNeverTaken() {
        NonceAllocator nonces = new NonceAllocator(3);
        assertThatThrownBy(() -> nonces.giveBack(3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("never taken");
    }

    @Test
    void randomTakeAndGiveBackNeverHandsOutANonceTwiceNorLeavesAGap() {
        Random random = new Random(7);
        long start = 40;
        NonceAllocator nonces = new NonceAllocator(start);
        Set<Long> held = new HashSet<>();
        List<Long> heldList = new ArrayList<>();
        for (int round = 0; round < 50; round++) {
            for (int step = 0; step < 100; step++) {
                if (heldList.isEmpty() || random.nextInt(3) > 0) {
                    long n = nonces.take();
                    assertThat(held.add(n)).as("nonce %d handed out while held", n).isTrue();
                    heldList.add(n);
                } else {
                    long n = heldList.remove(random.nextInt(heldList.size()));
                    held.remove(n);
                    nonces.giveBack(n);
                }
            }
            // no gap: every hole below the highest held nonce is handed out again before any fresh nonce, so
            // once they are re-taken the held nonces are exactly start..max, and the next one is max + 1
            long max = held.stream().mapToLong(Long::longValue).max().orElse(start - 1);
            Set<Long> holes = new HashSet<>();
            for (long n = start; n <= max; n++) {
                if (!held.contains(n)) {
                    holes.add(n);
                }
            }
            Set<Long> retaken = new HashSet<>();
            for (int i = 0; i < holes.size(); i++) {
                retaken.add(nonces.take());
            }
            assertThat(retaken).as("round %d: the holes below %d come back first", round, max).isEqualTo(holes);
            long fresh = nonces.take();
            assertThat(fresh).as("round %d: the first fresh nonce follows the held ones", round).isEqualTo(max + 1);
            held.addAll(retaken);
            held.add(fresh);
            assertThat(held).as("round %d: held nonces are contiguous from %d", round, start)
                    .hasSize((int) (fresh - start + 1)).allMatch(n -> n >= start && n <= fresh);
            heldList.clear();
            heldList.addAll(held);
            heldList.sort(null); // a deterministic order for the seeded walk of the next round
        }
    }

    @Test
    void aClaimedNonceIsNeverHandedOutAgain() {
        NonceAllocator nonces = new NonceAllocator(10);
        long a = nonces.take();
        long b = nonces.take();
        nonces.take();
        nonces.giveBack(a);
        nonces.giveBack(b);
        nonces.claim(a); // recovery filled it with a transaction of its own
        assertThat(nonces.take()).isEqualTo(b);
        assertThat(nonces.take()).isEqualTo(13);
        assertThat(nonces.next()).isEqualTo(14);
        assertThatThrownBy(() -> nonces.claim(14)).isInstanceOf(IllegalArgumentException.class);
    }
}
