package io.courier.testkit.rpc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The tag walk without a chain: which parameter of which method is a block, and what is left alone. */
class BlockTagsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Map<String, String> TAGS = Map.of("finalized", "0x5", "safe", "0x7", "latest", "0x9");
    private static final BlockTags.Resolver FINALITY_ONLY = tag -> "latest".equals(tag) ? null : TAGS.get(tag);

    private static ObjectNode call(String json) throws Exception {
        return (ObjectNode) JSON.readTree(json);
    }

    @Test
    void rewritesTheBlockParameterOfEachMethod() throws Exception {
        ObjectNode block = call("{\"method\":\"eth_getBlockByNumber\",\"params\":[\"finalized\",false]}");
        ObjectNode balance = call("{\"method\":\"eth_getBalance\",\"params\":[\"0xabc\",\"safe\"]}");
        ObjectNode ethCall = call("{\"method\":\"eth_call\",\"params\":[{\"to\":\"0xabc\"},\"finalized\"]}");
        ObjectNode storage = call("{\"method\":\"eth_getStorageAt\",\"params\":[\"0xabc\",\"0x0\",\"safe\"]}");

        assertThat(BlockTags.rewrite(block, FINALITY_ONLY)).isTrue();
        assertThat(BlockTags.rewrite(balance, FINALITY_ONLY)).isTrue();
        assertThat(BlockTags.rewrite(ethCall, FINALITY_ONLY)).isTrue();
        assertThat(BlockTags.rewrite(storage, FINALITY_ONLY)).isTrue();

        assertThat(block.toString()).isEqualTo("{\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x5\",false]}");
        assertThat(balance.get("params").get(1).asText()).isEqualTo("0x7");
        assertThat(ethCall.get("params").get(1).asText()).isEqualTo("0x5");
        assertThat(ethCall.get("params").get(0).get("to").asText()).isEqualTo("0xabc");
        assertThat(storage.get("params").get(2).asText()).isEqualTo("0x7");
    }

    @Test
    void rewritesBothEndsOfALogFilterButNotABlockHashFilter() throws Exception {
        ObjectNode logs = call("{\"method\":\"eth_getLogs\",\"params\":[{\"fromBlock\":\"safe\",\"toBlock\":\"finalized\",\"address\":\"0x1\"}]}");
        ObjectNode byHash = call("{\"method\":\"eth_getLogs\",\"params\":[{\"blockHash\":\"0xfeed\"}]}");

        assertThat(BlockTags.rewrite(logs, FINALITY_ONLY)).isTrue();
        assertThat(BlockTags.rewrite(byHash, tag -> "0x1")).isFalse();

        assertThat(logs.get("params").get(0).get("fromBlock").asText()).isEqualTo("0x7");
        assertThat(logs.get("params").get(0).get("toBlock").asText()).isEqualTo("0x5");
        assertThat(byHash.get("params").get(0).has("fromBlock")).isFalse();
    }

    @Test
    void missingBlocksMeanLatestAndAreOnlyFilledWhenLatestIsRewritten() throws Exception {
        ObjectNode logs = call("{\"method\":\"eth_getLogs\",\"params\":[{\"fromBlock\":\"0x1\"}]}");
        ObjectNode count = call("{\"method\":\"eth_getTransactionCount\",\"params\":[\"0xabc\"]}");

        assertThat(BlockTags.rewrite(logs, FINALITY_ONLY)).isFalse();
        assertThat(BlockTags.rewrite(count, FINALITY_ONLY)).isFalse();
        assertThat(logs.get("params").get(0).has("toBlock")).isFalse();

        assertThat(BlockTags.rewrite(logs, TAGS::get)).isTrue();
        assertThat(BlockTags.rewrite(count, TAGS::get)).isTrue();
        assertThat(logs.get("params").get(0).get("toBlock").asText()).isEqualTo("0x9");
        assertThat(logs.get("params").get(0).get("fromBlock").asText()).isEqualTo("0x1");
        assertThat(count.get("params").get(1).asText()).isEqualTo("0x9");
    }

    @Test
    void leavesNumbersOtherTagsAndOtherMethodsAlone() throws Exception {
        ObjectNode number = call("{\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x3\",true]}");
        ObjectNode pending = call("{\"method\":\"eth_getTransactionCount\",\"params\":[\"0xabc\",\"pending\"]}");
        ObjectNode other = call("{\"method\":\"eth_chainId\",\"params\":[]}");
        ObjectNode noParams = call("{\"method\":\"eth_getBalance\"}");

        for (ObjectNode call : new ObjectNode[] {number, pending, other, noParams}) {
            String before = call.toString();
            assertThat(BlockTags.rewrite(call, TAGS::get)).as(before).isFalse();
            assertThat(call.toString()).isEqualTo(before);
        }
    }

    @Test
    void quantities() throws Exception {
        assertThat(BlockTags.parseQuantity("0x1a")).isEqualTo(26);
        assertThat(BlockTags.parseQuantity("0x0")).isZero();
        assertThat(BlockTags.parseQuantity("latest")).isEqualTo(-1);
        assertThat(BlockTags.parseQuantity("0x")).isEqualTo(-1);
        assertThat(BlockTags.parseQuantity("0xzz")).isEqualTo(-1);
        assertThat(BlockTags.quantity(255)).isEqualTo("0xff");
        assertThat(BlockTags.requestedNumber(call("{\"method\":\"eth_getBlockByNumber\",\"params\":[\"0x10\",false]}")))
                .isEqualTo(16);
    }

    @Test
    void planRejectsWhatIsNotAProbabilityOrUnbounded() {
        assertThatThrownBy(() -> FaultPlan.NONE.withErrorRate(1.5)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.NONE.withDropRate(Double.NaN)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.NONE.withTimeout(1, Duration.ofHours(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultPlan.NONE.withRateLimit(-2, Duration.ZERO)).isInstanceOf(IllegalArgumentException.class);
        assertThat(FaultPlan.NONE.withMethods(java.util.Set.of("eth_call")).appliesTo("eth_chainId")).isFalse();
        assertThat(FaultPlan.NONE.appliesTo("eth_chainId")).isTrue();
    }

    @Test
    void tokenBucketPassesTheFirstSecondThenRefuses() {
        long[] now = {5_000_000_000L}; // a manual clock: nothing refills unless the test moves it
        TokenBucket bucket = new TokenBucket(3, () -> now[0]);
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();

        now[0] += 333_000_000L; // not quite a third of a second: not a whole token yet
        assertThat(bucket.tryAcquire()).isFalse();
        now[0] += 1_000_000L;
        assertThat(bucket.tryAcquire()).as("one token per third of a second").isTrue();
        assertThat(bucket.tryAcquire()).isFalse();

        now[0] += 60_000_000_000L; // a long pause refills at most one second's worth
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isTrue();
        assertThat(bucket.tryAcquire()).isFalse();

        TokenBucket none = new TokenBucket(0, () -> now[0]);
        assertThat(none.tryAcquire()).isFalse();
        now[0] += 60_000_000_000L;
        assertThat(none.tryAcquire()).isFalse();
    }
}
