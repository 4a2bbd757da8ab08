package io.courier.chain;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.web3j.abi.EventEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.Bool;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Event;
import org.web3j.abi.datatypes.generated.Bytes32;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;
import org.web3j.utils.Numeric;

/**
 * The events of {@code contracts/src/main/solidity/Gateway.sol} the relayer reads, with their topic 0 hashes.
 * The declarations here must match the contract exactly; {@code GatewayEventsTest} compares them with the
 * Solidity source.
 */
public final class GatewayEvents {

    private GatewayEvents() {}

    /**
     * {@code MessageSent(bytes32 indexed id, uint256 indexed dstChainId, address indexed recipient, uint64 nonce,
     * address sender, bytes payload)}.
     */
    public static final Event MESSAGE_SENT = new Event("MessageSent", List.of(
            new TypeReference<Bytes32>(true) {},
            new TypeReference<Uint256>(true) {},
            new TypeReference<Address>(true) {},
            new TypeReference<Uint64>() {},
            new TypeReference<Address>() {},
            new TypeReference<DynamicBytes>() {}));

    /**
     * {@code MessageExecuted(bytes32 indexed id, uint256 indexed srcChainId, uint64 nonce, bool success,
     * bytes revertData)}.
     */
    public static final Event MESSAGE_EXECUTED = new Event("MessageExecuted", List.of(
            new TypeReference<Bytes32>(true) {},
            new TypeReference<Uint256>(true) {},
            new TypeReference<Uint64>() {},
            new TypeReference<Bool>() {},
            new TypeReference<DynamicBytes>() {}));

    /**
     * {@code MessageDelivered(bytes32 indexed id, uint256 indexed srcChainId)}: a success in {@code executeBatch}, leaner
     * than {@code MessageExecuted} (docs/adr/008-checkpointed-batches.md).
     */
    public static final Event MESSAGE_DELIVERED = new Event("MessageDelivered", List.of(
            new TypeReference<Bytes32>(true) {},
            new TypeReference<Uint256>(true) {}));

    /**
     * {@code CheckpointExecuted(uint256 indexed srcChainId, address indexed srcGateway, uint64 firstNonce, uint64 lastNonce,
     * bytes32 root, uint256 failed)}: the range's messages without their own {@code MessageExecuted(success = false)} in
     * the same transaction were delivered (docs/adr/008-checkpointed-batches.md).
     */
    public static final Event CHECKPOINT_EXECUTED = new Event("CheckpointExecuted", List.of(
            new TypeReference<Uint256>(true) {},
            new TypeReference<Address>(true) {},
            new TypeReference<Uint64>() {},
            new TypeReference<Uint64>() {},
            new TypeReference<Bytes32>() {},
            new TypeReference<Uint256>() {}));

    /** {@code GasPaid(bytes32 indexed id, uint256 amount)}: native value paid for destination gas. */
    public static final Event GAS_PAID = new Event("GasPaid", List.of(
            new TypeReference<Bytes32>(true) {},
            new TypeReference<Uint256>() {}));

    public static final String MESSAGE_SENT_SIGNATURE = "MessageSent(bytes32,uint256,address,uint64,address,bytes)";
    public static final String MESSAGE_EXECUTED_SIGNATURE = "MessageExecuted(bytes32,uint256,uint64,bool,bytes)";
    public static final String GAS_PAID_SIGNATURE = "GasPaid(bytes32,uint256)";

    /** Topic 0 of {@code MessageSent}. */
    public static final String MESSAGE_SENT_TOPIC = EventEncoder.encode(MESSAGE_SENT);
    /** Topic 0 of {@code MessageExecuted}. */
    public static final String MESSAGE_EXECUTED_TOPIC = EventEncoder.encode(MESSAGE_EXECUTED);
    /** Topic 0 of {@code MessageDelivered}. */
    public static final String MESSAGE_DELIVERED_TOPIC = EventEncoder.encode(MESSAGE_DELIVERED);
    /** Topic 0 of {@code CheckpointExecuted}. */
    public static final String CHECKPOINT_EXECUTED_TOPIC = EventEncoder.encode(CHECKPOINT_EXECUTED);
    /** Topic 0 of {@code GasPaid}. */
    public static final String GAS_PAID_TOPIC = EventEncoder.encode(GAS_PAID);

    /**
     * The first log among {@code logs} (a receipt's) that {@code gateway} emitted as event {@code topic0} for message
     * {@code id} (its first indexed argument). Topics are kept lower case ({@link ChainLog}), so they compare as is.
     */
    public static Optional<ChainLog> find(List<ChainLog> logs, io.courier.chain.message.Address gateway, String topic0, MessageId id) {
        String idTopic = id.toHex();
        return logs.stream()
                .filter(l -> l.address().equals(gateway) && l.topics().size() > 1
                        && l.topics().get(0).equals(topic0) && l.topics().get(1).equals(idTopic))
                .findFirst();
    }

    /**
     * Whether {@code log} is a {@code CheckpointExecuted} of {@code gateway} for the route of {@code message} whose range
     * holds the message's nonce.
     */
    public static boolean checkpointCovers(ChainLog log, io.courier.chain.message.Address gateway, CrossChainMessage message) {
        if (!log.address().equals(gateway) || log.topics().size() < 3 || !log.topics().get(0).equals(CHECKPOINT_EXECUTED_TOPIC)
                || !log.topics().get(1).equals(uintTopic(message.srcChainId()))
                || !log.topics().get(2).equals(addressTopic(message.srcGateway()))) {
            return false;
        }
        long[] range = checkpointNonces(log.data());
        return message.nonce() >= range[0] && message.nonce() <= range[1];
    }

    /** The first and last nonce a {@code CheckpointExecuted} covers, from its data (one home for its layout). */
    public static long[] checkpointNonces(String data) {
        @SuppressWarnings("rawtypes")
        List<org.web3j.abi.datatypes.Type> values = FunctionReturnDecoder.decode(data, CHECKPOINT_EXECUTED.getNonIndexedParameters());
        return new long[] {((Uint64) values.get(0)).getValue().longValueExact(), ((Uint64) values.get(1)).getValue().longValueExact()};
    }

    /** An indexed uint256 as a log topic (lower case, 0x, 64 digits). */
    public static String uintTopic(long value) {
        return Numeric.toHexStringWithPrefixZeroPadded(BigInteger.valueOf(value), 64);
    }

    /** An indexed address as a log topic (lower case, 0x, left-padded to 64 digits). */
    public static String addressTopic(String address) {
        return "0x" + "0".repeat(24) + Numeric.cleanHexPrefix(address).toLowerCase(java.util.Locale.ROOT);
    }
}
