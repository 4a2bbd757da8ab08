package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.ChainRpcException;
import io.courier.chain.GatewayEvents;
import io.courier.chain.LogFilter;
import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import io.courier.relayer.submitfakes.FakeChainClient;
import io.courier.relayer.submitfakes.Transfers;
import java.lang.reflect.Proxy;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.web3j.utils.Numeric;

/** The gateway port's typed answers, over a chain that answers only what the port asks. */
class ChainGatewayTest {

    private static final Address GATEWAY = Transfers.DST_GATEWAY;
    private static final Address SIGNER = Address.fromHex("0x" + "44".repeat(20));
    private static final TxHash OTHERS = TxHash.fromHex("0x" + "cd".repeat(32));
    private static final CrossChainMessage M = Transfers.attested(3).message();

    /** The chain: {@code status} for messageStatus, a head at 5,000, {@code logs} by block, nonce 7 for any transaction. */
    private final List<LogFilter> searched = new ArrayList<>();
    private int status;
    private final List<ChainLog> logs = new ArrayList<>();
    private Throwable callError;

    private final ChainClient chain = (ChainClient) Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ChainClient.class},
            (proxy, method, args) -> switch (method.getName()) {
                case "call" -> callError != null ? CompletableFuture.failedFuture(callError)
                        : CompletableFuture.completedFuture(Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(status), 64));
                case "head" -> CompletableFuture.completedFuture(new BlockHeader(5_000, BlockHash.fromHex("0x" + "01".repeat(32)),
                        BlockHash.fromHex("0x" + "02".repeat(32)), 0, OptionalLong.empty()));
                case "logs" -> {
                    LogFilter f = (LogFilter) args[0];
                    searched.add(f);
                    yield CompletableFuture.completedFuture(logs.stream().filter(l -> l.blockNumber() >= f.fromBlock()
                            && l.blockNumber() <= f.toBlock() && f.topic0s().contains(l.topics().get(0))).toList());
                }
                case "transactionNonce" -> CompletableFuture.completedFuture(Optional.of(7L));
                default -> throw new UnsupportedOperationException(method.getName());
            });

    private final ChainGateway gateway = new ChainGateway(chain, GATEWAY, SIGNER);

    @Test
    void aMessageTheGatewayHasNotExecutedIsNotSearchedFor() {
        status = 0;
        assertThat(join(gateway.execution(M))).isEqualTo(new DestinationGateway.Execution.NotExecuted());
        assertThat(searched).isEmpty();
    }

    @Test
    void anExecutionIsFoundBackFromTheHeadWithItsTransactionsNonce() {
        status = 1;
        logs.add(new ChainLog(GATEWAY, List.of(GatewayEvents.MESSAGE_EXECUTED_TOPIC, M.id().toHex()), "0x", 2_500,
                BlockHash.fromHex("0x" + "ee".repeat(32)), OTHERS, 0, false));
        assertThat(join(gateway.execution(M))).isEqualTo(new DestinationGateway.Execution.By(OTHERS, 7));
        assertThat(searched.get(0).toBlock()).as("from the head down").isEqualTo(5_000);
    }

    @Test
    void anExecutedNonceWithNoExecutionInSightIsOutOfSightAfterTheWholeLookback() {
        status = 1;
        DestinationGateway.Execution found = join(gateway.execution(M));
        assertThat(found).isEqualTo(new DestinationGateway.Execution.OutOfSight(20_000));
        assertThat(searched.stream().mapToLong(LogFilter::fromBlock).min().orElseThrow()).as("down to block 0 from 5,000").isZero();
    }

    @Test
    void theStatusIsTypedAndAnUnknownValueIsAnError() {
        status = 2;
        assertThat(join(gateway.status(M))).isEqualTo(DestinationGateway.Status.FAILED);
        status = 3;
        assertThatThrownBy(() -> join(gateway.status(M))).hasRootCauseInstanceOf(IllegalStateException.class);
    }

    @Test
    void aPreflightThatRevertsIsAnAnswerAndAnyOtherErrorFailsTheStage() {
        callError = FakeChainClient.rpcError(ChainRpcException.Kind.REVERTED, "eth_call");
        assertThat(join(gateway.preflight("0x01", Optional.empty()))).isInstanceOf(DestinationGateway.Preflight.Reverts.class);
        callError = FakeChainClient.rpcError(ChainRpcException.Kind.TRANSIENT, "eth_call");
        assertThatThrownBy(() -> join(gateway.preflight("0x01", Optional.empty()))).isInstanceOf(CompletionException.class)
                .hasRootCauseInstanceOf(ChainRpcException.class);
        callError = null;
        assertThat(join(gateway.preflight("0x01", Optional.of(BigInteger.TEN)))).isEqualTo(new DestinationGateway.Preflight.Passes());
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }
}
