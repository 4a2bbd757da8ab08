package io.courier.fees;

import io.courier.fees.FeeMarket.Eip1559;
import io.courier.fees.FeeMarket.Legacy;
import io.courier.fees.Fees.Eip1559Fees;
import io.courier.fees.Fees.LegacyFees;
import java.math.BigInteger;

/**
 * The first price of a transaction. EIP-1559: tip = the median of the recent blocks' rewards at the percentile, never
 * below the minimum tip, capped by the chain's tip cap; max fee = the next base fee projected over the expected blocks
 * to inclusion (×1.125 a block, the most EIP-1559 lets it rise) + the tip, capped by the chain's max fee. Legacy: the
 * node's gas price, never below the minimum tip. Pure.
 */
public final class FeePricer {

    public sealed interface Outcome permits Priced, OverCap {}

    public record Priced(Fees fees) implements Outcome {}

    /**
     * The market needs more per gas than this chain's cap allows: send nothing and ask again later.
     *
     * @param needed the least a transaction must offer now (next base fee + minimum tip; legacy: the gas price)
     * @param cap    the chain's cap on the max fee (legacy: on the gas price)
     */
    public record OverCap(BigInteger needed, BigInteger cap) implements Outcome {}

    /**
     * What the market asks of a transaction now, before the chain's caps.
     *
     * @param baseFee the next block's base fee (zero on a legacy chain: the whole gas price is the tip)
     * @param tip     the tip to offer (EIP-1559: already within the tip cap)
     * @param maxFee  the max fee with headroom for a rising base fee
     * @param needed  the least that can be offered: below it a transaction cannot be included or tips under the minimum
     */
    record Ask(BigInteger baseFee, BigInteger tip, BigInteger maxFee, BigInteger needed) {}

    private static final BigInteger NINE = BigInteger.valueOf(9);
    private static final BigInteger EIGHT = BigInteger.valueOf(8);

    private FeePricer() {}

    public static Outcome price(FeeMarket market, FeeSettings settings) {
        Ask ask = ask(market, settings);
        BigInteger cap = settings.maxFeePerGas();
        // Never clamp below what the market needs: a transaction under the base fee cannot be included, holds its nonce
        // and every later transaction of the signer behind it, and then costs replacements to get out. Sending nothing
        // costs nothing. The headroom above the need is ours to trim to the cap: it bounds the price, nobody pays it.
        if (ask.needed().compareTo(cap) > 0) {
            return new OverCap(ask.needed(), cap);
        }
        return new Priced(market instanceof Eip1559
                ? new Eip1559Fees(ask.maxFee().min(cap), ask.tip())
                : new LegacyFees(ask.needed()));
    }

    static Ask ask(FeeMarket market, FeeSettings settings) {
        BigInteger minTip = settings.minPriorityFeePerGas();
        if (market instanceof Eip1559 m) {
            // the tip cap may cut the percentile's tip, never below the minimum (FeeSettings: min tip <= tip cap)
            BigInteger tip = m.medianReward().max(minTip).min(settings.maxPriorityFeePerGas());
            return new Ask(m.nextBaseFee(), tip, projected(m.nextBaseFee(), settings.blocksToInclusion()).add(tip),
                    m.nextBaseFee().add(minTip));
        }
        BigInteger price = ((Legacy) market).gasPrice().max(minTip);
        return new Ask(BigInteger.ZERO, price, price, price);
    }

    /** The highest base fee {@code blocks} blocks after the next one can have: ×9/8 a block, rounded up. */
    static BigInteger projected(BigInteger nextBaseFee, int blocks) {
        BigInteger[] qr = nextBaseFee.multiply(NINE.pow(blocks)).divideAndRemainder(EIGHT.pow(blocks));
        return qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
    }
}
