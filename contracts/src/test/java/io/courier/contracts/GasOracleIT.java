package io.courier.contracts;

import static io.courier.contracts.Reverts.assertCustomError;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/**
 * {@code GasOracle}: only the updater writes, each write moves a value by at most the owner's factor (never to zero),
 * and {@code quoteFee} (directly and through {@code Gateway.quoteFee}) is the fee formula, rounded up.
 */
@ExtendWith(LocalChainExtension.class)
class GasOracleIT {

    private static final Credentials OWNER = LocalChain.account(0);
    private static final Credentials UPDATER = LocalChain.account(7);
    private static final Credentials STRANGER = LocalChain.account(6);
    private static final BigInteger WAD = BigInteger.TEN.pow(18);
    private static final BigInteger DST = BigInteger.valueOf(4004);
    private static final int X2 = 20_000;
    // field indexes of GasOracle.Field
    private static final int GAS_PRICE = 0;
    private static final int TOKEN_RATIO = 1;
    private static final int OVERHEAD_GAS = 2;

    private static LocalChain chain;

    @BeforeAll
    static void start(@Chain(id = 1011) LocalChain localChain) {
        chain = localChain;
    }

    private static GasOracle deploy() throws Exception {
        return GasOracle.deploy(chain.web3j(), Deployments.signer(chain, OWNER), Deployments.GAS, UPDATER.getAddress(),
                BigInteger.valueOf(X2)).send();
    }

    private static GasOracle as(GasOracle oracle, Credentials who) {
        return GasOracle.load(oracle.getContractAddress(), chain.web3j(), Deployments.signer(chain, who), Deployments.GAS);
    }

    private static GasOracle.Update update(long gasPrice, BigInteger ratio, long overhead, BigInteger margin) {
        return new GasOracle.Update(DST, BigInteger.valueOf(gasPrice), ratio, BigInteger.valueOf(overhead), margin);
    }

    private static EthCall dryRun(GasOracle oracle, Credentials from, GasOracle.Update u) throws Exception {
        return Reverts.call(chain.web3j(), from.getAddress(), oracle.getContractAddress(), as(oracle, from).update(List.of(u)).encodeFunctionCall());
    }

    @Test
    void onlyTheUpdaterWritesAndOnlyTheOwnerChangesTheUpdaterOrTheBound() throws Exception {
        GasOracle oracle = deploy();
        GasOracle.Update first = update(20_000_000_000L, WAD.multiply(BigInteger.TWO), 71_000, WAD.divide(BigInteger.TEN));

        assertCustomError(dryRun(oracle, STRANGER, first), "NotUpdater(address)", STRANGER.getAddress());
        assertCustomError(dryRun(oracle, OWNER, first), "NotUpdater(address)", OWNER.getAddress()); // the owner is not the updater
        GasOracle asStranger = as(oracle, STRANGER);
        assertCustomError(Reverts.call(chain.web3j(), STRANGER.getAddress(), oracle.getContractAddress(),
                asStranger.setUpdater(STRANGER.getAddress()).encodeFunctionCall()), "NotOwner(address)", STRANGER.getAddress());
        assertCustomError(Reverts.call(chain.web3j(), STRANGER.getAddress(), oracle.getContractAddress(),
                asStranger.setMaxFactor(BigInteger.valueOf(1_000_000)).encodeFunctionCall()), "NotOwner(address)", STRANGER.getAddress());

        TransactionReceipt written = as(oracle, UPDATER).update(List.of(first)).send();
        assertThat(GasOracle.getGasDataUpdatedEvents(written)).singleElement().satisfies(e -> {
            assertThat(e.dstChainId).isEqualTo(DST);
            assertThat(e.gasPrice).isEqualTo(first.gasPrice);
            assertThat(e.tokenRatio).isEqualTo(first.tokenRatio);
        });

        // a new updater replaces the old one entirely
        oracle.setUpdater(STRANGER.getAddress()).send();
        assertCustomError(dryRun(oracle, UPDATER, first), "NotUpdater(address)", UPDATER.getAddress());
        assertThat(dryRun(oracle, STRANGER, first).hasError()).isFalse();
        assertCustomError(Reverts.call(chain.web3j(), OWNER.getAddress(), oracle.getContractAddress(),
                oracle.setMaxFactor(BigInteger.valueOf(10_000)).encodeFunctionCall()), "InvalidMaxFactor(uint32)", 10_000);
    }

