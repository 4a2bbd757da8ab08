package io.courier.relayer.submit;

import io.courier.finality.DeliveryObstacle;
import java.math.BigInteger;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * Whether an execute can be delivered within the destination's limits, decided before a nonce is taken: a
 * transaction the node must refuse (issue 9: "intrinsic gas too low" for a 100 KB payload) would hold its nonce
 * and every later transaction of the signer behind it. Pure.
 */
final class DeliveryCheck {

    /**
     * Calldata bytes an execute may carry: geth's pool refuses a transaction above 128 KiB ({@code txMaxSize}); a
     * KiB is left for the envelope (nonce, fees, signature, RLP).
     */
    static final int MAX_CALLDATA_BYTES = 128 * 1024 - 1024;

    /** What the check decided. */
    sealed interface Verdict {

        /** Deliverable with this gas limit. */
        record Fits(BigInteger gasLimit) implements Verdict {}

        /** Not deliverable: never sign it. */
        record Blocked(DeliveryObstacle obstacle, String detail) implements Verdict {}
    }

    private DeliveryCheck() {}

    /** The gas every transaction pays before it runs: 21,000 + 16 per non-zero and 4 per zero calldata byte. */
    static long intrinsicGas(byte[] calldata) {
        long gas = ExecuteGasLimit.INTRINSIC;
        for (byte b : calldata) {
            gas += b == 0 ? 4 : 16;
        }
        return gas;
    }

    /**
     * @param blockGasLimit the destination head's gas limit, when known
     */
    static Verdict of(byte[] calldata, int signatures, long handlerGasLimit, long maxGasLimit, OptionalLong blockGasLimit) {
        if (calldata.length > MAX_CALLDATA_BYTES) {
            return new Verdict.Blocked(DeliveryObstacle.TOO_LARGE, "execute calldata is " + calldata.length
                    + " bytes, nodes accept at most " + MAX_CALLDATA_BYTES);
        }
        BigInteger needed = ExecuteGasLimit.of(calldata, signatures, handlerGasLimit);
        long intrinsic = intrinsicGas(calldata);
        if (blockGasLimit.isPresent() && needed.compareTo(BigInteger.valueOf(blockGasLimit.getAsLong())) > 0) {
            // raising max-gas-limit cannot help: no block holds it
            return new Verdict.Blocked(DeliveryObstacle.OVER_BLOCK_GAS_LIMIT, "execute needs " + needed + " gas (intrinsic "
                    + intrinsic + "), the destination's block gas limit is " + blockGasLimit.getAsLong());
        }
        if (needed.compareTo(BigInteger.valueOf(maxGasLimit)) > 0) {
            // sent with less, it could only fail: intrinsic gas too low, or the gateway's InsufficientGas
            return new Verdict.Blocked(DeliveryObstacle.OVER_GAS_CAP, "execute needs " + needed + " gas (intrinsic " + intrinsic
                    + ", " + calldata.length + " calldata bytes), above submitter.max-gas-limit " + maxGasLimit);
        }
        return new Verdict.Fits(needed);
    }

    /**
     * Why no execute can fit under the cap whatever the message (the gateway's handler gas, with the 63/64 reserve and
     * the smallest execute around it, is above {@code maxGasLimit}); empty when some can.
     */
    static Optional<String> handlerOverCap(long handlerGasLimit, long maxGasLimit) {
        BigInteger least = ExecuteGasLimit.of(new byte[0], 0, handlerGasLimit);
        return least.compareTo(BigInteger.valueOf(maxGasLimit)) > 0
                ? Optional.of("the gateway's handlerGasLimit " + handlerGasLimit + " needs at least " + least
                        + " gas per execute, above submitter.max-gas-limit " + maxGasLimit)
                : Optional.empty();
    }
}
