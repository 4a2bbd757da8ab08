package io.courier.payment;

import java.math.BigInteger;
import java.util.Map;
import java.util.Objects;

/**
 * Every route's payment rule: {@code byRoute} (keyed {@code "src->dst"}, as {@code Transfer.route} names routes) over
 * {@code defaults}. Pure and immutable.
 */
public record PaymentPolicy(RoutePayment defaults, Map<String, RoutePayment> byRoute) {

    /** Every route sponsored: nothing is ever held for payment (tests and nodes an operator pays for entirely). */
    public static final PaymentPolicy SPONSORED = new PaymentPolicy(RoutePayment.sponsored(), Map.of());

    public PaymentPolicy {
        Objects.requireNonNull(defaults, "defaults");
        byRoute = Map.copyOf(byRoute);
    }

    public static String route(long from, long to) {
        return from + "->" + to;
    }

    public RoutePayment forRoute(long from, long to) {
        return byRoute.getOrDefault(route(from, to), defaults);
    }

    /** Whether a quote is needed to judge messages of this route (not for a sponsored one). */
    public boolean needsQuote(long from, long to) {
        return forRoute(from, to).mode() == PaymentMode.REQUIRED;
    }

    /**
     * The verdict for a message of route {@code from -> to} that has paid {@code paid} wei (its final payments) when the
     * oracle says {@code requirement}. A sponsored route ignores the requirement; a required one delivers only when
     * {@code paid} reaches the quote less the tolerance, and never without a quote.
     */
    public PaymentVerdict judge(long from, long to, BigInteger paid, Requirement requirement) {
        Objects.requireNonNull(paid, "paid");
        Objects.requireNonNull(requirement, "requirement");
        if (paid.signum() < 0) {
            throw new IllegalArgumentException("paid is never negative, got " + paid);
        }
        RoutePayment rule = forRoute(from, to);
        if (rule.mode() == PaymentMode.SPONSORED) {
            return new PaymentVerdict.Sponsored(paid);
        }
        if (requirement instanceof Requirement.Unavailable none) {
            return new PaymentVerdict.NoQuote(paid, none.reason());
        }
        BigInteger quote = ((Requirement.Quoted) requirement).fee();
        return paid.compareTo(rule.threshold(quote)) >= 0
                ? new PaymentVerdict.Paid(paid, quote) : new PaymentVerdict.Underpaid(paid, quote);
    }
}
