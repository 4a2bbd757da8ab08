package io.courier.oracle.onchain;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.contracts.GasOracle;
import java.math.BigInteger;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;

/** The hand-written calldata is what the generated {@code GasOracle} wrapper encodes. */
class GasOracleAbiTest {

    private static final BigInteger WAD = GasData.WAD;

    @Test
    void updateCalldataMatchesTheWrapper() {
        GasData a = new GasData(BigInteger.valueOf(20_000_000_000L), WAD.multiply(BigInteger.valueOf(2000)), 71_000, WAD.divide(BigInteger.TEN));
        GasData b = new GasData(BigInteger.ONE, BigInteger.ONE, 1, BigInteger.ZERO);
        Map<Long, GasData> updates = new LinkedHashMap<>();
        updates.put(10L, a);
        updates.put(137L, b);

        String expected = FunctionEncoder.encode(new Function(GasOracle.FUNC_UPDATE, List.of(new DynamicArray<>(GasOracle.Update.class,
                List.of(wrapperUpdate(10, a), wrapperUpdate(137, b)))), List.of()));

        assertThat(GasOracleAbi.update(updates)).isEqualTo(expected);
    }

    @Test
    void viewCalldataMatchesTheWrapper() {
        assertThat(GasOracleAbi.gasData(4004)).isEqualTo(FunctionEncoder.encode(
                new Function(GasOracle.FUNC_GASDATA, List.of(new Uint256(4004)), List.of())));
        assertThat(GasOracleAbi.quoteFee(4004, 100_000)).isEqualTo(FunctionEncoder.encode(
                new Function(GasOracle.FUNC_QUOTEFEE, List.of(new Uint256(4004), new Uint256(100_000)), List.of())));
        assertThat(GasOracleAbi.maxFactorBps()).isEqualTo(FunctionEncoder.encode(new Function(GasOracle.FUNC_MAXFACTORBPS, List.of(), List.of())));
        assertThat(GasOracleAbi.updater()).isEqualTo(FunctionEncoder.encode(new Function(GasOracle.FUNC_UPDATER, List.of(), List.of())));
    }

    @Test
    void gasDataDecodesAndANeverPricedDestinationIsEmpty() {
        String answer = "0x" + word(7) + word(3) + word(71_000) + word(5) + word(1_700_000_000L);
        assertThat(GasOracleAbi.decodeGasData(answer)).contains(new UpdateDecision.OnChain(
                new GasData(BigInteger.valueOf(7), BigInteger.valueOf(3), 71_000, BigInteger.valueOf(5)), Instant.ofEpochSecond(1_700_000_000L)));
        assertThat(GasOracleAbi.decodeGasData("0x" + word(0).repeat(5))).isEmpty();
    }

    private static GasOracle.Update wrapperUpdate(long dst, GasData v) {
        return new GasOracle.Update(BigInteger.valueOf(dst), v.gasPrice(), v.tokenRatio(), BigInteger.valueOf(v.overheadGas()), v.margin());
    }

    private static String word(long v) {
        return String.format("%064x", v);
    }
}
