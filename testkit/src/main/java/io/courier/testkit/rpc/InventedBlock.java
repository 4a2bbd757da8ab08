package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.HexFormat;
import java.util.Random;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

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
        return shaped(number, randomHex(random, 32), randomHex(random, 32), randomHex(random, 32), randomHex(random, 32),
                Instant.now().getEpochSecond());
    }

    /**
     * Block {@code number} of the chain a {@link Lies.HeadClaim} invents above the real head: its hash depends on the
     * claim's salt and the number only, so asking twice gives the same block, and block {@code n}'s parent is
     * {@link #claimedHash} of {@code n - 1} (the caller passes the real hash for the first invented block).
     */
    static ObjectNode claimed(long number, String parentHash, Lies.HeadClaim claim) {
        String hash = claimedHash(number, claim);
        return shaped(number, hash, parentHash, Hash.sha3(hash), Hash.sha3(parentHash),
                claim.startSecond() + (number - claim.startHead()));
    }

    static String claimedHash(long number, Lies.HeadClaim claim) {
        return Numeric.toHexString(Hash.sha3(ByteBuffer.allocate(16).putLong(claim.salt()).putLong(number).array()));
    }

    private static ObjectNode shaped(long number, String hash, String parentHash, String stateRoot, String mixHash, long timestamp) {
        ObjectNode block = JsonNodeFactory.instance.objectNode();
        block.put("hash", hash);
        block.put("parentHash", parentHash);
        block.put("sha3Uncles", EMPTY_UNCLES);
        block.put("miner", "0x" + "0".repeat(40));
        block.put("stateRoot", stateRoot);
        block.put("transactionsRoot", EMPTY_TRIE);
        block.put("receiptsRoot", EMPTY_TRIE);
        block.put("logsBloom", "0x" + "0".repeat(512));
        block.put("difficulty", "0x0");
        block.put("number", BlockTags.quantity(number));
        block.put("gasLimit", "0x1c9c380");
        block.put("gasUsed", "0x0");
        block.put("timestamp", BlockTags.quantity(timestamp));
        block.put("extraData", "0x");
        block.put("mixHash", mixHash);
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
