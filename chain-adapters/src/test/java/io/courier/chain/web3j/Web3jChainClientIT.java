package io.courier.chain.web3j;

import static io.courier.chain.web3j.TestSigner.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.courier.chain.BlockHeader;
import io.courier.chain.CallRequest;
import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.ChainRpcException;
import io.courier.chain.FeeHistory;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Hash;
import org.web3j.protocol.http.HttpService;

/** {@link Web3jChainClient} against a real Ganache chain. Each test uses its own accounts, so order does not matter. */
@ExtendWith(LocalChainExtension.class)
class Web3jChainClientIT {

    private static final long CHAIN_ID = 1001;
    private static final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    /** Reverts with the four bytes 0xdeadbeef on any call: mstore(0, 0xdeadbeef) revert(28, 4). */
    private static final String REVERTER_INIT = "0x600d600c600039600d6000f3" + "63deadbeef6000526004601cfd";

    @AfterAll
    static void stopScheduler() {
        scheduler.shutdownNow();
    }

    private static Web3jChainClient clientOf(LocalChain chain) {
        return Web3jChainClient.create(ChainClientSettings.of("ganache", CHAIN_ID, chain.rpcUrl()), scheduler);
    }

    @Test
    void readsHeadsBlocksFeesNoncesAndBalances(@Chain(id = CHAIN_ID) LocalChain chain) {
        chain.mine(3);
        try (Web3jChainClient client = clientOf(chain)) {
            await(client.verifyChainId());
            BlockHeader head = await(client.head());
            assertThat(head.number()).isEqualTo(chain.blockNumber());
            assertThat(await(client.blockByNumber(head.number()))).contains(head);
            BlockHeader parent = await(client.blockByNumber(head.number() - 1)).orElseThrow();
            assertThat(head.parentHash()).isEqualTo(parent.hash());
            assertThat(head.timestamp()).isGreaterThanOrEqualTo(parent.timestamp());
            assertThat(await(client.blockByNumber(head.number() + 1_000))).isEmpty();

            FeeHistory fees = await(client.feeHistory(3, List.of(25.0, 75.0)));
            assertThat(fees.blocks()).isEqualTo(3);
            assertThat(fees.baseFeePerGas()).hasSize(4); // one per block and the next block's
            assertThat(fees.oldestBlock()).isEqualTo(head.number() - 2);
            assertThat(fees.rewards()).hasSize(3).allSatisfy(r -> assertThat(r).hasSize(2));
            assertThat(fees.nextBaseFee()).isPositive();
            assertThat(await(client.maxPriorityFeePerGas())).isPositive();

            Address idle = Address.fromHex(LocalChain.account(9).getAddress());
            assertThat(await(client.nonce(idle, false))).isZero();
            assertThat(await(client.nonce(idle, true))).isZero();
            assertThat(await(client.balance(idle))).isEqualTo(BigInteger.TEN.pow(18).multiply(BigInteger.valueOf(1_000_000)));
        }
    }

    /**
     * Ganache 7.9.2 decodes a raw transaction with nonce 0 (RLP empty string) as one without a nonce and assigns
     * the next one itself: the same signed bytes are mined again and again. Real nodes refuse that. Tests of
     * duplicate sends therefore spend nonce 0 first.
     */
    private static void spendNonceZero(TestSigner signer, String to) throws InterruptedException {
        assertThat(signer.nextNonce()).isZero();
        assertThat(signer.sendAndWait(signer.transfer(to, BigInteger.ONE)).succeeded()).isTrue();
    }

