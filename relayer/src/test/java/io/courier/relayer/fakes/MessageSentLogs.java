package io.courier.relayer.fakes;

import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import java.util.HexFormat;
import java.util.List;

/** The gateway's {@code MessageSent} log of a message, as a node returns it (for fakes that play a chain). */
public final class MessageSentLogs {

    private MessageSentLogs() {}

    public static ChainLog of(CrossChainMessage m, long blockNumber, BlockHash blockHash, TxHash tx, long logIndex) {
        return new ChainLog(Address.fromHex(m.srcGateway()), List.of(GatewayEvents.MESSAGE_SENT_TOPIC, m.id().toHex(),
                "0x" + word(m.dstChainId()), "0x" + addressWord(m.recipient())), data(m), blockNumber, blockHash, tx,
                logIndex, false);
    }

    private static String word(long value) {
        return String.format("%064x", value);
    }

    private static String addressWord(String address) {
        return "000000000000000000000000" + address.substring(2);
    }

    /** The ABI encoding of the event's data: nonce, sender, then the payload as dynamic bytes. */
    private static String data(CrossChainMessage m) {
        byte[] payload = m.payload();
        String hex = HexFormat.of().formatHex(payload);
        int padded = (payload.length + 31) / 32 * 64;
        return "0x" + word(m.nonce()) + addressWord(m.sender()) + word(96) + word(payload.length)
                + hex + "0".repeat(padded - hex.length());
    }
}
