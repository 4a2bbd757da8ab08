package io.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.ValidatorSignature;
import java.math.BigInteger;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.DynamicBytes;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint64;

/** A delivery transaction's input read back as the call it is: each encoding of the gateway's delivery paths, inverted. */
class DeliveryCallTest {

    private static final long SRC = 1001;
    private static final long DST = 1002;
    private static final String SRC_GATEWAY = "0x00000000000000000000000000000000c0ffee01";
    private static final GatewayCalldata.ValidatorSet SET = new GatewayCalldata.ValidatorSet(2,
            List.of("0x" + "aa".repeat(20), "0x" + "bb".repeat(20), "0x" + "01".repeat(20)));
    private static final ValidatorSignature S1 = ValidatorSignature.fromHex("0x" + "11".repeat(32) + "22".repeat(32) + "1b");
    private static final ValidatorSignature S2 = ValidatorSignature.fromHex("0x" + "33".repeat(32) + "44".repeat(32) + "1c");

    @Test
    void aCheckpointGivesBackItsRangeRootAndTheRootsSignatures() {
        List<CrossChainMessage> range = range(41, 5);
        CheckpointRoot root = CheckpointRoot.ofMessages(range);
        String input = GatewayCalldata.executeCheckpoint(range, root, SET, List.of(S1, S2));

        DeliveryCall.Checkpoint call = (DeliveryCall.Checkpoint) DeliveryCall.decode(input, DST).orElseThrow();
        assertThat(call.function()).isEqualTo("executeCheckpoint");
        assertThat(ids(call.messages())).isEqualTo(ids(range));
        assertThat(call.firstNonce()).isEqualTo(41);
        assertThat(call.lastNonce()).isEqualTo(45);
        assertThat(call.root()).isEqualTo(root);
        assertThat(call.signatures()).containsExactly(S1, S2);
        assertThat(call.delivers(range.get(3).id())).isTrue();
        assertThat(call.delivers(range(46, 1).get(0).id())).isFalse();
    }

    @Test
    void aBatchGivesBackEachMessageWithItsOwnSignatures() {
        List<CrossChainMessage> messages = List.of(range(7, 1).get(0), range(300, 1).get(0), range(9, 1).get(0));
        List<GatewayCalldata.Signed> signed = List.of(new GatewayCalldata.Signed(messages.get(0), List.of(S1, S2)),
                new GatewayCalldata.Signed(messages.get(1), List.of(S2)), new GatewayCalldata.Signed(messages.get(2), List.of()));

        DeliveryCall.Batch call = (DeliveryCall.Batch) DeliveryCall.decode(GatewayCalldata.executeBatch(SET, signed), DST).orElseThrow();
        assertThat(ids(call.messages())).isEqualTo(ids(messages));
        assertThat(call.signed()).extracting(GatewayCalldata.Signed::signatures)
                .containsExactly(List.of(S1, S2), List.of(S2), List.of());
    }

    @Test
    void aLoneExecuteAndARetryGiveBackTheirMessage() {
        CrossChainMessage m = range(12, 1).get(0);
        String execute = FunctionEncoder.encode(new Function("execute", List.of(new Uint256(SRC), new Address(SRC_GATEWAY),
                new Uint64(BigInteger.valueOf(12)), new Address(m.sender()), new Address(m.recipient()), new DynamicBytes(m.payload()),
                new DynamicArray<>(DynamicBytes.class, List.of(new DynamicBytes(S1.bytes()), new DynamicBytes(S2.bytes())))), List.of()));
        DeliveryCall.Lone lone = (DeliveryCall.Lone) DeliveryCall.decode(execute, DST).orElseThrow();
        assertThat(lone.message().id()).isEqualTo(m.id());
        assertThat(lone.signatures()).containsExactly(S1, S2);

        String retry = FunctionEncoder.encode(new Function("retry", List.of(new Uint256(SRC), new Address(SRC_GATEWAY),
                new Uint64(BigInteger.valueOf(12)), new Address(m.sender()), new Address(m.recipient()), new DynamicBytes(m.payload())),
                List.of()));
        assertThat(DeliveryCall.decode(retry, DST).orElseThrow()).isInstanceOfSatisfying(DeliveryCall.Retry.class,
                r -> assertThat(r.message().id()).isEqualTo(m.id()));
    }

    @Test
    void anotherFunctionIsNoDeliveryAndMalformedArgumentsAreRefused() {
        assertThat(DeliveryCall.decode("0x", DST)).isEmpty();
        assertThat(DeliveryCall.decode(FunctionEncoder.encode(new Function("payForGas", List.of(new Uint256(1)), List.of())), DST)).isEmpty();
        String input = GatewayCalldata.executeCheckpoint(range(1, 2), CheckpointRoot.ofMessages(range(1, 2)), SET, List.of(S1));
        // the messages' length word claims one byte more than the packed messages hold
        String words = input.substring(10);
        int messagesAt = Integer.parseInt(words.substring(6 * 64, 7 * 64), 16) * 2;
        int length = Integer.parseInt(words.substring(messagesAt, messagesAt + 64), 16);
        String truncated = input.substring(0, 10) + words.substring(0, messagesAt) + String.format("%064x", length - 1)
                + words.substring(messagesAt + 64);
        assertThatThrownBy(() -> DeliveryCall.decode(truncated, DST)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("on chain " + DST);
    }

    private static List<CrossChainMessage> range(long first, int count) {
        return IntStream.range(0, count).mapToObj(i -> new CrossChainMessage(SRC, SRC_GATEWAY, first + i, DST, "0x" + "22".repeat(20),
                "0x" + "33".repeat(20), new byte[] {(byte) i, 7, (byte) (first + i)})).toList();
    }

    private static List<MessageId> ids(List<CrossChainMessage> messages) {
        return messages.stream().map(CrossChainMessage::id).toList();
    }
}
