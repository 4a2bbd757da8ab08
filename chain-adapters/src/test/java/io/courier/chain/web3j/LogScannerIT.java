package io.courier.chain.web3j;

import io.courier.chain.LogFilter;

import io.courier.chain.message.TxHash;

import io.courier.chain.message.Address;

import io.courier.chain.ChainLog;
import io.courier.chain.LogRangePlanner;
import io.courier.chain.LogScanner;
import io.courier.chain.TxReceipt;

import static io.courier.chain.web3j.TestSigner.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Hash;

/** Scans logs emitted on a real chain across many small ranges. */
@ExtendWith(LocalChainExtension.class)
class LogScannerIT {

    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    private static final String TOPIC = Hash.sha3String("Ping()");

    /** Emits LOG1(topic = keccak("Ping()")) with no data on every call. */
    private static final String EMITTER_INIT = "0x6027600c60003960276000f3" + "7f" + TOPIC.substring(2) + "60006000a100";

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    @Test
    void scansAllLogsInChainOrderAcrossRanges(@Chain(id = 1003) LocalChain chain) throws Exception {
        try (Web3jChainClient client = Web3jChainClient.create(ChainClientSettings.of("ganache", 1003, chain.rpcUrl()), scheduler)) {
            TestSigner signer = new TestSigner(client, LocalChain.account(0));
            TxReceipt deployed = signer.sendAndWait(signer.transaction("", EMITTER_INIT, 200_000));
            String emitter = chain.web3j().ethGetTransactionReceipt(deployed.txHash().toHex()).send()
                    .getTransactionReceipt().orElseThrow().getContractAddress();
            List<TxHash> txs = new ArrayList<>();
            for (int i = 0; i < 12; i++) {
                TxReceipt ping = signer.sendAndWait(signer.transaction(emitter, "0x", 50_000));
                assertThat(ping.logs()).hasSize(1);
                txs.add(ping.txHash());
                if (i % 3 == 0) {
                    chain.mine(2); // gaps without logs between some of them
                }
            }
            long head = await(client.head()).number();

            LogScanner scanner = new LogScanner(client, new LogRangePlanner(8, 2));
            List<ChainLog> logs = await(scanner.scan(Address.fromHex(emitter), List.of(TOPIC), 0, head));

            assertThat(logs).extracting(ChainLog::txHash).containsExactlyElementsOf(txs);
            assertThat(logs).allSatisfy(log -> {
                assertThat(log.address()).isEqualTo(Address.fromHex(emitter));
                assertThat(log.topic0()).hasValue(TOPIC);
            });
            assertThat(logs).extracting(ChainLog::blockNumber).isSorted();
            assertThat(await(client.logs(LogFilter.of(Address.fromHex(emitter), List.of(Hash.sha3String("Other()")), 0, head)))).isEmpty();
        }
    }
}
