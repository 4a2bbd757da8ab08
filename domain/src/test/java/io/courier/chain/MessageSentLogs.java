package io.courier.chain;

import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Hand-built {@code MessageSent} logs, encoded word by word here (independently of the decoder's reader), with
 * a known message from the contract's own test vectors.
 */
final class MessageSentLogs {

    private MessageSentLogs() {}

    static final long SRC_CHAIN = 1001;
    static final String GATEWAY = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    static final long NONCE = 42;
    static final long DST_CHAIN = 1002;
    static final String SENDER = "0x90f79bf6eb2c4f870365e785982e1f101e93b906";
    static final String RECIPIENT = "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65";
    static final byte[] PAYLOAD = "hello courier".getBytes(StandardCharsets.US_ASCII);
    /** The id {@code Gateway.sol} computes for these fields (confirmed by eth_call against the contract). */
    static final String ID = "0xc938f93d9f8e4357137bcd9dc99e8dcfb7c9ab7c765abeb6560f74695b7f0fb6";

    static String word(long value) {
        return String.format("%064x", value);
    }

    static String addressWord(String address) {
        return "000000000000000000000000" + address.substring(2);
    }

    static String payloadWords(byte[] payload) {
        String hex = HexFormat.of().formatHex(payload);
        int padded = (payload.length + 31) / 32 * 64;
        return hex + "0".repeat(padded - hex.length());
    }

    static String data(long nonce, String sender, byte[] payload) {
        return "0x" + word(nonce) + addressWord(sender) + word(96) + word(payload.length) + payloadWords(payload);
    }

    static List<String> topics(String id, long dstChainId, String recipient) {
        return List.of(GatewayEvents.MESSAGE_SENT_TOPIC, id, "0x" + word(dstChainId), "0x" + addressWord(recipient));
    }

    static ChainLog log(String emitter, List<String> topics, String data) {
        return log(Address.fromHex(emitter), topics, data);
    }

    static ChainLog log(Address emitter, List<String> topics, String data) {
        return new ChainLog(emitter, topics, data, 77, BlockHash.fromHex("0x" + "b".repeat(64)),
                TxHash.fromHex("0x" + "c".repeat(64)), 3, false);
    }

    static ChainLog valid() {
        return log(GATEWAY, topics(ID, DST_CHAIN, RECIPIENT), data(NONCE, SENDER, PAYLOAD));
    }

    static ChainLog withTopics(List<String> topics) {
        ChainLog v = valid();
        return log(v.address(), topics, v.data());
    }

    static ChainLog withTopic(int index, String topic) {
        List<String> topics = new ArrayList<>(valid().topics());
        topics.set(index, topic);
        return withTopics(topics);
    }

    static ChainLog withData(String data) {
        ChainLog v = valid();
        return log(v.address(), v.topics(), data);
    }
}
