package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StuckRuleTest {

    @Test
    void routeSlaOverridesTheDefault() {
        StuckRule rule = new StuckRule(Map.of("1->2", Duration.ofMinutes(5)), Duration.ofHours(1));
        assertThat(rule.sla("1->2")).isEqualTo(Duration.ofMinutes(5));
        assertThat(rule.sla("2->1")).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void ageBucketsAreContiguous() {
        assertThat(StuckRule.AgeBucket.of(Duration.ofMinutes(59))).isEqualTo(StuckRule.AgeBucket.UNDER_1H);
        assertThat(StuckRule.AgeBucket.of(Duration.ofHours(1))).isEqualTo(StuckRule.AgeBucket.H1_TO_6H);
        assertThat(StuckRule.AgeBucket.of(Duration.ofHours(30))).isEqualTo(StuckRule.AgeBucket.D1_TO_7D);
        assertThat(StuckRule.AgeBucket.of(Duration.ofDays(8))).isEqualTo(StuckRule.AgeBucket.OVER_7D);
    }

    @Test
    void negativeAgeFromClockSkewIsZero() {
        StuckRule rule = new StuckRule(Map.of(), Duration.ofHours(1));
        Transfer t = Fixtures.observed(1, 100, Instant.parse("2026-01-01T10:00:00Z"));
        assertThat(rule.age(t, Instant.parse("2026-01-01T09:00:00Z"))).isEqualTo(Duration.ZERO);
        assertThat(rule.isStuck(t, Instant.parse("2026-01-01T11:00:01Z"))).isTrue();
        assertThat(rule.isStuck(t, Instant.parse("2026-01-01T10:59:59Z"))).isFalse();
    }

    @Test
    void anUnderpaidTransferWaitsForItsUserAndIsNeverStuck() {
        StuckRule rule = new StuckRule(Map.of(), Duration.ofHours(1));
        Instant created = Instant.parse("2026-01-01T10:00:00Z");
        Transfer underpaid = Fixtures.observed(1, 100, created)
                .next(new TransferEvent.Underpaid(java.math.BigInteger.ONE, java.math.BigInteger.TEN), created.plusSeconds(60));
        assertThat(rule.isStuck(underpaid, created.plus(Duration.ofDays(30)))).isFalse();
        // the same age in FINALIZED (after the top-up) is Courier's to explain again
        Transfer toppedUp = underpaid.next(new TransferEvent.TopUpSeen(java.math.BigInteger.TEN), created.plusSeconds(120));
        assertThat(rule.isStuck(toppedUp, created.plus(Duration.ofDays(30)))).isTrue();
    }
}
