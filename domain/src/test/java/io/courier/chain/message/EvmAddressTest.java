package io.courier.chain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class EvmAddressTest {

    // EIP-55's own examples
    private static final String CHECKSUMMED = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

    @Test
    void acceptsLowerUpperAndValidChecksumAndReturnsLowercase() {
        String lower = CHECKSUMMED.toLowerCase();
        assertThat(EvmAddress.normalize("a", CHECKSUMMED)).isEqualTo(lower);
        assertThat(EvmAddress.normalize("a", lower)).isEqualTo(lower);
        assertThat(EvmAddress.normalize("a", "0x" + lower.substring(2).toUpperCase())).isEqualTo(lower);
        assertThat(EvmAddress.bytes("a", lower)).hasSize(20);
    }

    @Test
    void rejectsWrongChecksumAndBadShapes() {
        String broken = CHECKSUMMED.replace("aA", "Aa");
        assertThatThrownBy(() -> EvmAddress.normalize("sender", broken))
                .hasMessageContaining("sender " + broken + " has mixed case but a wrong EIP-55 checksum")
                .hasMessageContaining(CHECKSUMMED);
        assertThatThrownBy(() -> EvmAddress.normalize("recipient", "0x1234"))
                .hasMessageStartingWith("recipient must be 0x followed by 40 hex digits");
        assertThatThrownBy(() -> EvmAddress.normalize("recipient", "5aaeb6053f3e94c9b9a09f33669435e7ef1beaed"))
                .hasMessageContaining("must start with 0x");
    }
}
