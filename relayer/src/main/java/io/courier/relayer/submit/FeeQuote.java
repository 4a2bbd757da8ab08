package io.courier.relayer.submit;

import java.math.BigInteger;

/** EIP-1559 fees for one transaction, in wei. */
public record FeeQuote(BigInteger maxFeePerGas, BigInteger maxPriorityFeePerGas) {
    public FeeQuote {
        if (maxPriorityFeePerGas.signum() < 0 || maxFeePerGas.compareTo(maxPriorityFeePerGas) < 0) {
            throw new IllegalArgumentException("max fee " + maxFeePerGas + " below priority fee " + maxPriorityFeePerGas);
        }
    }
}
