package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class EventStreamPermitsTest {

    @Test
    void capsStreamsPerClientAndInAll() {
        EventStreamPermits permits = new EventStreamPermits(3, 2);
        Optional<EventStreamPermits.Permit> a1 = permits.acquire("10.0.0.1");
        Optional<EventStreamPermits.Permit> a2 = permits.acquire("10.0.0.1");
        assertThat(a1).isPresent();
        assertThat(a2).isPresent();
        assertThat(permits.acquire("10.0.0.1")).as("third of one client").isEmpty();
        Optional<EventStreamPermits.Permit> b1 = permits.acquire("10.0.0.2");
        assertThat(b1).isPresent();
        assertThat(permits.acquire("10.0.0.3")).as("fourth in all").isEmpty();
        assertThat(permits.open()).isEqualTo(3);

        a1.get().release();
        a1.get().release(); // twice is once
        assertThat(permits.open()).isEqualTo(2);
        assertThat(permits.open("10.0.0.1")).isEqualTo(1);
        assertThat(permits.acquire("10.0.0.3")).isPresent();
        assertThat(permits.acquire("10.0.0.1")).as("the total is full again").isEmpty();
    }

    @Test
    void capsMustBePositive() {
        assertThatThrownBy(() -> new EventStreamPermits(0, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EventStreamPermits(1, 0)).isInstanceOf(IllegalArgumentException.class);
    }
}
