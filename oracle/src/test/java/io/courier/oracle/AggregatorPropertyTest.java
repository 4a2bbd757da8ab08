package io.courier.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AggregatorPropertyTest {

    private static final String ASSET = "ETH";
    private static final Instant NOW = Instant.parse("2026-12-04T12:00:00Z");
    private static final Duration MAX_AGE = Duration.ofMinutes(10);
    private static final BigDecimal MAX_DEVIATION = new BigDecimal("0.10");

    private static SourceReading observed(String source, BigInteger value, Instant at) {
        return new SourceReading.Observed(new PriceObservation(ASSET, source, value, at));
    }

    /**
     * Honest sources agree within half the band (fresh, positive); liars, fewer than the honest ones, say anything:
     * any value (zero, negative, huge, or just outside the honest range), any date, or nothing at all. The price is always there and within the range
     * of the honest values, and every honest source is used.
     */
    @Test
    void aMinorityOfLiarsCannotMoveThePriceOutOfTheHonestRange() {
        qt().forAll(lists().of(longs().between(0, 49)).ofSizeBetween(1, 7), integers().between(0, 6),
                        longs().between(1_000, 1_000_000_000_000L), longs().all())
                .checkAssert((honestOffsets, l, base, seed) -> {
                    Random random = new Random(seed);
                    int liars = l % honestOffsets.size(); // strictly fewer liars than honest sources
                    List<SourceReading> readings = new ArrayList<>();
                    List<BigInteger> honest = new ArrayList<>();
                    for (int i = 0; i < honestOffsets.size(); i++) {
                        // base × (1 + offset/1000), offset < 50: all within 5 % = half the 10 % band
                        BigInteger value = BigInteger.valueOf(base).multiply(BigInteger.valueOf(1000 + honestOffsets.get(i)))
                                .divide(BigInteger.valueOf(1000));
                        honest.add(value);
                        readings.add(observed("honest-" + i, value, NOW.minusSeconds(random.nextInt(600))));
                    }
                    for (int i = 0; i < liars; i++) {
                        readings.add(lie("liar-" + i, random, Collections.min(honest), Collections.max(honest)));
                    }
                    Collections.shuffle(readings, random);
                    int minSources = 1 + random.nextInt(honest.size());

                    AggregatedPrice result = Aggregator.aggregate(ASSET, readings,
                            new AggregationPolicy(minSources, MAX_AGE, MAX_DEVIATION), NOW);

                    assertThat(result).isInstanceOf(Price.class);
                    Price price = (Price) result;
                    assertThat(price.value()).isBetween(Collections.min(honest), Collections.max(honest));
                    assertThat(price.sources()).containsAll(readings.stream().map(SourceReading::source)
                            .filter(s -> s.startsWith("honest")).toList());
                });
    }

    private static SourceReading lie(String source, Random random, BigInteger minHonest, BigInteger maxHonest) {
        return switch (random.nextInt(7)) {
            // just outside the honest range but perhaps inside the band: accepted, it must still not set the price
            case 5 -> observed(source, maxHonest.multiply(BigInteger.valueOf(1001 + random.nextInt(90))).divide(BigInteger.valueOf(1000)), NOW);
            case 6 -> observed(source, minHonest.multiply(BigInteger.valueOf(999 - random.nextInt(90))).divide(BigInteger.valueOf(1000)), NOW);
            case 0 -> new SourceReading.Failed(ASSET, source, "connection refused");
            case 1 -> observed(source, BigInteger.valueOf(random.nextLong()), NOW); // any value, negative too
            case 2 -> observed(source, BigInteger.valueOf(random.nextLong()).abs().add(BigInteger.ONE),
                    NOW.minusSeconds(random.nextInt(100_000))); // any age
            case 3 -> observed(source, BigInteger.TEN.pow(30), NOW.plusSeconds(random.nextInt(100_000))); // huge, any date
            default -> observed(source, BigInteger.ONE, NOW); // tiny and fresh
        };
    }

    @Test
    void staleSourcesAreRejectedAndNeverUsed() {
        qt().forAll(longs().between(1, 1_000_000), longs().between(1, 10_000_000), integers().between(0, 3))
                .checkAssert((value, secondsTooOld, fresh) -> {
                    List<SourceReading> readings = new ArrayList<>();
                    for (int i = 0; i < fresh; i++) {
                        readings.add(observed("fresh-" + i, BigInteger.valueOf(value), NOW));
                    }
                    readings.add(observed("old", BigInteger.valueOf(value), NOW.minus(MAX_AGE).minusSeconds(secondsTooOld)));

                    AggregatedPrice result = Aggregator.aggregate(ASSET, readings, new AggregationPolicy(1, MAX_AGE, MAX_DEVIATION), NOW);

                    assertThat(result.rejected()).extracting(Rejection::source, Rejection::reason)
                            .contains(org.assertj.core.groups.Tuple.tuple("old", RejectionReason.STALE));
                    if (result instanceof Price price) {
                        assertThat(price.sources()).doesNotContain("old").hasSize(fresh);
                    } else {
                        assertThat(fresh).isZero();
                    }
                });
    }

    @Test
    void aSourceOutsideTheBandAroundTheOthersIsRejectedAsDeviating() {
        // two or more sources agreeing within 1 %, one off by at least 20 % either way
        qt().forAll(integers().between(2, 6), longs().between(1_000, 1_000_000_000L), integers().between(1_200, 100_000),
                        integers().between(0, 1))
                .checkAssert((agreeing, base, permille, down) -> {
                    List<SourceReading> readings = new ArrayList<>();
                    for (int i = 0; i < agreeing; i++) {
                        readings.add(observed("s" + i, BigInteger.valueOf(base + base * i / 200), NOW));
                    }
                    BigInteger off = down == 1
                            ? BigInteger.valueOf(base).multiply(BigInteger.valueOf(1000)).divide(BigInteger.valueOf(permille))
                            : BigInteger.valueOf(base).multiply(BigInteger.valueOf(permille)).divide(BigInteger.valueOf(1000));
                    readings.add(observed("outlier", off, NOW));

                    AggregatedPrice result = Aggregator.aggregate(ASSET, readings,
                            new AggregationPolicy(agreeing, MAX_AGE, MAX_DEVIATION), NOW);

                    assertThat(result).isInstanceOf(Price.class);
                    assertThat(((Price) result).sources()).doesNotContain("outlier").hasSize(agreeing);
                    assertThat(result.rejected()).singleElement()
                            .satisfies(r -> assertThat(r.reason()).isEqualTo(RejectionReason.DEVIATING))
                            .satisfies(r -> assertThat(r.source()).isEqualTo("outlier"));
                });
    }

    @Test
    void fewerAcceptedSourcesThanTheMinimumGiveNoPriceAndSayWhy() {
        qt().forAll(integers().between(0, 5), integers().between(1, 5), integers().between(0, 3))
                .checkAssert((fresh, missing, broken) -> {
                    List<SourceReading> readings = new ArrayList<>();
                    for (int i = 0; i < fresh; i++) {
                        readings.add(observed("ok-" + i, BigInteger.valueOf(3_000_00000000L), NOW));
                    }
                    for (int i = 0; i < broken; i++) {
                        readings.add(i % 2 == 0 ? new SourceReading.Failed(ASSET, "down-" + i, "timeout")
                                : observed("zero-" + i, BigInteger.ZERO, NOW));
                    }

                    AggregatedPrice result = Aggregator.aggregate(ASSET, readings,
                            new AggregationPolicy(fresh + missing, MAX_AGE, MAX_DEVIATION), NOW);

                    assertThat(result).isInstanceOf(NoPrice.class);
                    assertThat(((NoPrice) result).reason()).isEqualTo(NoPriceReason.TOO_FEW_SOURCES);
                    assertThat(((NoPrice) result).detail()).contains(fresh + " of " + readings.size(), "min-sources is " + (fresh + missing));
                    assertThat(result.rejected()).hasSize(broken);
                });
    }
}
