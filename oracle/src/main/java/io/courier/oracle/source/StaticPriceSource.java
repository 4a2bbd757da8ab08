package io.courier.oracle.source;

import io.courier.oracle.PriceObservation;
import java.math.BigInteger;
import java.time.Clock;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A value from the configuration, always fresh: a floor for test networks, or one vote among live sources (a live
 * price moving away from it by more than the band is then outvoted only if the live sources disagree too).
 */
public record StaticPriceSource(String asset, String name, BigInteger value, Clock clock) implements PriceSource {

    public StaticPriceSource {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
        Objects.requireNonNull(clock, "clock");
    }

    @Override
    public CompletionStage<PriceObservation> observe() {
        return CompletableFuture.completedFuture(new PriceObservation(asset, name, value, clock.instant()));
    }
}
