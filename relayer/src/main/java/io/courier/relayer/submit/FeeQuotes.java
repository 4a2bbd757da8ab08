package io.courier.relayer.submit;

import io.courier.chain.ChainClient;
import io.courier.chain.FeeHistory;
import io.courier.fees.FeeMarket;
import io.courier.fees.FeeMode;
import io.courier.fees.FeePricer;
import io.courier.fees.FeeSettings;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * What a transaction on one destination chain would pay now: the chain's market (EIP-1559 from the fee history, or
 * legacy by {@code eth_gasPrice}, detected in mode auto) priced under the chain's caps (docs/adr/004, "Fees and bumps").
 * Reads the chain, holds no state.
 */
final class FeeQuotes {

    private final ChainClient client;
    private final FeeSettings settings;

    FeeQuotes(ChainClient client, FeeSettings settings) {
        this.client = client;
        this.settings = settings;
    }

    CompletionStage<FeePricer.Outcome> price() {
        return market().thenApply(market -> FeePricer.price(market, settings));
    }

    /** The chain's fee market now: EIP-1559 from the fee history, or legacy by {@code eth_gasPrice}. */
    CompletionStage<FeeMarket> market() {
        FeeSettings f = settings;
        CompletionStage<Optional<FeeHistory>> history = f.mode() == FeeMode.LEGACY
                ? CompletableFuture.completedFuture(Optional.empty())
                : client.feeHistory(f.historyBlocks(), f.percentiles()).thenApply(Optional::of)
                        .exceptionallyCompose(e -> f.mode() == FeeMode.AUTO && FeeMarket.missingFeeHistory(e)
                                // a node before London has no fee history to give: priced by eth_gasPrice
                                ? CompletableFuture.completedFuture(Optional.empty())
                                : CompletableFuture.failedFuture(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e));
        return history.thenCompose(h -> FeeMarket.needsGasPrice(f.mode(), h)
                ? client.gasPrice().thenApply(p -> FeeMarket.of(f.mode(), h, Optional.of(p)))
                : CompletableFuture.completedFuture(FeeMarket.of(f.mode(), h, Optional.empty())));
    }

    /** Why nothing is sent now: the market needs more than the chain's cap (checked again at the next attempt). */
    static String overCap(FeePricer.OverCap over) {
        return "the market needs " + over.needed() + " wei per gas, above this chain's cap of " + over.cap()
                + " (fees.max-fee-per-gas-gwei); nothing is sent until it falls or the cap is raised";
    }
}
