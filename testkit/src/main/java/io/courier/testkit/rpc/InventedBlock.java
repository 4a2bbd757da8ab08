package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;

/**
 * A block that does not exist, shaped like Ganache's own answer to {@code eth_getBlockByNumber}: what a lying or
 * misconfigured endpoint returns for a height it has not reached. Why well-formed: a client must be caught by its
 * checks (hash continuity, the head it knows), not by a JSON parse error. Hashes come from the proxy's
 * {@link java.util.Random}, so a seeded proxy invents the same blocks in the same order.
 */
final class InventedBlock {

    private static final String EMPTY_TRIE = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";
    private static final String EMPTY_UNCLES = "0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347";

    private InventedBlock() {}

    static ObjectNode at(long number, Random random) {
        ObjectNode block = JsonNodeFactory.instance.objectNode();
        block.put("hash", randomHex(random, 32));
        block.put("parentHash", randomHex(random, 32));
        block.put("sha3Uncles", EMPTY_UNCLES);
        block.put("miner", "0x" + "0".repeat(40));
        block.put("stateRoot", randomHex(random, 32));
        block.put("transactionsRoot", EMPTY_TRIE);
        block.put("receiptsRoot", EMPTY_TRIE);
        block.put("logsBloom", "0x" + "0".repeat(512));
        block.put("difficulty", "0x0");
        block.put("number", BlockTags.quantity(number));
        block.put("gasLimit", "0x1c9c380");
        block.put("gasUsed", "0x0");
        block.put("timestamp", BlockTags.quantity(Instant.now().getEpochSecond()));
        block.put("extraData", "0x");
        block.put("mixHash", randomHex(random, 32));
        block.put("nonce", "0x0000000000000000");
        block.put("totalDifficulty", "0x0");
        block.put("baseFeePerGas", "0x7");
        block.put("size", "0x224");
        block.putArray("transactions");
        block.putArray("uncles");
        return block;
    }

    private static String randomHex(Random random, int bytes) {
        byte[] value = new byte[bytes];
        random.nextBytes(value);
        return "0x" + HexFormat.of().formatHex(value);
    }
}
