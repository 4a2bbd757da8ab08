package io.courier.chain;

import java.math.BigInteger;
import java.util.List;

/**
 * Answer of {@code eth_feeHistory}.
 *
 * @param oldestBlock number of the first block described
 * @param baseFeePerGas one entry per block, plus one more: the base fee of the next block
 * @param gasUsedRatio one entry per block
 * @param rewards per block, the priority fees at the requested percentiles
 */
public record FeeHistory(
        long oldestBlock, List<BigInteger> baseFeePerGas, List<Double> gasUsedRatio, List<List<BigInteger>> rewards) {

    public FeeHistory {
        baseFeePerGas = List.copyOf(baseFeePerGas);
        gasUsedRatio = List.copyOf(gasUsedRatio);
        rewards = rewards.stream().map(List::copyOf).toList();
        if (baseFeePerGas.isEmpty()) {
            throw new IllegalArgumentException("fee history without base fees");
        }
    }

    /** Base fee of the block after the newest one described: what a transaction sent now will pay. */
    public BigInteger nextBaseFee() {
        return baseFeePerGas.get(baseFeePerGas.size() - 1);
    }

    /** Number of blocks described. */
    public int blocks() {
        return gasUsedRatio.size();
    }
}
