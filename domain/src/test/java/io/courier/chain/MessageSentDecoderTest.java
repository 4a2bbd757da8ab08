package io.courier.chain;

import static io.courier.chain.MessageSentLogs.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.MessageSentDecoder.Accepted;
import io.courier.chain.MessageSentDecoder.Decoded;
import io.courier.chain.MessageSentDecoder.Reason;
import io.courier.chain.MessageSentDecoder.Rejected;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MessageSentDecoderTest {

    private final MessageSentDecoder decoder = new MessageSentDecoder(SRC_CHAIN, GATEWAY);

    private static Rejected rejected(Decoded decoded) {
        assertThat(decoded).isInstanceOf(Rejected.class);
        return (Rejected) decoded;
    }

    @Test
    void acceptsTheContractsMessageWithItsId() {
        ChainLog log = valid();
        Decoded decoded = decoder.decode(log, SRC_CHAIN);

        assertThat(decoded).isInstanceOf(Accepted.class);
        Accepted accepted = (Accepted) decoded;
        assertThat(accepted.message()).isEqualTo(
                new CrossChainMessage(SRC_CHAIN, GATEWAY, NONCE, DST_CHAIN, SENDER, RECIPIENT, PAYLOAD));
        assertThat(accepted.id()).isEqualTo(MessageId.fromHex(ID));
        assertThat(accepted.message().srcGateway()).isEqualTo(log.address().toHex());
        assertThat(accepted.log()).isSameAs(log);
    }

    @Test
    void acceptsAnEmptyPayloadAndExtremeAddresses() {
        // Vector 2 of the message package: chain 1, nonce 0, all-ones sender, zero recipient, empty payload
        String gateway = "0x0000000000000000000000000000000000000001";
        String id = "0x4426f7e39506b35b029231c2a0f92893007e5cbe9d6425e22844d68bbd13b44a";
        ChainLog log = log(gateway, topics(id, 137, "0x0000000000000000000000000000000000000000"),
                data(0, "0xffffffffffffffffffffffffffffffffffffffff", new byte[0]));
        Decoded decoded = new MessageSentDecoder(1, gateway).decode(log);
        assertThat(decoded).isInstanceOf(Accepted.class);
        assertThat(((Accepted) decoded).message().payloadLength()).isZero();
    }

    @Test
    void acceptsAPayloadOfExactlyOneWord() {
        byte[] payload = new byte[32];
        payload[31] = 1;
        CrossChainMessage message = new CrossChainMessage(SRC_CHAIN, GATEWAY, 1, DST_CHAIN, SENDER, RECIPIENT, payload);
        ChainLog log = log(GATEWAY, topics(message.id().toHex(), DST_CHAIN, RECIPIENT), data(1, SENDER, payload));
        assertThat(decoder.decode(log)).isInstanceOf(Accepted.class);
    }

    @Test
    void aPayloadAboveTheGatewaysCapIsRejectedAndOneAtTheCapIsAccepted() {
        byte[] atCap = new byte[MessageSentDecoder.MAX_PAYLOAD_BYTES];
        CrossChainMessage fits = new CrossChainMessage(SRC_CHAIN, GATEWAY, 1, DST_CHAIN, SENDER, RECIPIENT, atCap);
        assertThat(decoder.decode(log(GATEWAY, topics(fits.id().toHex(), DST_CHAIN, RECIPIENT), data(1, SENDER, atCap))))
                .isInstanceOf(Accepted.class);

        // an older gateway without the cap let this one through: its id is right, it is still not relayed
        byte[] over = new byte[MessageSentDecoder.MAX_PAYLOAD_BYTES + 1];
        CrossChainMessage big = new CrossChainMessage(SRC_CHAIN, GATEWAY, 2, DST_CHAIN, SENDER, RECIPIENT, over);
        Rejected r = rejected(decoder.decode(log(GATEWAY, topics(big.id().toHex(), DST_CHAIN, RECIPIENT), data(2, SENDER, over))));
        assertThat(r.reason()).isEqualTo(Reason.PAYLOAD_TOO_LARGE);
        assertThat(r.detail()).contains("16385").contains("16384");
    }

    @Test
    void idMismatchWhenTheTopicIdIsNotTheFieldsId() {
        ChainLog forged = withTopic(1, "0x" + "ab".repeat(32));
        Rejected r = rejected(decoder.decode(forged, SRC_CHAIN));
        assertThat(r.reason()).isEqualTo(Reason.ID_MISMATCH);
        assertThat(r.detail()).contains("0x" + "ab".repeat(32)).contains(ID).contains("log 3 of tx 0xccc");
    }

    @Test
    void idMismatchWhenThePayloadWasChanged() {
        byte[] other = "hello courieR".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        assertThat(rejected(decoder.decode(withData(data(NONCE, SENDER, other)))).reason()).isEqualTo(Reason.ID_MISMATCH);
    }

    @Test
    void wrongEmitter() {
        ChainLog other = log("0x" + "11".repeat(20), valid().topics(), valid().data());
        Rejected r = rejected(decoder.decode(other, SRC_CHAIN));
        assertThat(r.reason()).isEqualTo(Reason.WRONG_EMITTER);
        assertThat(r.detail()).contains("0x" + "11".repeat(20)).contains(GATEWAY);
    }

    @Test
    void wrongTopic() {
        assertThat(rejected(decoder.decode(withTopic(0, GatewayEvents.MESSAGE_EXECUTED_TOPIC))).reason())
                .isEqualTo(Reason.WRONG_TOPIC);
        assertThat(rejected(decoder.decode(withTopics(List.of()))).reason()).isEqualTo(Reason.WRONG_TOPIC);
    }

    @Test
    void wrongSourceChain() {
        Rejected r = rejected(decoder.decode(valid(), 1002));
        assertThat(r.reason()).isEqualTo(Reason.WRONG_SOURCE_CHAIN);
        assertThat(r.detail()).contains("1002").contains("1001");
    }

    @Test
    void wrongDestination() {
        assertThat(rejected(decoder.decode(withTopic(2, "0x" + word(SRC_CHAIN)))).reason()).isEqualTo(Reason.WRONG_DESTINATION);
        assertThat(rejected(decoder.decode(withTopic(2, "0x" + word(0)))).reason()).isEqualTo(Reason.WRONG_DESTINATION);
    }

    @Test
    void removedLogsAreNotMessages() {
        ChainLog v = valid();
        ChainLog removed = new ChainLog(v.address(), v.topics(), v.data(), v.blockNumber(), v.blockHash(), v.txHash(),
                v.logIndex(), true);
        assertThat(rejected(decoder.decode(removed)).reason()).isEqualTo(Reason.REMOVED);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {
            "truncated", "extra word", "dirty padding", "sender high bytes", "nonce above uint64", "odd offset",
            "length beyond data", "odd hex", "not hex", "three topics", "recipient high bytes", "short id topic",
            "dstChainId beyond long"})
    void malformed(String kind) {
        String data = valid().data();
        String payloadWord = payloadWords(PAYLOAD);
        ChainLog log = switch (kind) {
            case "truncated" -> withData(data.substring(0, data.length() - 64));
            case "extra word" -> withData(data + word(0));
            case "dirty padding" -> withData(data.substring(0, data.length() - 2) + "01");
            case "sender high bytes" -> withData("0x" + word(NONCE) + "01" + addressWord(SENDER).substring(2)
                    + word(96) + word(PAYLOAD.length) + payloadWord);
            case "nonce above uint64" -> withData("0x" + "01" + word(NONCE).substring(2) + addressWord(SENDER)
                    + word(96) + word(PAYLOAD.length) + payloadWord);
            case "odd offset" -> withData("0x" + word(NONCE) + addressWord(SENDER) + word(128) + word(0)
                    + word(PAYLOAD.length) + payloadWord);
            case "length beyond data" -> withData("0x" + word(NONCE) + addressWord(SENDER) + word(96) + word(1000) + payloadWord);
            case "odd hex" -> withData(data + "0");
            case "not hex" -> withData(data.substring(0, data.length() - 2) + "zz");
            case "three topics" -> withTopics(valid().topics().subList(0, 3));
            case "recipient high bytes" -> withTopic(3, "0x01" + addressWord(RECIPIENT).substring(2));
            case "short id topic" -> withTopic(1, "0x1234");
            case "dstChainId beyond long" -> withTopic(2, "0x" + "ff".repeat(32));
            default -> throw new IllegalArgumentException(kind);
        };
        Rejected r = rejected(decoder.decode(log));
        assertThat(r.reason()).as(r.detail()).isEqualTo(Reason.MALFORMED);
        assertThat(r.detail()).contains("block 77");
    }

    @Test
    void gatewayMayBeConfiguredInChecksumCase() {
        MessageSentDecoder checksummed = new MessageSentDecoder(SRC_CHAIN, "0x5FbDB2315678afecb367f032d93F642f64180aa3");
        assertThat(checksummed.gateway()).isEqualTo(GATEWAY);
        assertThat(checksummed.decode(valid())).isInstanceOf(Accepted.class);
    }

    @Test
    void rejectsABadConfiguration() {
        assertThatThrownBy(() -> new MessageSentDecoder(0, GATEWAY)).hasMessageContaining("chainId");
        assertThatThrownBy(() -> new MessageSentDecoder(1, "0x1234")).hasMessageContaining("gateway of chain 1");
    }
}
