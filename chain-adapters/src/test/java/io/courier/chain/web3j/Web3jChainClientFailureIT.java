package io.courier.chain.web3j;

import io.courier.chain.message.Address;

import io.courier.chain.ChainRpcException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.chain.ChainRpcException.Kind;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Real sockets that fail: nothing listening, and a listener that never answers. */
class Web3jChainClientFailureIT {

    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private static final Backoff QUICK = new Backoff(Duration.ofMillis(20), Duration.ofMillis(100), 2.0, 0.5, 3);

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Test
    void aClosedPortFailsTransientAfterTheBoundedRetries() throws IOException {
        List<String> outcomes = new CopyOnWriteArrayList<>();
        ChainClientSettings settings = ChainClientSettings.of("nowhere", 1001, "http://127.0.0.1:" + closedPort())
                .withBackoff(QUICK)
                .withObserver((chain, endpoint, method, outcome, nanos) -> outcomes.add(outcome));
        try (Web3jChainClient client = Web3jChainClient.create(settings, scheduler)) {
            ChainRpcException e = catchThrowableOfType(ChainRpcException.class, () -> TestSigner.await(client.head()));
            assertThat(e.kind()).isEqualTo(Kind.TRANSIENT);
            assertThat(e.attempts()).isEqualTo(3);
            assertThat(e).hasMessageContaining("chain nowhere (1001)").hasMessageContaining("eth_getBlockByNumber")
                    .hasMessageContaining("after 3 attempts");
            assertThat(outcomes).containsExactly("transient", "transient", "transient");
        }
    }

    @Test
    void aSilentNodeTimesOutOnEveryAttempt() throws IOException {
        // the kernel accepts the connection into the backlog; nobody ever reads or answers
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
            ChainClientSettings settings = ChainClientSettings.of("silent", 1001, "http://127.0.0.1:" + silent.getLocalPort())
                    .withTimeout(Duration.ofMillis(300))
                    .withBackoff(QUICK.withMaxAttempts(2));
            try (Web3jChainClient client = Web3jChainClient.create(settings, scheduler)) {
                ChainRpcException e = catchThrowableOfType(ChainRpcException.class,
                        () -> TestSigner.await(client.balance(Address.fromHex("0x00000000000000000000000000000000000000aa"))));
                assertThat(e.kind()).isEqualTo(Kind.TIMEOUT);
                assertThat(e.attempts()).isEqualTo(2);
            }
        }
    }
}
