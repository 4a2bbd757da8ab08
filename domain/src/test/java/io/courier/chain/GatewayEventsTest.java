package io.courier.chain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Event;
import org.web3j.crypto.Hash;

class GatewayEventsTest {

    @Test
    void topicsAreTheKeccakOfTheSignatures() {
        assertThat(GatewayEvents.MESSAGE_SENT_TOPIC).isEqualTo(Hash.sha3String(GatewayEvents.MESSAGE_SENT_SIGNATURE));
        assertThat(GatewayEvents.MESSAGE_EXECUTED_TOPIC).isEqualTo(Hash.sha3String(GatewayEvents.MESSAGE_EXECUTED_SIGNATURE));
        assertThat(GatewayEvents.GAS_PAID_TOPIC).isEqualTo(Hash.sha3String(GatewayEvents.GAS_PAID_SIGNATURE));
        assertThat(GatewayEvents.MESSAGE_SENT_TOPIC).isNotEqualTo(GatewayEvents.MESSAGE_EXECUTED_TOPIC);
    }

    @Test
    void declarationsMatchTheSoliditySource() throws IOException {
        Path source = Path.of(System.getProperty("courier.root", "../"), "contracts/src/main/solidity/Gateway.sol");
        assumeTrue(Files.exists(source), "Gateway.sol not found at " + source);
        String solidity = Files.readString(source);
        assertMatches(solidity, GatewayEvents.MESSAGE_SENT, GatewayEvents.MESSAGE_SENT_SIGNATURE);
        assertMatches(solidity, GatewayEvents.MESSAGE_EXECUTED, GatewayEvents.MESSAGE_EXECUTED_SIGNATURE);
        assertMatches(solidity, GatewayEvents.GAS_PAID, GatewayEvents.GAS_PAID_SIGNATURE);
        assertMatches(solidity, GatewayEvents.MESSAGE_DELIVERED, "MessageDelivered(bytes32,uint256)");
        assertMatches(solidity, GatewayEvents.CHECKPOINT_EXECUTED, "CheckpointExecuted(uint256,address,uint64,uint64,bytes32,uint256)");
        assertThat(GatewayEvents.CHECKPOINT_EXECUTED_TOPIC)
                .isEqualTo(Hash.sha3String("CheckpointExecuted(uint256,address,uint64,uint64,bytes32,uint256)"));
    }

    @Test
    void aCheckpointCoversTheNoncesOfItsRouteOnly() {
        io.courier.chain.message.Address gateway = io.courier.chain.message.Address.fromHex("0x" + "ab".repeat(20));
        String srcGateway = "0x" + "cd".repeat(20);
        String data = org.web3j.abi.FunctionEncoder.encodeConstructor(List.of(new org.web3j.abi.datatypes.generated.Uint64(10),
                new org.web3j.abi.datatypes.generated.Uint64(13), new org.web3j.abi.datatypes.generated.Bytes32(new byte[32]),
                new org.web3j.abi.datatypes.generated.Uint256(0)));
        ChainLog log = new ChainLog(gateway, List.of(GatewayEvents.CHECKPOINT_EXECUTED_TOPIC, GatewayEvents.uintTopic(1001),
                GatewayEvents.addressTopic(srcGateway)), "0x" + data, 5, io.courier.chain.message.BlockHash.fromHex("0x" + "ee".repeat(32)),
                io.courier.chain.message.TxHash.fromHex("0x" + "ff".repeat(32)), 0, false);
        java.util.function.LongFunction<io.courier.chain.message.CrossChainMessage> nonce = n ->
                new io.courier.chain.message.CrossChainMessage(1001, srcGateway, n, 1002, "0x" + "11".repeat(20), "0x" + "22".repeat(20), new byte[0]);
        assertThat(GatewayEvents.checkpointCovers(log, gateway, nonce.apply(9))).isFalse();
        assertThat(GatewayEvents.checkpointCovers(log, gateway, nonce.apply(10))).isTrue();
        assertThat(GatewayEvents.checkpointCovers(log, gateway, nonce.apply(13))).isTrue();
        assertThat(GatewayEvents.checkpointCovers(log, gateway, nonce.apply(14))).isFalse();
        io.courier.chain.message.CrossChainMessage otherRoute = new io.courier.chain.message.CrossChainMessage(1001, "0x" + "ce".repeat(20),
                11, 1002, "0x" + "11".repeat(20), "0x" + "22".repeat(20), new byte[0]);
        assertThat(GatewayEvents.checkpointCovers(log, gateway, otherRoute)).isFalse();
    }

    /** Compares the canonical signature and which parameters are indexed with {@code event Name(...)} in the source. */
    private static void assertMatches(String solidity, Event event, String signature) {
        Matcher declaration = Pattern.compile("event\\s+" + event.getName() + "\\s*\\(([^)]*)\\)").matcher(solidity);
        assertThat(declaration.find()).as("event %s declared in Gateway.sol", event.getName()).isTrue();
        List<String> types = new ArrayList<>();
        List<Boolean> indexed = new ArrayList<>();
        for (String parameter : declaration.group(1).replaceAll("//[^\\n]*", "").split(",")) {
            String[] words = parameter.trim().split("\\s+");
            types.add(words[0]);
            indexed.add(List.of(words).contains("indexed"));
        }
        assertThat(event.getName() + "(" + String.join(",", types) + ")").isEqualTo(signature);
        assertThat(event.getParameters().stream().map(TypeReference::isIndexed).toList())
                .as("indexed parameters of %s", event.getName())
                .isEqualTo(indexed);
    }
}
