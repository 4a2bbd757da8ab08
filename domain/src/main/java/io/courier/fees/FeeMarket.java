package io.courier.fees;

import io.courier.chain.FeeHistory;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** What a chain asks for gas now, in wei per gas. Pure. */
public sealed interface FeeMarket permits FeeMarket.Eip1559, FeeMarket.Legacy {

    /**
     * A chain whose blocks carry a base fee.
     *
     * @param nextBaseFee the base fee of the block after the newest one read
     * @param rewards     per recent block, the priority fee at the configured percentile (blocks the node gave no
     *                    reward for are left out)
     */
    record Eip1559(BigInteger nextBaseFee, List<BigInteger> rewards) implements FeeMarket {
        public Eip1559 {
            nonNegative("nextBaseFee", nextBaseFee);
            rewards = List.copyOf(rewards);
            rewards.forEach(r -> nonNegative("reward", r));
        }

        /** The next base fee and the first requested percentile of each block (see {@link FeeSettings#percentiles()}). */
        public static Eip1559 from(FeeHistory history) {
            List<BigInteger> rewards = new ArrayList<>();
            for (List<BigInteger> block : history.rewards()) {
                if (!block.isEmpty()) {
                    rewards.add(block.get(0));
                }
            }
            return new Eip1559(history.nextBaseFee(), rewards);
        }

        /** The upper median of the rewards; zero when there are none (the minimum tip then decides). */
        public BigInteger medianReward() {
            if (rewards.isEmpty()) {
                return BigInteger.ZERO;
            }
            List<BigInteger> sorted = new ArrayList<>(rewards);
            sorted.sort(null);
            return sorted.get(sorted.size() / 2);
        }
    }

    /** A chain priced by {@code eth_gasPrice} alone. */
    record Legacy(BigInteger gasPrice) implements FeeMarket {
        public Legacy {
            nonNegative("gasPrice", gasPrice);
        }
    }

    /**
     * Whether {@code eth_feeHistory} failed because the node has no fee history to give (a chain before London):
     * geth answers -32601 "method not found" ({@code INVALID_REQUEST}), others something unreadable
     * ({@code BAD_RESPONSE}). Such a chain is priced by {@code eth_gasPrice}; any other failure is just a failure.
     */
    static boolean missingFeeHistory(Throwable error) {
        Throwable e = error instanceof java.util.concurrent.CompletionException && error.getCause() != null ? error.getCause() : error;
        return e instanceof io.courier.chain.ChainRpcException rpc && (rpc.kind() == io.courier.chain.ChainRpcException.Kind.INVALID_REQUEST
                || rpc.kind() == io.courier.chain.ChainRpcException.Kind.BAD_RESPONSE);
    }

    /** Whether the blocks described carry a base fee: a chain before London answers zeros (or no base fees at all). */
    static boolean carriesBaseFee(FeeHistory history) {
        return history.baseFeePerGas().stream().anyMatch(fee -> fee.signum() > 0);
    }

    /**
     * Whether {@link #of} needs {@code eth_gasPrice}: in legacy mode, or when detecting and the history carries no
     * base fee or the node has none.
     */
    static boolean needsGasPrice(FeeMode mode, Optional<FeeHistory> history) {
        return switch (mode) {
            case LEGACY -> true;
            case EIP1559 -> false;
            case AUTO -> history.map(h -> !carriesBaseFee(h)).orElse(true);
        };
    }

    /**
     * The market, decided from what the node answered.
     *
     * @param history  {@code eth_feeHistory} at {@link FeeSettings#percentiles()}; empty only when the node has
     *                 none to give (a chain before London), never for a transient failure
     * @param gasPrice {@code eth_gasPrice}; needed when {@link #needsGasPrice} says so
     * @throws IllegalArgumentException when what the mode needs is missing
     */
    static FeeMarket of(FeeMode mode, Optional<FeeHistory> history, Optional<BigInteger> gasPrice) {
        Objects.requireNonNull(mode, "mode");
        if (!needsGasPrice(mode, history)) {
            // a zero base fee in eip1559 mode is a real (free) EIP-1559 market: the tip alone prices it
            return Eip1559.from(history.orElseThrow(
                    () -> new IllegalArgumentException("fee mode eip1559 needs a fee history, the node gave none")));
        }
        return new Legacy(gasPrice.orElseThrow(() -> new IllegalArgumentException(
                "fee mode " + mode.configValue() + " needs eth_gasPrice: "
                        + (mode == FeeMode.LEGACY ? "legacy mode" : "the chain's blocks carry no base fee"))));
    }

    private static void nonNegative(String what, BigInteger value) {
        Objects.requireNonNull(value, what);
        if (value.signum() < 0) {
            throw new IllegalArgumentException(what + " must not be negative, was " + value);
        }
    }
}
