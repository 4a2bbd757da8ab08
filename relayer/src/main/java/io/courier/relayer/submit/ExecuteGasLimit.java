package io.courier.relayer.submit;

import java.math.BigInteger;

/**
 * Gas limit of an {@code execute} transaction from its shape instead of {@code eth_estimateGas}: an estimate
 * is a binary search of many executions on the node (Ganache needs seconds under load), while the cost of
 * execute is bounded by construction: intrinsic gas, calldata, a fixed verification and bookkeeping part per
 * signature, and the handler's gas, which the gateway caps and requires to be available (63/64 rule).
 * Unused gas is not charged, so a bound that is safe rather than tight costs nothing.
 */
public final class ExecuteGasLimit {

    static final long INTRINSIC = 21_000;
    /** id recomputation, replay slot write (fresh slot: 22,100), events, call overhead. */
    static final long FIXED_EXECUTION = 60_000;
    /** ecrecover (3,000) + EIP-712 digest share, validator lookup (cold SLOAD 2,100), memory. */
    static final long PER_SIGNATURE = 8_000;
    /** the gateway's own guard: it needs {@code (handlerGas + 1000) * 64/63} left before the call. */
    static final long HANDLER_RESERVE = 1_000;

    private ExecuteGasLimit() {}

    public static BigInteger of(byte[] calldata, int signatures, long handlerGasLimit) {
        long calldataGas = 0;
        for (byte b : calldata) {
            calldataGas += b == 0 ? 4 : 16;
        }
        long handler = (handlerGasLimit + HANDLER_RESERVE) * 64 / 63 + 1;
        return BigInteger.valueOf(INTRINSIC + calldataGas + FIXED_EXECUTION + PER_SIGNATURE * (long) signatures + handler);
    }
}
