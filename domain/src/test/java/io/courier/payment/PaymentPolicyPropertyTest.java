package io.courier.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The payment rule of issue 11 written out again against random quotes, payments and tolerances: a sponsored route
 * always delivers, a required one never without a quote, and with one exactly when paid reaches quote × (1 − tolerance)
 * (never a wei below it), monotonically in what was paid.
 */
class PaymentPolicyPropertyTest {

    private static final int EXAMPLES = 2000;
    private static final long FROM = 1;
    private static final long TO = 10;

    @Test
    void aSponsoredRouteDeliversWhateverWasPaidAndWhateverTheOracleSays() {
        PaymentPolicy policy = new PaymentPolicy(RoutePayment.required(BigDecimal.ZERO),
                Map.of(PaymentPolicy.route(FROM, TO), RoutePayment.sponsored()));
        qt().withExamples(EXAMPLES).forAll(wei(), requirements()).checkAssert((paid, requirement) -> {
            assertThat(policy.judge(FROM, TO, paid, requirement)).isEqualTo(new PaymentVerdict.Sponsored(paid));
            // the override is per route: the way back is still required
            assertThat(policy.needsQuote(TO, FROM)).isTrue();
        });
    }

    @Test
    void aRequiredRouteWithoutAQuoteNeverDelivers() {
        qt().withExamples(EXAMPLES).forAll(wei(), tolerances(), reasons()).checkAssert((paid, tolerance, reason) -> {
            PaymentVerdict verdict = required(tolerance).judge(FROM, TO, paid, new Requirement.Unavailable(reason));
            assertThat(verdict.deliverable()).isFalse();
            assertThat(verdict).isEqualTo(new PaymentVerdict.NoQuote(paid, reason));
        });
    }

    @Test
    void aRequiredRouteDeliversExactlyFromQuoteLessTolerance() {
        qt().withExamples(EXAMPLES).forAll(wei(), wei(), tolerances()).checkAssert((paid, quote, tolerance) -> {
            PaymentVerdict verdict = required(tolerance).judge(FROM, TO, paid, new Requirement.Quoted(quote, 200_000));
            // paid >= quote * (1 - tolerance), in exact rational arithmetic: paid * 10^k >= quote * (10^k - t * 10^k)
            BigDecimal least = new BigDecimal(quote).multiply(BigDecimal.ONE.subtract(tolerance));
            boolean enough = new BigDecimal(paid).compareTo(least) >= 0;
            assertThat(verdict.deliverable()).as("paid %s, quote %s, tolerance %s", paid, quote, tolerance).isEqualTo(enough);
            if (enough) {
                assertThat(verdict).isEqualTo(new PaymentVerdict.Paid(paid, quote));
            } else {
                PaymentVerdict.Underpaid under = (PaymentVerdict.Underpaid) verdict;
                assertThat(under.missing()).isPositive();
                assertThat(under.paid().add(under.missing())).isEqualTo(quote);
            }
        });
    }

    /** Right at the boundary (a few wei either side of quote × (1 − tolerance)), where rounding would let a wei through. */
    @Test
    void theBoundaryIsTheExactProductNotARoundedOne() {
        qt().withExamples(EXAMPLES).forAll(wei(), tolerances(), integers().between(-2, 2)).checkAssert((quote, tolerance, offset) -> {
            BigDecimal least = new BigDecimal(quote).multiply(BigDecimal.ONE.subtract(tolerance));
            BigInteger paid = least.setScale(0, java.math.RoundingMode.FLOOR).toBigIntegerExact().add(BigInteger.valueOf(offset))
                    .max(BigInteger.ZERO);
            boolean enough = new BigDecimal(paid).compareTo(least) >= 0;
            assertThat(required(tolerance).judge(FROM, TO, paid, new Requirement.Quoted(quote, 200_000)).deliverable())
                    .as("paid %s, quote %s, tolerance %s", paid, quote, tolerance).isEqualTo(enough);
        });
    }

    @Test
    void payingMoreNeverTurnsADeliveryIntoAHold() {
        qt().withExamples(EXAMPLES).forAll(wei(), wei(), wei(), tolerances()).checkAssert((paid, more, quote, tolerance) -> {
            Requirement.Quoted quoted = new Requirement.Quoted(quote, 200_000);
            PaymentPolicy policy = required(tolerance);
            if (policy.judge(FROM, TO, paid, quoted).deliverable()) {
                assertThat(policy.judge(FROM, TO, paid.add(more), quoted).deliverable()).isTrue();
            }
            // the full quote always delivers; a top-up of what is missing always delivers
            assertThat(policy.judge(FROM, TO, quote, quoted).deliverable()).isTrue();
            if (policy.judge(FROM, TO, paid, quoted) instanceof PaymentVerdict.Underpaid under) {
                assertThat(policy.judge(FROM, TO, paid.add(under.missing()), quoted).deliverable()).isTrue();
            }
        });
    }

    @Test
    void aToleranceOfZeroAsksForTheWholeQuote() {
        qt().withExamples(EXAMPLES).forAll(wei().map(q -> q.add(BigInteger.ONE))).checkAssert(quote -> {
            Requirement.Quoted quoted = new Requirement.Quoted(quote, 200_000);
            assertThat(required(BigDecimal.ZERO).judge(FROM, TO, quote.subtract(BigInteger.ONE), quoted).deliverable()).isFalse();
            assertThat(required(BigDecimal.ZERO).judge(FROM, TO, quote, quoted).deliverable()).isTrue();
        });
    }

    private static PaymentPolicy required(BigDecimal tolerance) {
        return new PaymentPolicy(RoutePayment.required(tolerance), Map.of());
    }

    /** Zero, a few wei (rounding) and up to 10^24 (a million ether). */
    static Gen<BigInteger> wei() {
        BigInteger base = BigInteger.TEN.pow(12);
        return longs().between(0, base.longValueExact()).zip(longs().between(0, base.longValueExact() - 1), integers().between(0, 2),
                (high, low, shape) -> switch (shape) {
                    case 0 -> BigInteger.valueOf(low % 1000);
                    case 1 -> BigInteger.valueOf(low);
                    default -> BigInteger.valueOf(high).multiply(base).add(BigInteger.valueOf(low));
                });
    }

    /** 0 to 0.9999, four decimals. */
    static Gen<BigDecimal> tolerances() {
        return integers().between(0, 9_999).map(n -> BigDecimal.valueOf(n, 4));
    }

    static Gen<String> reasons() {
        return integers().between(1, 5).map(n -> "no price of ETH: " + n + " of 3 sources agree");
    }

    static Gen<Requirement> requirements() {
        return wei().zip(integers().between(0, 1), (fee, kind) -> kind == 0
                ? new Requirement.Quoted(fee, 200_000) : new Requirement.Unavailable("no price of ETH observed yet"));
    }
}
