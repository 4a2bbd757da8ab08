package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.relayer.api.ApiParams.InvalidParameterException;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ApiParamsTest {

    private static final String HEX = "0123456789abcdefABCDEF0123456789abcdefABCDEF0123456789abcdef0123";

    @Test
    void aHashIsZeroXAndSixtyFourHexDigitsOfEitherCaseAnsweredLowerCase() {
        assertThat(ApiParams.hash32("sourceTx", "0x" + HEX)).isEqualTo("0x" + HEX.toLowerCase());
        assertThat(ApiParams.hash32("sourceTx", "0X" + HEX)).isEqualTo("0x" + HEX.toLowerCase());
        assertThat(ApiParams.messageId("messageId", "0x" + HEX).toHex()).isEqualTo("0x" + HEX.toLowerCase());
        for (String bad : List.of("", "0x", HEX, "0x" + HEX.substring(1), "0x" + HEX + "0", " 0x" + HEX.substring(1),
                "0x" + HEX.substring(1) + "g", "0x" + "٣".repeat(64), "0x" + "０".repeat(64), "1x" + HEX)) {
            assertThatThrownBy(() -> ApiParams.hash32("sourceTx", bad)).as(bad)
                    .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                        assertThat(e.problem().status()).isEqualTo(400);
                        assertThat(e.problem().extensions()).containsEntry("parameter", "sourceTx");
                    });
        }
        assertThatThrownBy(() -> ApiParams.hash32("sourceTx", null)).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void aChainIdIsAPositiveDecimalOfAtMostTwoToTheFiftyThree() {
        assertThat(ApiParams.chainId("chain", "1")).isEqualTo(1);
        assertThat(ApiParams.chainId("chain", "11155111")).isEqualTo(11155111);
        assertThat(ApiParams.chainId("chain", "9007199254740992")).isEqualTo(1L << 53);
        for (String bad : List.of("", "0", "-1", "+1", "01", "1e3", "1e9999", "1.0", "0x1", " 1", "1 ",
                "9007199254740993", "9999999999999999", "99999999999999999", "9223372036854775808", "١")) {
            assertThatThrownBy(() -> ApiParams.chainId("chain", bad)).as(bad)
                    .isInstanceOf(InvalidParameterException.class);
        }
    }

    @Test
    void aStrictQueryNamesTheUnknownTheRepeatedAndTheMissingParameter() {
        List<String> required = List.of("sourceTx", "chain");

        assertThat(ApiParams.strictQuery(List.of(entry("chain", "1"), entry("sourceTx", "x")), required, List.of()))
                .isEqualTo(Map.of("chain", "1", "sourceTx", "x"));
        assertThatThrownBy(() -> ApiParams.strictQuery(List.of(entry("chain", "1"), entry("x", "1")), required, List.of()))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.problem().type()).isEqualTo(Problem.UNEXPECTED_PARAMETER);
                    assertThat(e.problem().extensions()).containsEntry("parameter", "x");
                    assertThat(e.problem().detail()).contains("allowed: sourceTx, chain");
                });
        assertThatThrownBy(() -> ApiParams.strictQuery(List.of(entry("chain", "1"), entry("chain", "1")), required, List.of()))
                .isInstanceOfSatisfying(InvalidParameterException.class,
                        e -> assertThat(e.problem().detail()).contains("more than once"));
        assertThatThrownBy(() -> ApiParams.strictQuery(List.of(entry("chain", "1")), required, List.of()))
                .isInstanceOfSatisfying(InvalidParameterException.class, e -> {
                    assertThat(e.problem().type()).isEqualTo(Problem.MISSING_PARAMETER);
                    assertThat(e.problem().extensions()).containsEntry("parameter", "sourceTx");
                });
    }

    @Test
    void echoedInputIsShortAndHasNoControlCharacters() {
        assertThat(Problem.echo("a".repeat(10_000))).hasSize(Problem.ECHO_LIMIT).endsWith("...");
        assertThat(Problem.echo("a\u0000b\r\nc")).isEqualTo("a\\u0000b\\u000d\\u000ac");
    }

    private static Map.Entry<String, String> entry(String k, String v) {
        return new SimpleImmutableEntry<>(k, v);
    }
}
