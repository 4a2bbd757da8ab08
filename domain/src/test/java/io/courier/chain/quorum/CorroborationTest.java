package io.courier.chain.quorum;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CorroborationTest {

    @Test
    void confirmedOnlyWithQuorumVouchersAndDissentIsReportedNotAVeto() {
        Corroboration c = new Corroboration(List.of(Testimony.vouches("a"), Testimony.vouches("b"),
                Testimony.denies("c", "no receipt")), 2);
        assertThat(c.confirmed()).isTrue();
        assertThat(c.disputed()).isTrue();
        assertThat(c.summary()).isEqualTo("2 of 2 needed vouch; a vouches; b vouches; c denies (no receipt)");
    }

    @Test
    void unavailableEndpointsCountNeitherWay() {
        Corroboration c = new Corroboration(List.of(Testimony.vouches("a"), Testimony.unavailable("b", "timeout"),
                Testimony.unavailable("c", "timeout")), 2);
        assertThat(c.confirmed()).isFalse();
        assertThat(c.disputed()).isFalse();
    }
}
