package io.courier.chain;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.EvmAddress;
import io.courier.chain.message.MessageId;
import java.util.Objects;

/**
 * Turns a {@code MessageSent} log of the configured gateway into a {@link CrossChainMessage}, or says why not.
 * The id in topic 1 is recomputed from the decoded fields: a log whose id does not match is rejected, never
 * relayed (validators sign ids, so a mismatch would make them attest something else than what was sent).
 */
public final class MessageSentDecoder {

    /** Why a log was not accepted. Values may be stored: add new ones, never rename or remove. */
    public enum Reason {
        /** Not emitted by the configured gateway. */
        WRONG_EMITTER,
        /** Not a {@code MessageSent} log. */
        WRONG_TOPIC,
        /** The topics or data are not a canonical encoding of {@code MessageSent}. */
        MALFORMED,
        /** The id in topic 1 is not the id recomputed from the decoded message. */
        ID_MISMATCH,
        /** The log was fed to the decoder of another chain. */
        WRONG_SOURCE_CHAIN,
        /** The destination is the source chain itself (the gateway refuses that, so the log is suspect). */
        WRONG_DESTINATION,
        /** The node marked the log removed: it left the canonical chain. */
        REMOVED,
        /**
         * The payload is larger than {@link #MAX_PAYLOAD_BYTES}: the gateway refuses it at {@code send} now; a log of an
         * older deployment that let it through is not relayed (its execute would exceed the destination's gas caps).
         */
        PAYLOAD_TOO_LARGE
    }

    /** The gateway's {@code MAX_PAYLOAD_BYTES} (contracts/src/main/solidity/Gateway.sol): keep the two equal. */
    public static final int MAX_PAYLOAD_BYTES = 16_384;

    /** The outcome of decoding one log. */
    public sealed interface Decoded permits Accepted, Rejected {}

    /** A valid message; {@code message.srcGateway()} is the log's address. */
    public record Accepted(CrossChainMessage message, ChainLog log) implements Decoded {
        public MessageId id() {
            return message.id();
        }
    }

    public record Rejected(Reason reason, String detail) implements Decoded {}

    private static final int TOPICS = 4;
    private static final int HEAD_WORDS = 3; // nonce, sender, offset of payload

    private final long chainId;
    private final String gateway;

    /**
     * @param chainId the chain this decoder reads logs of
     * @param gatewayAddress the gateway deployed there; logs of any other address are rejected
     */
    public MessageSentDecoder(long chainId, String gatewayAddress) {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive, was " + chainId);
        }
        this.chainId = chainId;
        this.gateway = EvmAddress.normalize("gateway of chain " + chainId, gatewayAddress);
    }

    /** Decodes a log of this decoder's chain. */
    public Decoded decode(ChainLog log) {
        return decode(log, chainId);
    }

    /**
     * @param srcChainId the chain the log was read from; must be this decoder's chain
     */
    public Decoded decode(ChainLog log, long srcChainId) {
        Objects.requireNonNull(log, "log");
        String where = "log " + log.logIndex() + " of tx " + log.txHash() + " in block " + log.blockNumber();
        if (srcChainId != chainId) {
            return new Rejected(Reason.WRONG_SOURCE_CHAIN, where + " claimed from chain " + srcChainId
                    + " given to the decoder of chain " + chainId);
        }
        if (log.removed()) {
            return new Rejected(Reason.REMOVED, where + " was removed from the canonical chain");
        }
        if (!gateway.equals(log.address().toHex())) {
            return new Rejected(Reason.WRONG_EMITTER, where + " emitted by " + log.address() + ", not the gateway " + gateway);
        }
        if (!log.topic0().map(GatewayEvents.MESSAGE_SENT_TOPIC::equals).orElse(false)) {
            return new Rejected(Reason.WRONG_TOPIC, where + " has topic 0 " + log.topic0().orElse("(none)"));
        }
        try {
            return decodeFields(log, where);
        } catch (IllegalArgumentException e) {
            return new Rejected(Reason.MALFORMED, where + ": " + e.getMessage());
        }
    }

    private Decoded decodeFields(ChainLog log, String where) {
        if (log.topics().size() != TOPICS) {
            throw new IllegalArgumentException("MessageSent has " + TOPICS + " topics, this log " + log.topics().size());
        }
        MessageId claimedId = MessageId.of(LogData.topicWord("id topic", log.topics().get(1)));
        long dstChainId = LogData.uint("dstChainId", LogData.topicWord("dstChainId topic", log.topics().get(2)), 256);
        String recipient = LogData.address("recipient", LogData.topicWord("recipient topic", log.topics().get(3)));
        LogData data = LogData.of(log.data());
        long nonce = LogData.uint("nonce", data.word(0), 64);
        String sender = LogData.address("sender", data.word(1));
        byte[] payload = data.dynamicBytesAt("payload", 2, HEAD_WORDS);
        if (dstChainId == chainId || dstChainId == 0) {
            return new Rejected(Reason.WRONG_DESTINATION, where + " is addressed to chain " + dstChainId);
        }
        if (payload.length > MAX_PAYLOAD_BYTES) {
            return new Rejected(Reason.PAYLOAD_TOO_LARGE, where + " carries a payload of " + payload.length
                    + " bytes, above the gateway's cap of " + MAX_PAYLOAD_BYTES);
        }
        CrossChainMessage message = new CrossChainMessage(chainId, log.address().toHex(), nonce, dstChainId, sender, recipient, payload);
        MessageId recomputed = message.id();
        if (!recomputed.equals(claimedId)) {
            return new Rejected(Reason.ID_MISMATCH, where + " claims id " + claimedId + " but its fields give " + recomputed);
        }
        return new Accepted(message, log);
    }

    public long chainId() {
        return chainId;
    }

    public String gateway() {
        return gateway;
    }
}
