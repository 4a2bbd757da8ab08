package io.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LogRangePlannerTest {

    @Test
    void proposesFromTheCursorUpToSizeBlocksNotPastTheHead() {
        LogRangePlanner planner = new LogRangePlanner(1000, 100);
        assertThat(planner.next(0, 10_000)).contains(new BlockRange(0, 99));
        assertThat(planner.next(950, 1_000)).contains(new BlockRange(950, 1000));
        assertThat(planner.next(1_000, 1_000)).contains(new BlockRange(1000, 1000));
        assertThat(planner.next(1_001, 1_000)).isEmpty();
    }

    @Test
    void halvesOnTooLargeDownToOne() {
        LogRangePlanner planner = LogRangePlanner.startingAt(1000);
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            BlockRange failed = planner.next(0, Long.MAX_VALUE).orElseThrow();
            planner = planner.afterTooLarge(failed);
            sizes.add(planner.size());
        }
        assertThat(sizes).containsExactly(500L, 250L, 125L, 62L, 31L, 15L, 7L, 3L, 1L, 1L, 1L, 1L);
    }

    @Test
    void growsBackByDoublingUpToTheMax() {
        LogRangePlanner planner = new LogRangePlanner(1000, 1);
        List<Long> sizes = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            planner = planner.afterSuccess();
            sizes.add(planner.size());
        }
        assertThat(sizes).containsExactly(2L, 4L, 8L, 16L, 32L, 64L, 128L, 256L, 512L, 1000L, 1000L, 1000L);
    }

    @Test
    void aShortRangeNearTheHeadThatFailsIsHalvedItselfNotTheWholeSize() {
        LogRangePlanner planner = LogRangePlanner.startingAt(1000);
        BlockRange nearHead = planner.next(990, 999).orElseThrow();
        assertThat(nearHead.size()).isEqualTo(10);
        assertThat(planner.afterTooLarge(nearHead).size()).isEqualTo(5);
    }

    @Test
    void aSingleBlockCannotShrink() {
        assertThat(LogRangePlanner.canShrink(new BlockRange(5, 5))).isFalse();
        assertThat(LogRangePlanner.canShrink(new BlockRange(5, 6))).isTrue();
    }

    @Test
    void noOverflowNearLongMax() {
        LogRangePlanner planner = LogRangePlanner.startingAt(Long.MAX_VALUE);
        assertThat(planner.next(10, Long.MAX_VALUE)).contains(new BlockRange(10, Long.MAX_VALUE));
        assertThat(planner.afterSuccess().size()).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new LogRangePlanner(0, 1)).hasMessageContaining("maxSize");
        assertThatThrownBy(() -> new LogRangePlanner(10, 11)).hasMessageContaining("size");
        assertThatThrownBy(() -> LogRangePlanner.startingAt(10).next(-1, 5)).hasMessageContaining("cursor");
    }
}
