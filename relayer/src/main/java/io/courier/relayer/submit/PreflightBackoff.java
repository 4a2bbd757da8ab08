package io.courier.relayer.submit;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A message whose pre-flight {@code eth_call} reverted (and that nobody executed) waits before it is prepared again,
 * 10 s doubling, so it costs its destination a few calls rather than one per sweep; after {@link #MAX_ATTEMPTS}
 * reverts it is parked as UNDELIVERABLE. Per message: the others to the same destination never wait for it. Pure.
 *
 * @param failures reverted pre-flights so far
 * @param notBefore the message is not prepared again before this instant
 */
record PreflightBackoff(int failures, Instant notBefore) {

    static final int MAX_ATTEMPTS = 5;
    static final Duration FIRST_WAIT = Duration.ofSeconds(10);

    /** After one more reverted pre-flight at {@code now}: the next wait, or empty when the attempts are used up (park it). */
    static Optional<PreflightBackoff> after(Optional<PreflightBackoff> previous, Instant now) {
        int failures = previous.map(PreflightBackoff::failures).orElse(0) + 1;
        if (failures >= MAX_ATTEMPTS) {
            return Optional.empty();
        }
        return Optional.of(new PreflightBackoff(failures, now.plus(FIRST_WAIT.multipliedBy(1L << (failures - 1)))));
    }

    boolean waiting(Instant now) {
        return now.isBefore(notBefore);
    }
}
