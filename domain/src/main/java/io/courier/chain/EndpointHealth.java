package io.courier.chain;


import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * A snapshot of one endpoint of an endpoint pool, for a status page and metrics.
 *
 * @param label scheme, host and port (never the path, which may hold an API key)
 * @param state why the endpoint is or is not used
 * @param healthy {@link State#UP}: calls may go to it
 * @param inCooldownUntil when a cooldown or a Retry-After ends, if one is running; else null
 * @param errorRate share of recent attempts the endpoint failed (0..1), decayed over time
 * @param latencyMs recent answer time, decayed over time; null when there is no recent answer
 * @param head the latest block number the endpoint reported; null when unknown
 * @param demotedAsStale its head trails the best head seen by more than the allowed lag
 * @param consecutiveFailures transport failures in a row
 */
public record EndpointHealth(
        String label,
        State state,
        boolean healthy,
        Instant inCooldownUntil,
        double errorRate,
        Double latencyMs,
        Long head,
        boolean demotedAsStale,
        int consecutiveFailures) {

    /** Exported as a label: add states, never rename or remove one. */
    public enum State {
        /** Taking calls. */
        UP,
        /** Left alone after failures in a row, until {@code inCooldownUntil}. */
        COOLDOWN,
        /** The cooldown is over; the next call to it is a trial that restores it or cools it down again. */
        HALF_OPEN,
        /** It answered HTTP 429 (or 503) with Retry-After; not called before {@code inCooldownUntil}. */
        RATE_LIMITED,
        /** It serves another chain id; never used again. */
        DISABLED;

        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    public EndpointHealth {
        Objects.requireNonNull(label, "label");
        Objects.requireNonNull(state, "state");
    }
}
