package io.courier.fees;

import io.courier.fees.FeePricer.Ask;
import io.courier.fees.Fees.Eip1559Fees;
import io.courier.fees.Fees.LegacyFees;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;

/**
 * The replacement of a transaction left unmined: same nonce, both fee fields raised by at least the minimum raise,
 * up to the market's price, never above the chain's caps, at most {@code maxBumps} times. Bounded on purpose: relayers
 * that bumped without a bound have paid 40× and drained wallets; once bounded, the transaction is left alone and the
 * caller alerts. Pure.
 */
public final class FeeBump {

    public sealed interface Outcome permits Replace, Exhausted, NotNeeded {}

    /** Sign and send these fees at the same nonce. */
    public record Replace(Fees fees) implements Outcome {}

    /** No replacement is allowed: leave the transaction alone and alert. */
    public record Exhausted(Reason reason, String detail) implements Outcome {}

    /** The transaction already pays what the market asks now: a replacement would only cost more. */
    public record NotNeeded() implements Outcome {}

    public enum Reason {
        /** The replacements allowed were all made. */
        MAX_BUMPS,
        /** The least acceptable raise would go above the chain's cap. */
        CAP_REACHED
    }

    private static final BigDecimal HUNDRED = BigDecimal.valueOf(100);

    private FeeBump() {}

    /** The block from which a transaction broadcast at {@code submittedAtBlock} and still unmined is replaced. */
    public static long dueAt(long submittedAtBlock, FeeSettings settings) {
        return submittedAtBlock + settings.bumpAfterBlocks();
    }

    public static boolean isDue(long submittedAtBlock, long headBlock, FeeSettings settings) {
        return headBlock >= dueAt(submittedAtBlock, settings);
    }

    /**
     * @param inFlight   the fees of the transaction (or last replacement) in flight
     * @param market     the market now
     * @param bumpsDone  replacements of this transaction so far
     */
    public static Outcome next(Fees inFlight, FeeMarket market, int bumpsDone, FeeSettings settings) {
        if (bumpsDone < 0) {
            throw new IllegalArgumentException("bumps done must not be negative, was " + bumpsDone);
        }
        Ask ask = FeePricer.ask(market, settings);
        // checked before the bump count: a transaction that pays what the market asks is not stuck on price, so there
        // is nothing to raise and nothing to alert about, however many bumps were made
        if (inFlight.tipAt(ask.baseFee()).compareTo(ask.tip()) >= 0) {
            return new NotNeeded();
        }
        if (bumpsDone >= settings.maxBumps()) {
            return new Exhausted(Reason.MAX_BUMPS, bumpsDone + " replacements of " + settings.maxBumps() + " made; fees in flight "
                    + inFlight + ", the market asks a tip of " + ask.tip() + " at base fee " + ask.baseFee());
        }
        BigInteger cap = settings.maxFeePerGas();
        BigInteger maxFee = raised(inFlight.maxFee(), settings.minRaisePercent());
        // the replacement keeps the type of the transaction in flight: after a mode flip a legacy transaction on an
        // EIP-1559 market asks base fee + tip as its gas price, an EIP-1559 one on a legacy market the gas price as tip
        if (inFlight instanceof Eip1559Fees f) {
            BigInteger tipCap = settings.maxPriorityFeePerGas();
            BigInteger tip = raised(f.maxPriorityFeePerGas(), settings.minRaisePercent()).max(ask.tip().min(tipCap));
            maxFee = maxFee.max(ask.maxFee().min(cap));
            if (tip.compareTo(tipCap) > 0) {
                return overCap("max priority fee per gas", f.maxPriorityFeePerGas(), tip, tipCap);
            }
            if (maxFee.compareTo(cap) > 0) {
                return overCap("max fee per gas", f.maxFeePerGas(), maxFee, cap);
            }
            return new Replace(new Eip1559Fees(maxFee, tip));
        }
        LegacyFees f = (LegacyFees) inFlight;
        BigInteger price = maxFee.max(ask.baseFee().add(ask.tip()).min(cap));
        return price.compareTo(cap) > 0 ? overCap("gas price", f.gasPrice(), price, cap) : new Replace(new LegacyFees(price));
    }

    /**
     * {@code value} raised by {@code percent}, rounded up, and by at least one wei: geth takes a replacement only when
     * both fields are strictly higher, which a zero field raised by a percentage is not.
     */
    static BigInteger raised(BigInteger value, BigDecimal percent) {
        BigInteger up = new BigDecimal(value).multiply(HUNDRED.add(percent)).divide(HUNDRED, 0, RoundingMode.CEILING).toBigIntegerExact();
        return up.max(value.add(BigInteger.ONE));
    }

    private static Exhausted overCap(String field, BigInteger inFlight, BigInteger least, BigInteger cap) {
        return new Exhausted(Reason.CAP_REACHED,
                field + " in flight " + inFlight + " would have to rise to " + least + ", above the chain's cap " + cap);
    }
}
