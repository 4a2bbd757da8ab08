package io.courier.testkit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What an invented log must match to join an {@code eth_getLogs} answer, without a chain. */
class LogQueryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String A = "0x" + "aa".repeat(20);
    private static final String T0 = "0x" + "01".repeat(32);
    private static final String T1 = "0x" + "02".repeat(32);
    private static final String HASH = "0x" + "0f".repeat(32);
    private static final InventedLog LOG = new InventedLog(A.toUpperCase().replace("0X", "0x"), List.of(T0, T1), "0x", 7, HASH,
            InventedLog.madeUpHash("t"), 0, 3);

    private static LogQuery parse(String filter) throws Exception {
        JsonNode node = JSON.readTree(filter);
        return LogQuery.parse(node);
    }

    @Test
    void matchesRangeAddressAndEveryTopicPosition() throws Exception {
        assertThat(parse("{\"fromBlock\":\"0x7\",\"toBlock\":\"0x7\"}").matches(LOG)).isTrue();
        assertThat(parse("{\"fromBlock\":\"0x8\",\"toBlock\":\"0x9\"}").matches(LOG)).isFalse();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x6\"}").matches(LOG)).isFalse();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x9\",\"address\":\"" + A.toUpperCase().replace("0X", "0x") + "\"}")
                .matches(LOG)).as("addresses compare in any case").isTrue();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x9\",\"address\":[\"0x" + "bb".repeat(20) + "\"]}").matches(LOG))
                .isFalse();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x9\",\"topics\":[[\"" + T1 + "\",\"" + T0 + "\"]]}").matches(LOG))
                .isTrue();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x9\",\"topics\":[\"" + T1 + "\"]}").matches(LOG)).isFalse();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x9\",\"topics\":[null,\"" + T1 + "\"]}").matches(LOG)).isTrue();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x9\",\"topics\":[null,null,null]}").matches(LOG))
                .as("more positions than the log has topics").isFalse();
        assertThat(parse("{\"blockHash\":\"" + HASH.toUpperCase().replace("0X", "0x") + "\"}").matches(LOG)).isTrue();
        assertThat(parse("{\"blockHash\":\"0x" + "0e".repeat(32) + "\"}").matches(LOG)).isFalse();
    }

    @Test
    void aFilterTheProxyDoesNotUnderstandIsLeftToTheNode() throws Exception {
        assertThat(parse("{\"fromBlock\":\"latest\",\"toBlock\":\"0x1\"}")).isNull();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x1\",\"address\":5}")).isNull();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x1\",\"topics\":\"0x01\"}")).isNull();
        assertThat(parse("{\"fromBlock\":\"0x0\",\"toBlock\":\"0x1\",\"topics\":[[1]]}")).isNull();
    }

    @Test
    void inventedLogsAreCheckedWhenMade() {
        assertThatThrownBy(() -> new InventedLog("0x12", List.of(), "0x", 1, HASH, HASH, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("address");
        assertThatThrownBy(() -> new InventedLog(A, List.of(T0, T0, T0, T0, T0), "0x", 1, HASH, HASH, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 topics");
        assertThatThrownBy(() -> new InventedLog(A, List.of(), "0xabc", 1, HASH, HASH, 0, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("data");
        assertThatThrownBy(() -> new InventedLog(A, List.of(), "0x", -1, HASH, HASH, 0, 0))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(InventedLog.madeUpHash("a")).matches("0x[0-9a-f]{64}").isEqualTo(InventedLog.madeUpHash("a"))
                .isNotEqualTo(InventedLog.madeUpHash("b"));
        assertThat(LOG.toJson().get("logIndex").asText()).isEqualTo("0x3");
        assertThat(LOG.toJson().get("address").asText()).isEqualTo(A);
    }
}
