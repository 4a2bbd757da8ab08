package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.math.BigInteger;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.testcontainers.DockerClientFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthBlock;
import org.web3j.protocol.http.HttpService;

class LocalChainIT {

    @Test
    void startsFundedChainAndLeavesNoProcessBehind() throws Exception {
        LocalChain closed;
        try (LocalChain chain = LocalChain.start(LocalChain.Options.chainId(4242))) {
            closed = chain;
            // exactly one way of running, and the facts of that way (without Docker, as here: a child process)
            if (chain.containerId().isPresent()) {
                assertThat(chain.pid()).as("no PID of ours for a container").isEqualTo(-1);
                assertThat(containerRunning(chain.containerId().get())).as("container %s running", chain.containerId().get())
                        .isTrue();
            } else {
                assertThat(chain.pid()).isPositive();
                assertThat(ProcessHandle.of(chain.pid())).as("ganache pid %d", chain.pid())
                        .hasValueSatisfying(p -> assertThat(p.isAlive()).isTrue());
            }
            assertThat(chain.isRunning()).isTrue();
            assertThat(chain.web3j().ethChainId().send().getChainId()).isEqualTo(BigInteger.valueOf(4242));
            BigInteger balance = chain.web3j()
                    .ethGetBalance(LocalChain.account(0).getAddress(), DefaultBlockParameterName.LATEST).send().getBalance();
            assertThat(balance).isGreaterThan(BigInteger.TEN.pow(18));
            System.out.printf("LocalChain start time: %d ms%n", chain.startTime().toMillis());
        }
        if (closed.containerId().isPresent()) {
            assertThat(containerRunning(closed.containerId().get())).as("container %s after close", closed.containerId().get())
                    .isFalse();
        } else {
            assertThat(ProcessHandle.of(closed.pid()).map(ProcessHandle::isAlive).orElse(false))
                    .as("ganache pid %d after close", closed.pid()).isFalse();
            assertThat(closed.isRunning()).isFalse();
        }
        // either way nothing answers at the chain's address any more
        Web3j probe = Web3j.build(new HttpService(closed.rpcUrl()));
        try {
            assertThatThrownBy(() -> probe.ethChainId().send()).isInstanceOf(IOException.class);
        } finally {
            probe.shutdown();
        }
    }

    /** Whether Docker knows the container and runs it (Testcontainers removes it when stopped). */
    private static boolean containerRunning(String id) {
        try {
            Boolean running = DockerClientFactory.instance().client().inspectContainerCmd(id).exec().getState().getRunning();
            return Boolean.TRUE.equals(running);
        } catch (com.github.dockerjava.api.exception.NotFoundException gone) {
            return false;
        }
    }

    @Test
    void snapshotRevertReplacesBlocksAtTheSameHeight() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChain.Options.chainId(4243))) {
            chain.mine(2);
            String snapshot = chain.snapshot();
            chain.mine(1);
            long height = chain.blockNumber();
            String before = hashAt(chain, height);
            chain.revert(snapshot);
            // a different block at the same height: Ganache stamps a new timestamp, so wait past one second
            Thread.sleep(Duration.ofMillis(1100).toMillis());
            chain.mine(1);
            assertThat(chain.blockNumber()).isEqualTo(height);
            assertThat(hashAt(chain, height)).isNotEqualTo(before);
        }
    }

    @Test
    void chainThatCannotStartNamesItsLog() {
        try (LocalChain taken = LocalChain.start(LocalChain.Options.chainId(4244))) {
            int port = Integer.parseInt(taken.rpcUrl().substring(taken.rpcUrl().lastIndexOf(':') + 1));
            // a second chain on the same fixed port (always a child process, even where Docker runs the first) answers
            // with the wrong chain id or dies: either way, a clear error
            assertThatThrownBy(() -> LocalChain.start(LocalChain.Options.chainId(4245).port(port)))
                    .isInstanceOf(LocalPartException.class)
                    .hasMessageContaining("4245");
        }
    }

    @Test
    void deterministicAccountsMatchGanache() throws Exception {
        try (LocalChain chain = LocalChain.start(LocalChain.Options.chainId(4246))) {
            var accounts = chain.web3j().ethAccounts().send().getAccounts();
            for (int i = 0; i < 3; i++) {
                assertThat(LocalChain.account(i).getAddress()).isEqualToIgnoringCase(accounts.get(i));
            }
        }
    }

    private static String hashAt(LocalChain chain, long height) throws Exception {
        EthBlock.Block block = chain.web3j()
                .ethGetBlockByNumber(org.web3j.protocol.core.DefaultBlockParameter.valueOf(BigInteger.valueOf(height)), false)
                .send().getBlock();
        return block.getHash();
    }
}
