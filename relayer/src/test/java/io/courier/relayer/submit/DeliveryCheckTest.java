package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.finality.DeliveryObstacle;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class DeliveryCheckTest {

    private static byte[] calldata(int nonZero, int zero) {
        byte[] b = new byte[nonZero + zero];
        Arrays.fill(b, 0, nonZero, (byte) 7);
        return b;
    }

    @Test
    void intrinsicGasIs21000Plus16PerNonZeroAnd4PerZeroByte() {
        assertThat(DeliveryCheck.intrinsicGas(new byte[0])).isEqualTo(21_000);
        assertThat(DeliveryCheck.intrinsicGas(calldata(10, 5))).isEqualTo(21_000 + 160 + 20);
    }

    @Test
    void aMessageWithinEveryLimitGetsTheGasLimitOfItsShape() {
        byte[] data = calldata(500, 300);
        DeliveryCheck.Verdict v = DeliveryCheck.of(data, 2, 200_000, 1_500_000, OptionalLong.of(30_000_000));
        assertThat(v).isEqualTo(new DeliveryCheck.Verdict.Fits(ExecuteGasLimit.of(data, 2, 200_000)));
    }

    @Test
    void exactlyAtTheCapFitsAndOneGasAboveIsOverTheCap() {
        byte[] data = calldata(20_000, 0);
        long needed = ExecuteGasLimit.of(data, 2, 200_000).longValueExact();
        assertThat(DeliveryCheck.of(data, 2, 200_000, needed, OptionalLong.empty())).isInstanceOf(DeliveryCheck.Verdict.Fits.class);
        DeliveryCheck.Verdict over = DeliveryCheck.of(data, 2, 200_000, needed - 1, OptionalLong.empty());
        assertThat(over).isInstanceOf(DeliveryCheck.Verdict.Blocked.class);
        assertThat(((DeliveryCheck.Verdict.Blocked) over).obstacle()).isEqualTo(DeliveryObstacle.OVER_GAS_CAP);
        assertThat(((DeliveryCheck.Verdict.Blocked) over).detail()).contains(Long.toString(needed)).contains(Long.toString(needed - 1));
    }

    @Test
    void aBlockTooSmallWinsOverTheCapBecauseRaisingTheCapCannotHelp() {
        byte[] data = calldata(40_000, 0);
        long needed = ExecuteGasLimit.of(data, 2, 200_000).longValueExact();
        DeliveryCheck.Verdict v = DeliveryCheck.of(data, 2, 200_000, needed - 1, OptionalLong.of(needed - 1));
        assertThat(((DeliveryCheck.Verdict.Blocked) v).obstacle()).isEqualTo(DeliveryObstacle.OVER_BLOCK_GAS_LIMIT);
        assertThat(DeliveryCheck.of(data, 2, 200_000, needed, OptionalLong.of(needed))).isInstanceOf(DeliveryCheck.Verdict.Fits.class);
    }

    @Test
    void calldataAboveWhatNodesAcceptIsTooLargeWhateverTheCaps() {
        DeliveryCheck.Verdict v = DeliveryCheck.of(new byte[DeliveryCheck.MAX_CALLDATA_BYTES + 1], 2, 200_000, Long.MAX_VALUE,
                OptionalLong.empty());
        assertThat(((DeliveryCheck.Verdict.Blocked) v).obstacle()).isEqualTo(DeliveryObstacle.TOO_LARGE);
        assertThat(DeliveryCheck.of(new byte[DeliveryCheck.MAX_CALLDATA_BYTES], 2, 200_000, Long.MAX_VALUE, OptionalLong.empty()))
                .isInstanceOf(DeliveryCheck.Verdict.Fits.class);
    }

    @Test
    void aHandlerGasThatAloneExceedsTheCapIsNamedWithBothNumbers() {
        long least = ExecuteGasLimit.of(new byte[0], 0, 1_000_000).longValueExact();
        assertThat(DeliveryCheck.handlerOverCap(1_000_000, least)).isEmpty();
        assertThat(DeliveryCheck.handlerOverCap(1_000_000, least - 1)).hasValueSatisfying(reason ->
                assertThat(reason).contains("handlerGasLimit 1000000").contains("max-gas-limit " + (least - 1)));
    }

    @Test
    void preflightBackoffDoublesFromTenSecondsAndParksAtTheFifthRevert() {
        Instant t = Instant.parse("2026-01-01T00:00:00Z");
        Optional<PreflightBackoff> b = Optional.empty();
        long[] waits = {10, 20, 40, 80};
        for (int i = 0; i < waits.length; i++) {
            b = PreflightBackoff.after(b, t);
            assertThat(b).isPresent();
            assertThat(b.get().notBefore()).isEqualTo(t.plusSeconds(waits[i]));
            assertThat(b.get().failures()).isEqualTo(i + 1);
            assertThat(b.get().waiting(t.plusSeconds(waits[i] - 1))).isTrue();
            assertThat(b.get().waiting(t.plusSeconds(waits[i]))).isFalse();
        }
        assertThat(PreflightBackoff.after(b, t)).isEmpty();
    }
}
