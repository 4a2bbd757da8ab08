package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;

class ExecuteGasLimitTest {

    @Test
    void coversTheHandlerReserveTheGatewayDemands() {
        BigInteger limit = ExecuteGasLimit.of(new byte[0], 2, 300_000);
        long reserve = (300_000 + 1_000) * 64 / 63 + 1;
        assertThat(limit.longValue()).isEqualTo(21_000 + 60_000 + 2 * 8_000 + reserve);
    }

    @Test
    void calldataCostsFourPerZeroAndSixteenPerOtherByte() {
        long base = ExecuteGasLimit.of(new byte[0], 1, 100_000).longValue();
        assertThat(ExecuteGasLimit.of(new byte[] {0, 0, 1}, 1, 100_000).longValue() - base).isEqualTo(4 + 4 + 16);
    }

    @Test
    void growsWithEverySignature() {
        assertThat(ExecuteGasLimit.of(new byte[0], 3, 1).subtract(ExecuteGasLimit.of(new byte[0], 2, 1)))
                .isEqualTo(BigInteger.valueOf(8_000));
    }
}
