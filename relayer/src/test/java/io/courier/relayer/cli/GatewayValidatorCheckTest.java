package io.courier.relayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The comparison behind {@code config validate}'s validator-set check: order and case do not matter, everything else does. */
class GatewayValidatorCheckTest {

    private static final String A = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1";
    private static final String B = "0xffcf8fdee72ac11ab9b5d4f5f8a9e4e1f6a2b3c4";
    private static final String C = "0x22d491bde2303f2f43325b2108d26f1eaba1e32b";

    @Test
    void theSameSetInAnotherOrderAndCaseAgrees() {
        assertThat(GatewayValidatorCheck.differences(List.of(A, B), 2, List.of(A), List.of(B.toUpperCase().replace("0X", "0x"), A), 2))
                .isEmpty();
    }

    @Test
    void everyDifferenceIsNamed() {
        assertThat(GatewayValidatorCheck.differences(List.of(A, B), 2, List.of(A), List.of(A, C), 1)).containsExactly(
                "configured but not on the gateway: " + B,
                "on the gateway but not configured: " + C,
                "threshold 2 configured, 1 on the gateway");
        assertThat(GatewayValidatorCheck.differences(List.of(A, B), 2, List.of(C), List.of(A, B), 2))
                .singleElement().asString().contains("this node's key(s) " + C);
    }
}
