package io.courier.contracts;

import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import java.nio.charset.StandardCharsets;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.crypto.Keys;
import org.web3j.utils.Numeric;

/**
 * Validator keys of the tests: private key = keccak256("courier-test-validator-" + label), never read from a file.
 * {@link #KEYS} are sorted by address ascending, so {@code KEYS.get(0) < KEYS.get(1) < KEYS.get(2)} as the gateway
 * orders signers.
 */
final class TestValidators {

    static final List<ECKeyPair> KEYS = Stream.of("a", "b", "c")
            .map(TestValidators::key)
            .sorted(Comparator.comparing(TestValidators::address))
            .toList();
    static final ECKeyPair OUTSIDER = key("outsider");
    static final int THRESHOLD = 2;

    private TestValidators() {}

    static ECKeyPair key(String label) {
        byte[] secret = Hash.sha3(("courier-test-validator-" + label).getBytes(StandardCharsets.UTF_8));
        return ECKeyPair.create(Numeric.toBigInt(secret));
    }

    static String address(ECKeyPair key) {
        return "0x" + Keys.getAddress(key);
    }

    static List<String> addresses() {
        return KEYS.stream().map(TestValidators::address).toList();
    }

    /** Signature of {@code key} over the attestation digest of {@code message} for {@code dstGateway}. */
    static ValidatorSignature sign(CrossChainMessage message, String dstGateway, ECKeyPair key) {
        return ValidatorSignature.sign(AttestationDigest.of(message, dstGateway), key);
    }

    /** Signatures of {@code keys}, in that order, over the checkpoint digest of {@code range} for {@code dstGateway}. */
    static List<ValidatorSignature> signCheckpoint(List<CrossChainMessage> range, String dstGateway, ECKeyPair... keys) {
        CheckpointDigest digest = CheckpointDigest.of(range, dstGateway);
        return Stream.of(keys).map(k -> ValidatorSignature.sign(digest, k)).toList();
    }

    /** Raw 65-byte signatures of the given keys, in the given order (no sorting: tests control the order). */
    static List<byte[]> signatures(CrossChainMessage message, String dstGateway, ECKeyPair... keys) {
        return Stream.of(keys).map(k -> sign(message, dstGateway, k).bytes()).toList();
    }
}
