package io.courier.oracle.onchain;

import java.math.BigInteger;

/**
 * {@code GasOracle.maxFactorBps}: one update may move a value from {@code current} to {@code proposed} only if
 * {@code proposed × 10,000 ≤ current × factor} and {@code proposed × factor ≥ current × 10,000} (20,000 = ×2 either way).
 * The contract's check, in integers exactly as it does it, and the nearest allowed value to a target.
 */
public record MoveBound(long maxFactorBps) {

    static final BigInteger BPS = BigInteger.valueOf(10_000);

    public MoveBound {
        if (maxFactorBps <= 10_000 || maxFactorBps > 1_000_000) {
            throw new IllegalArgumentException("max factor must be in (10000, 1000000] basis points, was " + maxFactorBps);
        }
    }

    /** Whether the contract accepts a move from {@code current} to {@code proposed} (a first value, from 0, always). */
    public boolean allows(BigInteger current, BigInteger proposed) {
        if (proposed.signum() <= 0) {
            return false;
        }
        if (current.signum() == 0) {
            return true;
        }
        BigInteger f = BigInteger.valueOf(maxFactorBps);
        return proposed.multiply(BPS).compareTo(current.multiply(f)) <= 0 && proposed.multiply(f).compareTo(current.multiply(BPS)) >= 0;
    }

    /** The allowed value nearest {@code target}: {@code target} itself when allowed, else the furthest step towards it. */
    public BigInteger clamp(BigInteger current, BigInteger target) {
        if (current.signum() == 0) {
            return target;
        }
        BigInteger f = BigInteger.valueOf(maxFactorBps);
        BigInteger highest = current.multiply(f).divide(BPS); // floor: proposed × 10,000 ≤ current × f
        BigInteger[] qr = current.multiply(BPS).divideAndRemainder(f);
        BigInteger lowest = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE); // ceil: proposed × f ≥ current × 10,000
        return target.max(lowest).min(highest);
    }
}
