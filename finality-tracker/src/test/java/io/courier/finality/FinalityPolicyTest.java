package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class FinalityPolicyTest {

    private final FinalityPolicy twelve = new FinalityPolicy.Confirmations(12);

    @Test
    void countsTheBlockItself() {
        assertThat(twelve.confirmations(100, 100)).isEqualTo(1);
        assertThat(twelve.confirmations(100, 111)).isEqualTo(12);
        assertThat(twelve.isFinal(100, 110)).isFalse();
        assertThat(twelve.isFinal(100, 111)).isTrue();
        assertThat(twelve.isFinal(100, ChainTip.ofHead(500))).isTrue();
    }

    @Test
    void headBelowTheBlockIsNoConfirmation() {
        assertThat(twelve.confirmations(100, 95)).isZero();
        assertThat(twelve.isFinal(100, 95)).isFalse();
    }

    @Test
    void oneConfirmationIsTheBlockItself() {
        assertThat(new FinalityPolicy.Confirmations(1).isFinal(7, 7)).isTrue();
        assertThatThrownBy(() -> new FinalityPolicy.Confirmations(0)).isInstanceOf(IllegalArgumentException.class);
    }
}
