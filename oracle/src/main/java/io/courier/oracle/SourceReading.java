package io.courier.oracle;

import java.util.Objects;

/** What asking one source gave: a value, or a failure (unreachable, malformed answer, timeout), never an exception. */
public sealed interface SourceReading {

    String asset();

    String source();

    record Observed(PriceObservation observation) implements SourceReading {
        public Observed {
            Objects.requireNonNull(observation, "observation");
        }

        @Override
        public String asset() {
            return observation.asset();
        }

        @Override
        public String source() {
            return observation.source();
        }
    }

    /** {@code error} is shown in logs and the API: it must hold no secret (a source's URL may carry an API key). */
    record Failed(String asset, String source, String error) implements SourceReading {
        public Failed {
            Objects.requireNonNull(asset, "asset");
            Objects.requireNonNull(source, "source");
            Objects.requireNonNull(error, "error");
        }
    }
}