    @Test
    void sendsAnEip1559TransferReadsItsReceiptAndClassifiesAResend(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        try (Web3jChainClient client = clientOf(chain)) {
            TestSigner signer = new TestSigner(client, LocalChain.account(1));
            String to = LocalChain.account(2).getAddress();
            Address toAccount = Address.fromHex(to);
            spendNonceZero(signer, to);
            BigInteger before = await(client.balance(toAccount));
            String signed = signer.transfer(to, BigInteger.valueOf(12_345));

            TxReceipt receipt = signer.sendAndWait(signed);
            assertThat(receipt.txHash()).isEqualTo(TxHash.fromHex(Hash.sha3(signed)));
            assertThat(receipt.succeeded()).isTrue();
            assertThat(receipt.gasUsed()).isEqualTo(BigInteger.valueOf(21_000));
            assertThat(receipt.effectiveGasPrice()).isPositive();
            assertThat(receipt.blockHash()).isEqualTo(await(client.blockByNumber(receipt.blockNumber())).orElseThrow().hash());
            assertThat(await(client.balance(toAccount))).isEqualTo(before.add(BigInteger.valueOf(12_345)));
            assertThat(await(client.nonce(Address.fromHex(signer.address()), false))).isEqualTo(2L);

            // The same bytes again. Ganache judges a mined transaction by its spent nonce ("the tx doesn't have the
            // correct nonce. account has nonce of: 2 tx has nonce of: 1", code -32000); the client finds the very
            // transaction on the node and reports it as already known.
            long height = chain.blockNumber();
            ChainRpcException resend = catchThrowableOfType(ChainRpcException.class,
                    () -> await(client.sendRawTransaction(signed)));
            assertThat(resend).as("a resend of a mined transaction must fail").isNotNull();
            assertThat(resend.kind()).as(resend.getMessage()).isEqualTo(Kind.ALREADY_KNOWN);
            assertThat(resend).hasMessageContaining("answered NONCE_TOO_LOW");
            assertThat(resend.attempts()).isEqualTo(1);
            assertThat(resend.call().tx()).hasValue(Hash.sha3(signed));
            assertThat(chain.blockNumber()).isEqualTo(height);
            assertThat(await(client.balance(toAccount))).isEqualTo(before.add(BigInteger.valueOf(12_345)));

            // Another transaction reusing the spent nonce: unknown to the node, so the nonce error stands
            String replacement = signer.sign(BigInteger.ONE, to, BigInteger.TWO, "", BigInteger.valueOf(21_000));
            ChainRpcException reuse = catchThrowableOfType(ChainRpcException.class,
                    () -> await(client.sendRawTransaction(replacement)));
            assertThat(reuse).isNotNull();
            assertThat(reuse.kind()).isEqualTo(Kind.NONCE_TOO_LOW);
        }
    }

    @Test
    void aPendingDuplicateIsClassified(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        try (Web3jChainClient client = clientOf(chain)) {
            TestSigner signer = new TestSigner(client, LocalChain.account(4));
            String to = LocalChain.account(5).getAddress();
            Address toAccount = Address.fromHex(to);
            spendNonceZero(signer, to);
            String signed = signer.transfer(to, BigInteger.ONE);
            chain.stopMining(); // keep the transaction in the pool
            try {
                assertThat(await(client.sendRawTransaction(signed))).isEqualTo(TxHash.fromHex(Hash.sha3(signed)));
                // Ganache answers "transaction underpriced" (code -32003): to it, an equal-fee replacement
                ChainRpcException duplicate = catchThrowableOfType(ChainRpcException.class,
                        () -> await(client.sendRawTransaction(signed)));
                assertThat(duplicate).as("a resend of a pooled transaction must fail").isNotNull();
                assertThat(duplicate.kind()).as(duplicate.getMessage()).isEqualTo(Kind.ALREADY_KNOWN);
                assertThat(duplicate).hasMessageContaining("answered UNDERPRICED");

                // a real replacement with the same fees is underpriced, and stays so
                String sameFees = signer.sign(BigInteger.ONE, to, BigInteger.TEN, "", BigInteger.valueOf(21_000));
                ChainRpcException replacement = catchThrowableOfType(ChainRpcException.class,
                        () -> await(client.sendRawTransaction(sameFees)));
                assertThat(replacement).isNotNull();
                assertThat(replacement.kind()).isEqualTo(Kind.UNDERPRICED);
            } finally {
                chain.startMining();
            }
        }
    }

