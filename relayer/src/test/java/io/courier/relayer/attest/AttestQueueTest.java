package io.courier.relayer.attest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.courier.chain.message.MessageId;
import io.courier.finality.Transfer;
import io.courier.relayer.submitfakes.Transfers;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.SourceDSL;

class AttestQueueTest {

    private static final long OTHER_SOURCE = 1003;

    /** Offers: (source chain 0 = {@link Transfers#SRC} or 1 = another, nonce 0..63), duplicates and any order. */
    private static Gen<List<long[]>> offers() {
        return SourceDSL.lists().of(SourceDSL.integers().between(0, 1).zip(SourceDSL.longs().between(0, 63),
                (route, nonce) -> new long[] {route, nonce})).ofSizeBetween(0, 200);
    }

    private static Transfer transfer(long[] offer) {
        return Transfers.finalizedFrom(offer[0] == 0 ? Transfers.SRC : OTHER_SOURCE, offer[1]);
    }

    @Test
    void eachMessageComesOutOncePerRouteInNonceOrderWhateverOrderItCameIn() {
        qt().forAll(offers()).checkAssert(offers -> {
            AttestQueue queue = new AttestQueue(10_000);
            Set<MessageId> distinct = new HashSet<>();
            for (long[] o : offers) {
                Transfer t = transfer(o);
                assertThat(queue.offer(t)).as("offer of %s", t.id()).isEqualTo(distinct.add(t.id()));
            }
            List<Transfer> out = drain(queue);
            assertThat(out).extracting(Transfer::id).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(distinct);
            Map<Long, Long> lastNonce = new HashMap<>();
            for (Transfer t : out) {
                Long before = lastNonce.put(t.message().srcChainId(), t.message().nonce());
                assertThat(before == null || before < t.message().nonce()).as("nonce %d of source %d after %s", t.message().nonce(),
                        t.message().srcChainId(), before).isTrue();
            }
            assertThat(queue.size()).isZero();
        });
    }

    @Test
    void routesTakeTurnsSoABurstOnOneDoesNotHoldBackAnother() {
        AttestQueue queue = new AttestQueue(10_000);
        for (long n = 0; n < 50; n++) {
            queue.offer(Transfers.finalizedFrom(Transfers.SRC, n));
        }
        queue.offer(Transfers.finalizedFrom(OTHER_SOURCE, 7));
        List<Transfer> firstTwo = List.of(queue.poll().orElseThrow(), queue.poll().orElseThrow());
        assertThat(firstTwo).extracting(t -> t.message().srcChainId()).containsExactly(Transfers.SRC, OTHER_SOURCE);
    }

    @Test
    void pastItsCapacityAnOfferIsRefusedAndWhatWasPolledMayComeAgain() {
        AttestQueue queue = new AttestQueue(2);
        assertThat(queue.offer(Transfers.finalized(1))).isTrue();
        assertThat(queue.offer(Transfers.finalized(2))).isTrue();
        assertThat(queue.offer(Transfers.finalized(3))).isFalse();
        Transfer first = queue.poll().orElseThrow();
        assertThat(first.message().nonce()).isEqualTo(1);
        assertThat(queue.contains(first.id())).isFalse();
        assertThat(queue.offer(first)).as("offered again after it was taken (a round that failed, the sweep)").isTrue();
        assertThat(drain(queue)).extracting(t -> t.message().nonce()).containsExactly(1L, 2L);
    }

    private static List<Transfer> drain(AttestQueue queue) {
        List<Transfer> out = new ArrayList<>();
        for (Optional<Transfer> next = queue.poll(); next.isPresent(); next = queue.poll()) {
            out.add(next.get());
        }
        return out;
    }
}
