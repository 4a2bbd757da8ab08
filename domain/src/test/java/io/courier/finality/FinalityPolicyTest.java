package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class FinalityPolicyTest {

    private static final Instant BLOCK_TIME = Instant.parse("2026-11-01T10:00:00Z");

    private final FinalityPolicy twelve = new FinalityPolicy.Confirmations(12);

    @Test
    void countsTheBlockItself() {
        assertThat(twelve.confirmations(100, 100)).isEqualTo(1);
        assertThat(twelve.confirmations(100, 111)).isEqualTo(12);
        assertThat(twelve.isFinal(100, 110)).isFalse();
        assertThat(twelve.isFinal(100, 111)).isTrue();
        assertThat(twelve.isFinal(100, ChainTip.ofHead(500))).isTrue();
    }

    @Test
    void headBelowTheBlockIsNoConfirmation() {
        assertThat(twelve.confirmations(100, 95)).isZero();
        assertThat(twelve.isFinal(100, 95)).isFalse();
    }

    @Test
    void oneConfirmationIsTheBlockItself() {
        assertThat(new FinalityPolicy.Confirmations(1).isFinal(7, 7)).isTrue();
        assertThatThrownBy(() -> new FinalityPolicy.Confirmations(0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void confirmationsIgnoreTagsAndTimes() {
        ChainTip tip = new ChainTip(111, 50, 40);
        assertThat(twelve.isFinal(100, BLOCK_TIME, tip, BLOCK_TIME)).isTrue();
        assertThat(twelve.isFinal(101, BLOCK_TIME, tip, BLOCK_TIME.plus(Duration.ofDays(1)))).isFalse();
        assertThat(twelve.finalizedHeight(tip)).isEqualTo(100);
        assertThat(twelve.finalizedHeight(ChainTip.ofHead(5))).isEqualTo(ChainTip.UNKNOWN);
    }

    @Test
    void finalizedTagFollowsTheChainsFinalizedHeight() {
        FinalityPolicy finalized = FinalityPolicy.Tag.finalized();
        ChainTip tip = new ChainTip(200, 190, 160);
        assertThat(finalized.isFinal(160, BLOCK_TIME, tip, BLOCK_TIME)).isTrue();
        assertThat(finalized.isFinal(161, BLOCK_TIME, tip, BLOCK_TIME)).isFalse();
        assertThat(finalized.isFinal(160, tip)).isTrue(); // no minimum age: the tip alone decides
        assertThat(finalized.finalizedHeight(tip)).isEqualTo(160);
        // a head-only tip (or a chain without tags) finalizes nothing under a tag policy
        assertThat(finalized.isFinal(1, 10_000)).isFalse();
        assertThat(finalized.isFinal(1, BLOCK_TIME, ChainTip.ofHead(10_000), BLOCK_TIME)).isFalse();
    }

    @Test
    void safeTagWithAMinimumAgeWaitsForBoth() {
        FinalityPolicy safe = FinalityPolicy.Tag.safe(Duration.ofMinutes(5));
        ChainTip tip = new ChainTip(200, 190, 160);
        assertThat(safe.isFinal(190, BLOCK_TIME, tip, BLOCK_TIME.plus(Duration.ofMinutes(5)))).isTrue();
        assertThat(safe.isFinal(190, BLOCK_TIME, tip, BLOCK_TIME.plus(Duration.ofMinutes(5)).minusMillis(1))).isFalse();
        assertThat(safe.isFinal(191, BLOCK_TIME, tip, BLOCK_TIME.plus(Duration.ofDays(1)))).isFalse();
        // without times a minimum age cannot be checked: never final too early
        assertThat(safe.isFinal(100, tip)).isFalse();
        assertThat(safe.finalizedHeight(tip)).isEqualTo(190);
    }

    @Test
    void tagPoliciesValidateTheirArguments() {
        assertThat(new FinalityPolicy.Tag(" Finalized ", Duration.ZERO).tag()).isEqualTo("finalized");
        assertThatThrownBy(() -> new FinalityPolicy.Tag("latest", Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("latest");
        assertThatThrownBy(() -> new FinalityPolicy.Tag("safe", Duration.ofSeconds(-1)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new FinalityPolicy.Tag("safe", null)).isInstanceOf(NullPointerException.class);
    }
}
