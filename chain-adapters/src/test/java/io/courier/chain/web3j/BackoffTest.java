package io.courier.chain.web3j;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private static final Backoff BACKOFF = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.5, 6);

    @Test
    void withoutJitterTheDelaysDoubleUpToTheMax() {
        Backoff plain = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), 2.0, 0.0, 6);
        assertThat(IntStream.rangeClosed(1, 6).mapToObj(retry -> plain.delayBeforeRetry(retry, () -> 0.7).toMillis()).toList())
                .containsExactly(100L, 200L, 400L, 800L, 1000L, 1000L);
    }

    @Test
    void jitterTakesAtMostItsShareOffTheDelay() {
        assertThat(BACKOFF.delayBeforeRetry(3, () -> 0.0)).isEqualTo(Duration.ofMillis(400));
        assertThat(BACKOFF.delayBeforeRetry(3, () -> 0.5)).isEqualTo(Duration.ofMillis(300));
        assertThat(BACKOFF.delayBeforeRetry(3, () -> 0.999_999)).isEqualTo(Duration.ofNanos(200_000_200));
    }

    @Test
    void seededRandomGivesAPinnedSequence() {
        Random random = new Random(42);
        List<Long> delays = IntStream.rangeClosed(1, 6)
                .mapToObj(retry -> BACKOFF.delayBeforeRetry(retry, random::nextDouble).toNanos())
                .toList();
        // Random(42).nextDouble(): 0.7275636800328681, 0.6832234717598454, 0.30871945533265976,
        // 0.27707849007413665, 0.6655489517945736, 0.9033722646721782
        assertThat(delays).containsExactly(
                63_621_816L,   // 100 ms * (1 - 0.5 * 0.72756...)
                131_677_653L,  // 200 ms * (1 - 0.5 * 0.68322...)
                338_256_109L,  // 400 ms * (1 - 0.5 * 0.30871...)
                689_168_604L,  // 800 ms * (1 - 0.5 * 0.27707...)
                667_225_524L,  // 1 s (capped) * (1 - 0.5 * 0.66554...)
                548_313_868L); // 1 s * (1 - 0.5 * 0.90337...)
    }

    @Test
    void sameSeedSameSequence() {
        Random a = new Random(7);
        Random b = new Random(7);
        for (int retry = 1; retry <= 10; retry++) {
            assertThat(BACKOFF.delayBeforeRetry(retry, a::nextDouble)).isEqualTo(BACKOFF.delayBeforeRetry(retry, b::nextDouble));
        }
    }

    @Test
    void delaysStayWithinBoundsForAnyRandomValue() {
        Random random = new Random(1);
        for (int retry = 1; retry <= 50; retry++) {
            Duration delay = BACKOFF.delayBeforeRetry(retry, random::nextDouble);
            assertThat(delay).isBetween(Duration.ofMillis(50), Duration.ofSeconds(1));
        }
    }

    @Test
    void hugeRetryNumbersDoNotOverflow() {
        assertThat(BACKOFF.delayBeforeRetry(10_000, () -> 0.0)).isEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void attemptsAreBounded() {
        assertThat(BACKOFF.allowsAnotherAfter(5)).isTrue();
        assertThat(BACKOFF.allowsAnotherAfter(6)).isFalse();
        assertThat(Backoff.none().allowsAnotherAfter(1)).isFalse();
        assertThat(Backoff.defaults().maxAttempts()).isEqualTo(4);
    }

    @Test
    void rejectsNonsense() {
        assertThatThrownBy(() -> new Backoff(Duration.ofSeconds(2), Duration.ofSeconds(1), 2, 0, 3))
                .hasMessageContaining("initial <= max");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, 0.5, 0, 3)).hasMessageContaining("multiplier");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, 1, 1.5, 3)).hasMessageContaining("jitter");
        assertThatThrownBy(() -> new Backoff(Duration.ZERO, Duration.ZERO, 1, 0, 0)).hasMessageContaining("maxAttempts");
        assertThatThrownBy(() -> BACKOFF.delayBeforeRetry(0, () -> 0)).hasMessageContaining("start at 1");
    }
}
