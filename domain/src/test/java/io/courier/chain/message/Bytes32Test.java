package io.courier.chain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class Bytes32Test {

    private static final String HEX = "0xc938f93d9f8e4357137bcd9dc99e8dcfb7c9ab7c765abeb6560f74695b7f0fb6";

    @Test
    void hexRoundTripIsLowercase() {
        Bytes32 value = Bytes32.fromHex(HEX.toUpperCase().replace("0X", "0x"));
        assertThat(value.toHex()).isEqualTo(HEX);
        assertThat(Bytes32.of(value.bytes())).isEqualTo(value).hasSameHashCodeAs(value);
        assertThat(value).hasToString(HEX);
    }

    @Test
    void isImmutable() {
        byte[] source = new byte[32];
        Bytes32 value = Bytes32.of(source);
        source[0] = 1;
        value.bytes()[1] = 1;
        assertThat(value.bytes()).containsOnly(0);
    }

    @Test
    void rejectsMalformedHex() {
        assertThatThrownBy(() -> Bytes32.fromHex(HEX.substring(2)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must start with 0x");
        assertThatThrownBy(() -> Bytes32.fromHex(HEX.substring(0, 65)))
                .hasMessageContaining("64 hex digits").hasMessageContaining("got 63 digits");
        assertThatThrownBy(() -> Bytes32.fromHex(HEX + "00")).hasMessageContaining("got 66 digits");
        assertThatThrownBy(() -> Bytes32.fromHex("0x" + "g".repeat(64)))
                .hasMessageContaining("non-hex character 'g' at position 2");
        assertThatThrownBy(() -> Bytes32.fromHex("0x+" + "0".repeat(63))).hasMessageContaining("non-hex character '+'");
        assertThatThrownBy(() -> Bytes32.fromHex(null)).hasMessageContaining("null");
        assertThatThrownBy(() -> Bytes32.of(new byte[31])).hasMessageContaining("exactly 32 bytes, got 31");
    }

    @Test
    void messageIdErrorsNameTheMessageId() {
        assertThatThrownBy(() -> MessageId.fromHex("0x1234")).hasMessageStartingWith("message id must be 0x followed by 64");
        assertThat(MessageId.fromHex(HEX)).isEqualTo(MessageId.fromHex(HEX)).hasToString(HEX);
        assertThat(MessageId.fromHex(HEX).toHex()).isEqualTo(HEX);
    }
}
