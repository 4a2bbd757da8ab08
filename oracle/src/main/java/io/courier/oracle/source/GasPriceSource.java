package io.courier.oracle.source;

import io.courier.chain.ChainClient;
import io.courier.chain.FeeHistory;
import io.courier.fees.FeeMarket;
import io.courier.fees.FeeMode;
import io.courier.oracle.GasAsset;
import io.courier.oracle.PriceObservation;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * A chain's gas price as one RPC endpoint sees it: the next block's base fee plus the median, over the last
 * {@code blocks} blocks, of the priority fee paid at {@code percentile} — what a transaction sent now pays per gas.
 * One source per endpoint ({@link ChainClient#perEndpoint()}), so the aggregator can outvote one that lies.
 */
public record GasPriceSource(long chainId, String name, ChainClient endpoint, int blocks, double percentile, Clock clock)
        implements PriceSource {

    public GasPriceSource {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(endpoint, "endpoint");
        Objects.requireNonNull(clock, "clock");
        if (blocks < 1) {
            throw new IllegalArgumentException("fee history of at least one block, was " + blocks);
        }
        if (percentile < 0 || percentile > 100) {
            throw new IllegalArgumentException("percentile must be in [0, 100], was " + percentile);
        }
    }

    /** One source per endpoint of {@code chain}. */
    public static List<PriceSource> perEndpoint(ChainClient chain, int blocks, double percentile, Clock clock) {
        return chain.perEndpoint().entrySet().stream()
                .map(e -> (PriceSource) new GasPriceSource(chain.chainId(), e.getKey(), e.getValue(), blocks, percentile, clock))
                .toList();
    }

    @Override
    public String asset() {
        return GasAsset.of(chainId);
    }

    /**
     * A chain whose blocks carry no base fee (or whose node has no fee history: before London) is priced by
     * {@code eth_gasPrice}, as the submitter prices it (fee mode auto).
     */
    @Override
    public CompletionStage<PriceObservation> observe() {
        CompletionStage<Optional<FeeHistory>> history = endpoint.feeHistory(blocks, List.of(percentile)).thenApply(Optional::of)
                .exceptionallyCompose(e -> FeeMarket.missingFeeHistory(e) ? CompletableFuture.completedFuture(Optional.empty())
                        : CompletableFuture.failedFuture(e));
        return history.thenCompose(h -> FeeMarket.needsGasPrice(FeeMode.AUTO, h) ? endpoint.gasPrice()
                        : CompletableFuture.completedFuture(gasPrice(h.orElseThrow())))
                .thenApply(price -> new PriceObservation(asset(), name, price, clock.instant()));
    }

    /** Next base fee + the median tip at the percentile (0 when the node reports none). */
    static BigInteger gasPrice(FeeHistory history) {
        // the submitter's own reading of the market (one home for "next base fee + median tip")
        io.courier.fees.FeeMarket.Eip1559 market = io.courier.fees.FeeMarket.Eip1559.from(history);
        return market.nextBaseFee().add(market.medianReward());
    }
}
