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
    void randomTakeAndGiveBackNeverHandsOutANonceTwiceWhileHeld() {
        Random random = new Random(7);
        NonceAllocator nonces = new NonceAllocator(0);
        Set<Long> held = new HashSet<>();
        List<Long> heldList = new ArrayList<>();
        for (int step = 0; step < 5_000; step++) {
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
        // everything below the next fresh nonce is either held or waiting to be reused: no gap
        long next = nonces.peekNext();
        assertThat(held).allMatch(n -> n < Math.max(next, held.stream().mapToLong(Long::longValue).max().orElse(0) + 1));
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
