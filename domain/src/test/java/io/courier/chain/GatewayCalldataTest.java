package io.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.Hex;
import io.courier.chain.message.ValidatorSignature;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/** The packed layouts byte by byte; that the gateway reads them back is CheckpointPropertyIT's and CheckpointIT's. */
class GatewayCalldataTest {

    private static final String SRC_GATEWAY = "0x00000000000000000000000000000000c0ffee01";
    private static final String SENDER = "0x" + "22".repeat(20);
    private static final String RECIPIENT = "0x" + "33".repeat(20);
    private static final GatewayCalldata.ValidatorSet SET = new GatewayCalldata.ValidatorSet(2,
            List.of("0x" + "aa".repeat(20), "0x" + "BB".repeat(20), "0x" + "01".repeat(20)));
    private static final ValidatorSignature SIGNATURE = ValidatorSignature.fromHex("0x" + "11".repeat(32) + "22".repeat(32) + "1b");

    @Test
    void checkpointMessagesArePackedWithoutNoncesOrPadding() {
        List<CrossChainMessage> range = range(7, 2, new byte[] {(byte) 0xab, (byte) 0xcd});
        String packed = HexFormat.of().formatHex(GatewayCalldata.checkpointMessages(range));
        String one = "22".repeat(20) + "33".repeat(20) + "0002" + "abcd";
        assertThat(packed).isEqualTo(one + one);
    }

    @Test
    void checkpointCallCarriesRouteFirstNonceRootSignaturesAndMessages() {
        List<CrossChainMessage> range = range(5, 3, new byte[96]);
        CheckpointRoot root = CheckpointRoot.ofMessages(range);
        String calldata = GatewayCalldata.executeCheckpoint(range, root, SET, List.of(SIGNATURE, SIGNATURE));
        assertThat(calldata).startsWith(selector("executeCheckpoint(uint256,address,uint64,bytes32,bytes,bytes,bytes)"));
        List<String> words = words(calldata);
        assertThat(words.get(0)).isEqualTo(String.format("%064x", 1001));
        assertThat(words.get(1)).isEqualTo("0".repeat(24) + SRC_GATEWAY.substring(2));
        assertThat(words.get(2)).isEqualTo(String.format("%064x", 5));
        assertThat("0x" + words.get(3)).isEqualTo(root.toHex());
        // bytes set: threshold then the validators as configured (not sorted), 61 bytes
        int setAt = Integer.parseInt(words.get(4), 16) / 32;
        assertThat(Integer.parseInt(words.get(setAt), 16)).isEqualTo(61);
        assertThat(words.get(setAt + 1) + words.get(setAt + 2)).startsWith("02" + "aa".repeat(20) + "bb".repeat(20) + "01".repeat(20));
        // bytes signatures: two back to back, 130 bytes
        int signaturesAt = Integer.parseInt(words.get(5), 16) / 32;
        assertThat(Integer.parseInt(words.get(signaturesAt), 16)).isEqualTo(130);
        int messagesAt = Integer.parseInt(words.get(6), 16) / 32;
        assertThat(Integer.parseInt(words.get(messagesAt), 16)).isEqualTo(3 * (42 + 96));
    }

    @Test
    void batchMessagesCarryNonceAndTheirOwnSignatures() {
        CrossChainMessage m = range(258, 1, new byte[] {1}).get(0);
        String calldata = GatewayCalldata.executeBatch(SET, List.of(new GatewayCalldata.Signed(m, List.of(SIGNATURE))));
        assertThat(calldata).startsWith(selector("executeBatch(uint256,address,bytes,bytes)"));
        List<String> words = words(calldata);
        int at = Integer.parseInt(words.get(3), 16) / 32;
        int length = Integer.parseInt(words.get(at), 16);
        String packed = String.join("", words.subList(at + 1, words.size())).substring(0, 2 * length);
        assertThat(packed).isEqualTo("0000000000000102" + "22".repeat(20) + "33".repeat(20) + "0001" + "01" + "01"
                + SIGNATURE.toHex().substring(2));
    }

    @Test
    void refusesWhatTheGatewayCouldNotRead() {
        assertThatThrownBy(() -> GatewayCalldata.executeBatch(SET, List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> new GatewayCalldata.ValidatorSet(3, List.of("0x" + "aa".repeat(20)))).hasMessageContaining("threshold 3 of 1");
        CrossChainMessage a = range(0, 1, new byte[0]).get(0);
        CrossChainMessage otherRoute = new CrossChainMessage(1001, SRC_GATEWAY, 1, 1003, SENDER, RECIPIENT, new byte[0]);
        assertThatThrownBy(() -> GatewayCalldata.executeBatch(SET, List.of(new GatewayCalldata.Signed(a, List.of()),
                new GatewayCalldata.Signed(otherRoute, List.of())))).hasMessageContaining("the batch's is 1001/" + SRC_GATEWAY + " -> 1002");
        assertThatThrownBy(() -> GatewayCalldata.checkpointMessages(List.of(a, range(2, 1, new byte[0]).get(0))))
                .hasMessageContaining("nonces must be contiguous");
        CrossChainMessage huge = range(0, 1, new byte[GatewayCalldata.MAX_PACKED_PAYLOAD + 1]).get(0);
        assertThatThrownBy(() -> GatewayCalldata.checkpointMessages(List.of(huge))).hasMessageContaining("at most 65535");
        assertThatThrownBy(() -> new GatewayCalldata.Signed(a, java.util.Collections.nCopies(256, SIGNATURE)))
                .hasMessageContaining("at most 255");
    }

    private static List<CrossChainMessage> range(long first, int count, byte[] payload) {
        return LongStream.range(first, first + count).mapToObj(n -> new CrossChainMessage(1001, SRC_GATEWAY, n, 1002, SENDER, RECIPIENT,
                payload)).toList();
    }

    private static String selector(String signature) {
        return Hex.format(Hash.sha3(signature.getBytes(java.nio.charset.StandardCharsets.UTF_8))).substring(0, 10);
    }

    private static List<String> words(String calldata) {
        String body = calldata.substring(10);
        return java.util.stream.IntStream.range(0, body.length() / 64).mapToObj(i -> body.substring(64 * i, 64 * i + 64)).toList();
    }
}
