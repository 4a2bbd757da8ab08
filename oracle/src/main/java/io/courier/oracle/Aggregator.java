package io.courier.oracle;

import io.courier.oracle.AggregatedPrice.NoPrice;
import io.courier.oracle.AggregatedPrice.Price;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * Turns one asset's source readings into a price no minority of sources can move: failing, non-positive and stale
 * readings are rejected first; then every fresh reading further than {@code max-deviation} from the median of the
 * fresh readings is an outlier; the price is the median of the rest, if at least {@code min-sources} remain.
 *
 * <p>The reference is the median of all fresh readings, each source's own included. The median of "the others"
 * sounds stricter but is ambiguous with an even count: with three sources of which one lies, an honest source's
 * "others" are one honest value and the lie, and their midpoint can be anywhere; the median of all three is an
 * honest value whatever the lie. As long as fewer than half the fresh sources lie, the reference lies between
 * honest values, so honest sources within the band of each other are kept and the result stays in the honest range.
 */
public final class Aggregator {

    private Aggregator() {}

    public static AggregatedPrice aggregate(String asset, List<SourceReading> readings, AggregationPolicy policy, Instant now) {
        Objects.requireNonNull(asset, "asset");
        Objects.requireNonNull(policy, "policy");
        Objects.requireNonNull(now, "now");
        List<Rejection> rejected = new ArrayList<>();
        List<PriceObservation> fresh = new ArrayList<>();
        for (SourceReading reading : readings) {
            if (!reading.asset().equals(asset)) {
                throw new IllegalArgumentException("a reading of " + reading.asset() + " from " + reading.source()
                        + " was given to the aggregate of " + asset);
            }
            if (reading instanceof SourceReading.Failed f) {
                rejected.add(new Rejection(f.source(), RejectionReason.FAILING, f.error()));
                continue;
            }
            PriceObservation p = ((SourceReading.Observed) reading).observation();
            Duration age = Duration.between(p.observedAt(), now);
            if (p.value().signum() <= 0) {
                rejected.add(new Rejection(p.source(), RejectionReason.NOT_POSITIVE, "value " + p.value()));
            } else if (age.compareTo(policy.maxAge()) > 0) {
                rejected.add(new Rejection(p.source(), RejectionReason.STALE, "observed at " + p.observedAt()
                        + ", " + age.toSeconds() + " s old; max-age " + policy.maxAge().toSeconds() + " s"));
            } else if (age.negated().compareTo(policy.maxAge()) > 0) {
                // a clock a little ahead is tolerated; a value dated far ahead would stay "fresh" for as long
                rejected.add(new Rejection(p.source(), RejectionReason.STALE, "observed at " + p.observedAt()
                        + ", " + age.negated().toSeconds() + " s in the future"));
            } else {
                fresh.add(p);
            }
        }
        List<PriceObservation> accepted = new ArrayList<>();
        if (!fresh.isEmpty()) {
            BigInteger reference = median(fresh.stream().map(PriceObservation::value).toList());
            BigDecimal band = new BigDecimal(reference).multiply(policy.maxDeviation());
            for (PriceObservation p : fresh) {
                BigInteger distance = p.value().subtract(reference).abs();
                if (new BigDecimal(distance).compareTo(band) > 0) {
                    rejected.add(new Rejection(p.source(), RejectionReason.DEVIATING, "value " + p.value() + " is "
                            + distance + " from the median " + reference + " of " + fresh.size()
                            + " fresh source(s); max-deviation " + policy.maxDeviation().toPlainString()));
                } else {
                    accepted.add(p);
                }
            }
        }
        if (accepted.size() < policy.minSources()) {
            return new NoPrice(asset, NoPriceReason.TOO_FEW_SOURCES, accepted.size() + " of " + readings.size()
                    + " source(s) of " + asset + " accepted, min-sources is " + policy.minSources(), rejected);
        }
        BigInteger value = median(accepted.stream().map(PriceObservation::value).toList());
        // fresh until the min-sources-th newest accepted observation turns stale
        List<Instant> newestFirst = accepted.stream().map(PriceObservation::observedAt)
                .map(at -> at.isAfter(now) ? now : at).sorted(Comparator.reverseOrder()).toList();
        Instant freshUntil = newestFirst.get(policy.minSources() - 1).plus(policy.maxAge());
        return new Price(asset, value, accepted, rejected, now, freshUntil);
    }

    /** The middle value; with an even count the mean of the two middle ones, rounded down. */
    static BigInteger median(List<BigInteger> values) {
        if (values.isEmpty()) {
            throw new IllegalArgumentException("median of no values");
        }
        List<BigInteger> sorted = values.stream().sorted().toList();
        int mid = sorted.size() / 2;
        return sorted.size() % 2 == 1 ? sorted.get(mid) : sorted.get(mid - 1).add(sorted.get(mid)).shiftRight(1);
    }
}
