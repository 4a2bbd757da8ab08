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
