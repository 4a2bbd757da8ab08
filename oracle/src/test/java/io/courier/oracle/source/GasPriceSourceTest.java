package io.courier.oracle.source;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.ChainClient;
import io.courier.chain.ChainRpcException;
import io.courier.chain.FeeHistory;
import io.courier.chain.RpcCall;
import io.courier.chain.RpcFailure;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;

/** The gas price a chain's endpoint reports, as the submitter would pay it (fee mode auto). */
class GasPriceSourceTest {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private static final BigInteger GAS_PRICE = GWEI.multiply(BigInteger.valueOf(7));

    /** An endpoint answering only {@code eth_feeHistory} (with {@code history}, or failing with {@code error}) and {@code eth_gasPrice}. */
    private static ChainClient endpoint(FeeHistory history, Throwable error) {
        return (ChainClient) Proxy.newProxyInstance(ChainClient.class.getClassLoader(), new Class<?>[] {ChainClient.class}, (p, m, args) ->
                switch (m.getName()) {
                    case "feeHistory" -> error != null ? CompletableFuture.failedFuture(error) : CompletableFuture.completedFuture(history);
                    case "gasPrice" -> CompletableFuture.completedFuture(GAS_PRICE);
                    case "chainId" -> 1002L;
                    default -> throw new UnsupportedOperationException(m.getName());
                });
    }

    private static BigInteger observe(ChainClient endpoint) {
        return new GasPriceSource(1002, "e1", endpoint, 4, 50, Clock.systemUTC()).observe().toCompletableFuture().join().value();
    }

    private static ChainRpcException rpc(ChainRpcException.Kind kind) {
        return new ChainRpcException("beta", 1002, RpcCall.of("eth_feeHistory"), new RpcFailure(kind, kind.name(), null, null), 1, null);
    }

    @Test
    void anEip1559ChainIsTheNextBaseFeePlusTheMedianTip() {
        FeeHistory h = new FeeHistory(10, List.of(GWEI, GWEI.multiply(BigInteger.TWO)), List.of(0.5), List.of(List.of(GWEI)));
        assertThat(observe(endpoint(h, null))).isEqualTo(GWEI.multiply(BigInteger.valueOf(3)));
    }

    @Test
    void aChainWithoutBaseFeesOrWithoutFeeHistoryIsItsGasPrice() {
        FeeHistory zeros = new FeeHistory(10, List.of(BigInteger.ZERO, BigInteger.ZERO), List.of(0.5), List.of(List.of(GWEI)));
        assertThat(observe(endpoint(zeros, null))).isEqualTo(GAS_PRICE);
        assertThat(observe(endpoint(null, rpc(ChainRpcException.Kind.INVALID_REQUEST)))).isEqualTo(GAS_PRICE);
        assertThat(observe(endpoint(null, rpc(ChainRpcException.Kind.BAD_RESPONSE)))).isEqualTo(GAS_PRICE);
    }

    @Test
    void aPassingFailureIsAFailureNotALegacyChain() {
        assertThatThrownBy(() -> observe(endpoint(null, rpc(ChainRpcException.Kind.TIMEOUT)))).isInstanceOf(CompletionException.class)
                .hasCauseInstanceOf(ChainRpcException.class);
    }
}
