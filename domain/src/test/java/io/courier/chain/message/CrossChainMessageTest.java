package io.courier.chain.message;

import static io.courier.chain.message.Vectors.MESSAGE_1;
import static io.courier.chain.message.Vectors.MESSAGE_2;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class CrossChainMessageTest {

    private static final String GATEWAY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String SENDER = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    private static final String RECIPIENT = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";

    @Test
    void idMatchesTheContract() {
        assertThat(MESSAGE_1.payloadHash().toHex()).isEqualTo(Vectors.MESSAGE_1_PAYLOAD_HASH);
        assertThat(MESSAGE_1.id()).isEqualTo(MessageId.fromHex(Vectors.MESSAGE_1_ID));
        assertThat(MESSAGE_2.id()).isEqualTo(MessageId.fromHex(Vectors.MESSAGE_2_ID));
    }

    @Test
    void everyFieldChangesTheId() {
        MessageId id = MESSAGE_1.id();
        byte[] payload = MESSAGE_1.payload();
        assertThat(new CrossChainMessage(1003, GATEWAY, 42, 1002, SENDER, RECIPIENT, payload).id()).isNotEqualTo(id);
        assertThat(new CrossChainMessage(1001, RECIPIENT, 42, 1002, SENDER, RECIPIENT, payload).id()).isNotEqualTo(id);
        assertThat(new CrossChainMessage(1001, GATEWAY, 43, 1002, SENDER, RECIPIENT, payload).id()).isNotEqualTo(id);
        assertThat(new CrossChainMessage(1001, GATEWAY, 42, 1003, SENDER, RECIPIENT, payload).id()).isNotEqualTo(id);
        assertThat(new CrossChainMessage(1001, GATEWAY, 42, 1002, RECIPIENT, RECIPIENT, payload).id()).isNotEqualTo(id);
        assertThat(new CrossChainMessage(1001, GATEWAY, 42, 1002, SENDER, SENDER, payload).id()).isNotEqualTo(id);
        assertThat(new CrossChainMessage(1001, GATEWAY, 42, 1002, SENDER, RECIPIENT, "hello courier!".getBytes(StandardCharsets.US_ASCII))
                .id()).isNotEqualTo(id);
    }

    @Test
    void addressesAreNormalizedSoCaseDoesNotChangeIdOrEquality() {
        CrossChainMessage checksummed = new CrossChainMessage(1001, "0x5FbDB2315678afecb367f032d93F642f64180aa3", 42, 1002,
                SENDER.toUpperCase().replace("0X", "0x"), RECIPIENT, "hello courier".getBytes(StandardCharsets.US_ASCII));
        assertThat(checksummed).isEqualTo(MESSAGE_1).hasSameHashCodeAs(MESSAGE_1);
        assertThat(checksummed.srcGateway()).isEqualTo(GATEWAY);
        assertThat(checksummed.id()).isEqualTo(MESSAGE_1.id());
    }

    @Test
    void payloadIsCopiedInAndOut() {
        byte[] payload = {1, 2, 3};
        CrossChainMessage message = new CrossChainMessage(1, GATEWAY, 0, 2, SENDER, RECIPIENT, payload);
        MessageId before = message.id();
        payload[0] = 9;
        message.payload()[1] = 9;
        assertThat(message.payload()).containsExactly(1, 2, 3);
        assertThat(message.id()).isEqualTo(before);
        assertThat(message).isEqualTo(new CrossChainMessage(1, GATEWAY, 0, 2, SENDER, RECIPIENT, new byte[] {1, 2, 3}));
        assertThat(message.toString()).contains("1->2", "nonce=0", "payload=3 bytes");
    }

    @Test
    void rejectsInvalidFieldsNamingThem() {
        byte[] p = new byte[0];
        assertThatThrownBy(() -> new CrossChainMessage(0, GATEWAY, 0, 2, SENDER, RECIPIENT, p)).hasMessageContaining("srcChainId");
        assertThatThrownBy(() -> new CrossChainMessage(1, GATEWAY, 0, -2, SENDER, RECIPIENT, p)).hasMessageContaining("dstChainId");
        assertThatThrownBy(() -> new CrossChainMessage(1, GATEWAY, -1, 2, SENDER, RECIPIENT, p))
                .hasMessageContaining("nonce must be >= 0, was -1 (message from chain 1)");
        assertThatThrownBy(() -> new CrossChainMessage(7, "0x12", 0, 2, SENDER, RECIPIENT, p))
                .hasMessageStartingWith("srcGateway of chain 7 must be 0x followed by 40 hex digits");
        assertThatThrownBy(() -> new CrossChainMessage(1, GATEWAY, 0, 2, "nope", RECIPIENT, p)).hasMessageStartingWith("sender");
        assertThatThrownBy(() -> new CrossChainMessage(1, GATEWAY, 0, 2, SENDER, null, p)).hasMessageStartingWith("recipient is null");
        assertThatThrownBy(() -> new CrossChainMessage(1, GATEWAY, 0, 2, SENDER, RECIPIENT, null)).hasMessageContaining("payload is null");
    }

    /** 1000 examples (it was 200): one keccak of at most 300 bytes each. Ids and nonces: every positive long. */
    @Test
    void equalFieldsGiveEqualMessagesAndIds() {
        Gen<Long> positive = longs().between(1, Long.MAX_VALUE);
        qt().withExamples(1000).forAll(positive, positive, positive, bytes(0, 300)).checkAssert((src, dst, nonce, payload) -> {
            CrossChainMessage a = new CrossChainMessage(src, GATEWAY, nonce, dst, SENDER, RECIPIENT, payload);
            CrossChainMessage b = new CrossChainMessage(src, GATEWAY, nonce, dst, SENDER, RECIPIENT, payload.clone());
            assertThat(a).isEqualTo(b).hasSameHashCodeAs(b);
            assertThat(a.id()).isEqualTo(b.id());
            assertThat(a.id().bytes()).hasSize(32);
        });
    }

    /** {@code min..max} bytes, each any value; shrinks towards shorter arrays of zeros. Shown in hex. */
    static Gen<byte[]> bytes(int min, int max) {
        return Generate.byteArrays(Generate.range(min, max), Generate.bytes(Byte.MIN_VALUE, Byte.MAX_VALUE, (byte) 0))
                .describedAs(b -> "0x" + HexFormat.of().formatHex(b));
    }
}
