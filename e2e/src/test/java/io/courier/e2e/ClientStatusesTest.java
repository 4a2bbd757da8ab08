package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The Java client knows every status the node can answer: a status it lacks reads as UNKNOWN, which a client of the
 * same release must never see (the client has no dependency on the domain, so this check lives where both are).
 */
class ClientStatusesTest {

    @Test
    void theClientNamesEveryStatusOfTheNode() {
        var client = Arrays.stream(io.courier.client.TransferStatus.values()).map(Enum::name).toList();
        var node = Arrays.stream(io.courier.finality.TransferStatus.values()).map(Enum::name).toList();
        assertThat(client).containsAll(node);
    }

    @Test
    void terminalAndOperatorWaitsAgreeWithTheNode() {
        for (io.courier.finality.TransferStatus s : io.courier.finality.TransferStatus.values()) {
            assertThat(io.courier.client.TransferStatus.valueOf(s.name()).isTerminal()).as(s.name()).isEqualTo(s.isTerminal());
        }
    }
}