    @Test
    void readsEverySignerOfABlockInOneCall(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        try (Web3jChainClient client = clientOf(chain)) {
            // accounts 6 and 7 sign nothing elsewhere in this class (they are only recipients there)
            TestSigner first = new TestSigner(client, LocalChain.account(6));
            TestSigner second = new TestSigner(client, LocalChain.account(7));
            String to = LocalChain.account(2).getAddress();
            TxHash a;
            TxHash b;
            chain.stopMining(); // both in one block
            try {
                a = await(client.sendRawTransaction(first.transfer(to, BigInteger.ONE)));
                b = await(client.sendRawTransaction(second.transfer(to, BigInteger.ONE)));
                chain.mine(1);
            } finally {
                chain.startMining();
            }
            TxReceipt receipt = await(client.receipt(a)).orElseThrow();
            assertThat(await(client.receipt(b)).orElseThrow().blockNumber()).as("one block holds both").isEqualTo(receipt.blockNumber());

            assertThat(await(client.transactionSenders(receipt.blockNumber()))).hasValueSatisfying(senders -> assertThat(senders)
                    .containsOnly(org.assertj.core.api.Assertions.entry(a, Address.fromHex(first.address())),
                            org.assertj.core.api.Assertions.entry(b, Address.fromHex(second.address()))));
            assertThat(await(client.transactionSenders(receipt.blockNumber() + 1_000))).isEmpty();
            assertThat(catchThrowableOfType(ChainRpcException.class, () -> await(client.transactionSenders(-1))).kind())
                    .isEqualTo(Kind.INVALID_REQUEST);
        }
    }

    @Test
    void revertsOfCallsAndEstimatesCarryTheRevertData(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        try (Web3jChainClient client = clientOf(chain)) {
            TestSigner signer = new TestSigner(client, LocalChain.account(3));
            TxReceipt deployed = signer.sendAndWait(signer.transaction("", REVERTER_INIT, 200_000));
            assertThat(deployed.succeeded()).isTrue();
            String reverter = contractAddress(chain, deployed.txHash().toHex());

            ChainRpcException call = catchThrowableOfType(ChainRpcException.class,
                    () -> await(client.call(CallRequest.to(Address.fromHex(reverter), "0x").from(Address.fromHex(signer.address())))));
            assertThat(call.kind()).isEqualTo(Kind.REVERTED);
            assertThat(call.revertData()).hasValue("0xdeadbeef");
            assertThat(call.attempts()).isEqualTo(1);

            ChainRpcException estimate = catchThrowableOfType(ChainRpcException.class,
                    () -> await(client.estimateGas(CallRequest.to(Address.fromHex(reverter), "0x").from(Address.fromHex(signer.address())))));
            assertThat(estimate.kind()).isEqualTo(Kind.REVERTED);
            assertThat(estimate.revertData()).hasValue("0xdeadbeef");

            assertThat(await(client.estimateGas(new CallRequest(Address.fromHex(LocalChain.account(6).getAddress()), "0x", java.util.Optional.of(Address.fromHex(signer.address())), BigInteger.ONE))))
                    .isEqualTo(BigInteger.valueOf(21_000));
            TxReceipt failed = signer.sendAndWait(signer.transaction(reverter, "0x", 100_000));
            assertThat(failed.status()).isEqualTo(TxReceipt.Status.REVERTED);
        }
    }

    @Test
    void theInFlightBoundHoldsUnder200ConcurrentCalls(@Chain(id = CHAIN_ID) LocalChain chain) {
        CountingHttpService http = new CountingHttpService(chain.rpcUrl());
        ChainClientSettings settings = ChainClientSettings.of("ganache", CHAIN_ID, chain.rpcUrl()).withLimits(4, 500);
        try (Web3jChainClient client = new Web3jChainClient(settings, SingleEndpoint.of("counted", http), scheduler)) {
            String address = LocalChain.account(7).getAddress();
            List<CompletableFuture<BigInteger>> calls = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                calls.add(client.balance(Address.fromHex(address)).toCompletableFuture());
            }
            CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).join();

            assertThat(calls).allSatisfy(c -> assertThat(c.join()).isPositive());
            assertThat(http.requests.get()).isEqualTo(200);
            assertThat(http.maxConcurrent.get()).isBetween(1, 4);
            assertThat(client.callsInFlight()).isZero();
        }
    }

    private static String contractAddress(LocalChain chain, String txHash) throws IOException {
        return chain.web3j().ethGetTransactionReceipt(txHash).send().getTransactionReceipt().orElseThrow().getContractAddress();
    }

    /** Counts HTTP requests in progress at the transport, below the client's limiter. */
    static final class CountingHttpService extends HttpService {
        final AtomicInteger current = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();
        final AtomicInteger requests = new AtomicInteger();

        CountingHttpService(String url) {
            super(url);
        }

        @Override
        protected InputStream performIO(String request) throws IOException {
            requests.incrementAndGet();
            maxConcurrent.accumulateAndGet(current.incrementAndGet(), Math::max);
            try {
                return super.performIO(request);
            } finally {
                current.decrementAndGet();
            }
        }
    }
}