    @Test
    void eachUpdateMovesEveryValueAtMostByTheFactorAndNeverToZero() throws Exception {
        GasOracle oracle = deploy();
        GasOracle asUpdater = as(oracle, UPDATER);
        BigInteger ratio = WAD.multiply(BigInteger.valueOf(3));
        BigInteger margin = WAD.divide(BigInteger.TEN);
        asUpdater.update(List.of(update(10_000, ratio, 70_000, margin))).send(); // the first value is free

        // exactly ×2 and ÷2 are allowed, one unit beyond is not, for each bounded field
        assertThat(dryRun(oracle, UPDATER, update(20_000, ratio, 70_000, margin)).hasError()).isFalse();
        assertThat(dryRun(oracle, UPDATER, update(5_000, ratio, 70_000, margin)).hasError()).isFalse();
        assertCustomError(dryRun(oracle, UPDATER, update(20_001, ratio, 70_000, margin)),
                "UpdateOutOfBounds(uint256,uint8,uint256,uint256,uint32)", DST, GAS_PRICE, 10_000, 20_001, X2);
        assertCustomError(dryRun(oracle, UPDATER, update(4_999, ratio, 70_000, margin)),
                "UpdateOutOfBounds(uint256,uint8,uint256,uint256,uint32)", DST, GAS_PRICE, 10_000, 4_999, X2);
        BigInteger ratioX2 = ratio.multiply(BigInteger.TWO);
        assertThat(dryRun(oracle, UPDATER, update(10_000, ratioX2, 70_000, margin)).hasError()).isFalse();
        assertCustomError(dryRun(oracle, UPDATER, update(10_000, ratioX2.add(BigInteger.ONE), 70_000, margin)),
                "UpdateOutOfBounds(uint256,uint8,uint256,uint256,uint32)", DST, TOKEN_RATIO, ratio, ratioX2.add(BigInteger.ONE), X2);
        assertCustomError(dryRun(oracle, UPDATER, update(10_000, ratio, 34_999, margin)),
                "UpdateOutOfBounds(uint256,uint8,uint256,uint256,uint32)", DST, OVERHEAD_GAS, 70_000, 34_999, X2);
        assertCustomError(dryRun(oracle, UPDATER, update(0, ratio, 70_000, margin)), "ZeroValue(uint256,uint8)", DST, GAS_PRICE);
        assertCustomError(dryRun(oracle, UPDATER, update(10_000, ratio, 70_000, WAD.add(BigInteger.ONE))),
                "MarginTooHigh(uint256,uint64)", DST, WAD.add(BigInteger.ONE));

        // a refused update changed nothing; an accepted one moves the reference of the next bound
        assertThat(oracle.gasData(DST).send().component1()).isEqualTo(BigInteger.valueOf(10_000));
        asUpdater.update(List.of(update(20_000, ratio, 70_000, margin))).send();
        assertThat(dryRun(oracle, UPDATER, update(40_000, ratio, 70_000, margin)).hasError()).isFalse();

        // the owner loosens the bound: ×4 now passes in one update
        oracle.setMaxFactor(BigInteger.valueOf(40_000)).send();
        assertThat(dryRun(oracle, UPDATER, update(80_000, ratio, 70_000, margin)).hasError()).isFalse();
    }

    @Test
    void quoteFeeIsTheFeeFormulaRoundedUpAndTheGatewayAnswersTheSame() throws Exception {
        GasOracle oracle = deploy();
        Gateway gateway = Deployments.gateway(chain);
        assertCustomError(Reverts.call(chain.web3j(), STRANGER.getAddress(), gateway.getContractAddress(),
                gateway.quoteFee(DST, BigInteger.valueOf(100_000)).encodeFunctionCall()), "GasOracleNotSet()");
        assertCustomError(Reverts.call(chain.web3j(), STRANGER.getAddress(), gateway.getContractAddress(),
                Deployments.as(chain, gateway, STRANGER).setGasOracle(oracle.getContractAddress()).encodeFunctionCall()),
                "NotOwner(address)", STRANGER.getAddress());
        gateway.setGasOracle(oracle.getContractAddress()).send();
        assertThat(gateway.gasOracle().send()).isEqualToIgnoringCase(oracle.getContractAddress());
        assertCustomError(Reverts.call(chain.web3j(), STRANGER.getAddress(), gateway.getContractAddress(),
                gateway.quoteFee(DST, BigInteger.valueOf(100_000)).encodeFunctionCall()), "NoGasData(uint256)", DST);

        // 7 gwei + 1 wei, ratio 1/3 (rounded up), 71,000 overhead, 12.5 % margin: nothing divides evenly
        BigInteger gasPrice = BigInteger.valueOf(7_000_000_001L);
        BigInteger ratio = WAD.divide(BigInteger.valueOf(3)).add(BigInteger.ONE);
        BigInteger margin = new BigInteger("125000000000000000");
        as(oracle, UPDATER).update(List.of(new GasOracle.Update(DST, gasPrice, ratio, BigInteger.valueOf(71_000), margin))).send();
        for (long gasLimit : new long[] {0, 1, 100_000, 1_234_567}) {
            BigInteger numerator = gasPrice.multiply(BigInteger.valueOf(71_000 + gasLimit)).multiply(ratio).multiply(WAD.add(margin));
            BigInteger[] qr = numerator.divideAndRemainder(WAD.multiply(WAD));
            BigInteger expected = qr[1].signum() == 0 ? qr[0] : qr[0].add(BigInteger.ONE);
            assertThat(oracle.quoteFee(DST, BigInteger.valueOf(gasLimit)).send()).as("gasLimit %d", gasLimit).isEqualTo(expected);
            assertThat(gateway.quoteFee(DST, BigInteger.valueOf(gasLimit)).send()).isEqualTo(expected);
        }
    }
}
