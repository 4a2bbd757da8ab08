package io.courier.oracle.onchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.contracts.GasOracle;
import io.courier.oracle.FeeMath;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.tx.response.PollingTransactionReceiptProcessor;

/**
 * {@code GasOracle.quoteFee} is {@link FeeMath#fee} of the values the updater writes, to the wei, for ratios and margins
 * that do not divide evenly; the values are written with {@link GasOracleAbi#update} (the updater's own calldata) and
 * read back with {@link GasOracleAbi#decodeGasData}.
 */
@ExtendWith(LocalChainExtension.class)
class GasOracleQuoteIT {

    private static final long CHAIN_ID = 1337_12;

    @Test
    void quoteFeeIsFeeMathToTheWei(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        StaticGasProvider gas = new StaticGasProvider(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(3_000_000));
        RawTransactionManager owner = new RawTransactionManager(chain.web3j(), LocalChain.account(0), CHAIN_ID,
                new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400));
        RawTransactionManager updater = new RawTransactionManager(chain.web3j(), LocalChain.account(7), CHAIN_ID,
                new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400));
        GasOracle oracle = GasOracle.deploy(chain.web3j(), owner, gas, LocalChain.account(7).getAddress(), BigInteger.valueOf(20_000)).send();

        Random random = new Random(11);
        Map<Long, GasData> written = new LinkedHashMap<>();
        for (long dst = 100; dst < 108; dst++) {
            // gas price 1 wei .. 1,000 gwei; token prices $0.0001 .. $100,000 (USD × 1e8); margin 0 .. 100 % in 1e-6 steps
            BigInteger gasPrice = BigInteger.valueOf(1 + (long) (random.nextDouble() * 1_000_000_000_000L));
            BigInteger dstUsd = BigInteger.valueOf(10_000 + (long) (random.nextDouble() * 10_000_000_000_000L));
            BigInteger srcUsd = BigInteger.valueOf(10_000 + (long) (random.nextDouble() * 10_000_000_000_000L));
            BigDecimal margin = BigDecimal.valueOf(random.nextInt(1_000_001), 6);
            written.put(dst, new GasData(gasPrice, GasData.ratio(dstUsd, srcUsd), 21_000 + random.nextInt(200_000), GasData.wad(margin)));
        }
        var sent = updater.sendTransaction(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(3_000_000), oracle.getContractAddress(),
                GasOracleAbi.update(written), BigInteger.ZERO);
        assertThat(sent.hasError()).as("update refused: %s", sent.getError() == null ? "" : sent.getError().getMessage()).isFalse();
        assertThat(new PollingTransactionReceiptProcessor(chain.web3j(), 50, 400).waitForTransactionReceipt(sent.getTransactionHash())
                .isStatusOK()).isTrue();

        for (Map.Entry<Long, GasData> e : written.entrySet()) {
            String answer = chain.web3j().ethCall(Transaction.createEthCallTransaction(null, oracle.getContractAddress(),
                    GasOracleAbi.gasData(e.getKey())), DefaultBlockParameterName.LATEST).send().getValue();
            assertThat(GasOracleAbi.decodeGasData(answer)).get().extracting(UpdateDecision.OnChain::values).isEqualTo(e.getValue());
            GasData v = e.getValue();
            for (long gasLimit : new long[] {0, 1, 99_999, 2_000_000}) {
                BigInteger expected = FeeMath.fee(v.gasPrice(), BigInteger.valueOf(v.overheadGas() + gasLimit), v.tokenRatio(),
                        GasData.WAD, new BigDecimal(v.margin(), 18));
                assertThat(oracle.quoteFee(BigInteger.valueOf(e.getKey()), BigInteger.valueOf(gasLimit)).send())
                        .as("destination %d, gasLimit %d, %s", e.getKey(), gasLimit, v).isEqualTo(expected).isEqualTo(v.fee(gasLimit));
            }
        }
    }
}
