package io.courier.chain.quorum;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class QuorumHeadPropertyTest {

    @Test
    void theHeadIsAHeightThatEnoughEndpointsReachedAndNoHigher() {
        qt().forAll(lists().of(longs().between(0, 10_000)).ofSizeBetween(1, 9), integers().between(0, 8))
                .checkAssert((heads, q) -> {
                    int quorum = 1 + q % heads.size();
                    int needed = QuorumHead.needed(quorum, heads.size());
                    long head = QuorumHead.of(heads, quorum, heads.size()).orElseThrow();
                    assertThat(heads.stream().filter(h -> h >= head).count()).as("endpoints at or above it")
                            .isGreaterThanOrEqualTo(needed);
                    assertThat(heads.stream().filter(h -> h > head).count()).as("endpoints above it")
                            .isLessThan(needed);
                });
    }

    @Test
    void aMinorityOfLiarsCannotRaiseTheHeadAboveEveryHonestEndpoint() {
        qt().forAll(integers().between(1, 4), integers().between(0, 3), longs().between(0, 1_000_000))
                .checkAssert((honest, l, base) -> {
                    int liars = l % honest; // fewer liars than honest endpoints
                    List<Long> heads = new ArrayList<>();
                    for (int i = 0; i < honest; i++) {
                        heads.add(base + i);
                    }
                    for (int i = 0; i < liars; i++) {
                        heads.add(base + 1_000_000);
                    }
                    long head = QuorumHead.of(heads, 1, heads.size()).orElseThrow();
                    assertThat(head).isLessThanOrEqualTo(base + honest - 1);
                });
    }

    @Test
    void tooFewAnswersGiveNoHead() {
        assertThat(QuorumHead.of(List.of(100L), 2, 3)).isEqualTo(OptionalLong.empty());
        assertThat(QuorumHead.of(List.of(100L, 90L), 1, 3)).isEqualTo(OptionalLong.of(90));
        assertThat(QuorumHead.of(List.of(1_100L, 100L, 99L), 2, 3)).isEqualTo(OptionalLong.of(100));
        assertThat(QuorumHead.of(List.of(7L), 1, 1)).isEqualTo(OptionalLong.of(7));
    }

    @Test
    void aQuorumAboveTheEndpointsIsRefused() {
        assertThatThrownBy(() -> QuorumHead.needed(3, 2)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> QuorumHead.needed(0, 2)).isInstanceOf(IllegalArgumentException.class);
    }
}
