package io.courier.chain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.web3j.crypto.Hash;

/** The checkpoint root's construction, pinned by hand for small trees; equality with the contract is CheckpointPropertyIT's. */
class CheckpointRootTest {

    private static final String GATEWAY = "0x00000000000000000000000000000000c0ffee01";

    @Test
    void oneIdIsItsOwnRoot() {
        MessageId id = id(1);
        assertThat(CheckpointRoot.of(List.of(id)).value()).isEqualTo(id.value());
    }

    @Test
    void pairsAreHashedInOrderAndAnOddLastNodeIsCarriedUp() {
        MessageId a = id(1);
        MessageId b = id(2);
        MessageId c = id(3);
        Bytes32 ab = pair(a.value(), b.value());
        assertThat(CheckpointRoot.of(List.of(a, b)).value()).isEqualTo(ab);
        assertThat(CheckpointRoot.of(List.of(b, a)).value()).isNotEqualTo(ab);
        // three leaves: (a b) c, the c carried up unhashed
        assertThat(CheckpointRoot.of(List.of(a, b, c)).value()).isEqualTo(pair(ab, c.value()));
        // five leaves: ((a b)(c d)) e
        MessageId d = id(4);
        MessageId e = id(5);
        Bytes32 abcd = pair(ab, pair(c.value(), d.value()));
        assertThat(CheckpointRoot.of(List.of(a, b, c, d, e)).value()).isEqualTo(pair(abcd, e.value()));
    }

    @Test
    void anyChangedOrSwappedLeafChangesTheRoot() {
        Gen<List<Integer>> seeds = lists().of(integers().all()).ofSizeBetween(2, 70);
        qt().forAll(seeds, integers().between(0, 1000), integers().between(0, 1000)).assuming((s, i, j) -> s.stream().distinct().count() == s.size())
                .checkAssert((s, i, j) -> {
                    List<MessageId> ids = s.stream().map(CheckpointRootTest::id).toList();
                    CheckpointRoot root = CheckpointRoot.of(ids);
                    int x = i % ids.size();
                    int y = j % ids.size();
                    List<MessageId> changed = new ArrayList<>(ids);
                    changed.set(x, id(Integer.MIN_VALUE + s.size()));
                    assertThat(CheckpointRoot.of(changed)).isNotEqualTo(root);
                    if (x != y) {
                        List<MessageId> swapped = new ArrayList<>(ids);
                        swapped.set(x, ids.get(y));
                        swapped.set(y, ids.get(x));
                        assertThat(CheckpointRoot.of(swapped)).as("leaves %d and %d swapped", x, y).isNotEqualTo(root);
                    }
                });
    }

    @Test
    void rangeMustBeOneRouteWithContiguousNonces() {
        List<CrossChainMessage> range = IntStream.range(0, 3).mapToObj(n -> message(1001, GATEWAY, 10 + n, 1002)).toList();
        assertThat(CheckpointRoot.ofMessages(range)).isEqualTo(CheckpointRoot.of(range.stream().map(CrossChainMessage::id).toList()));
        assertThatThrownBy(() -> CheckpointRoot.ofMessages(List.of())).hasMessageContaining("at least one");
        assertThatThrownBy(() -> CheckpointRoot.ofMessages(List.of(range.get(0), range.get(2))))
                .hasMessageContaining("has nonce 12 at position 1 of a checkpoint starting at nonce 10");
        assertThatThrownBy(() -> CheckpointRoot.ofMessages(List.of(range.get(0), message(1001, GATEWAY, 11, 1003))))
                .hasMessageContaining("not the checkpoint's 1001/" + GATEWAY + " -> 1002");
        assertThatThrownBy(() -> CheckpointRoot.ofMessages(List.of(range.get(0), message(1001, "0x" + "11".repeat(20), 11, 1002))))
                .hasMessageContaining("is on route 1001/0x1111");
        assertThatThrownBy(() -> CheckpointRoot.ofMessages(List.of(range.get(0), message(1005, GATEWAY, 11, 1002))))
                .hasMessageContaining("is on route 1005/");
    }

    @Test
    void digestBindsEveryFieldOfTheCheckpointAndItsDestination() {
        CheckpointRoot root = CheckpointRoot.of(List.of(id(1), id(2)));
        CheckpointDigest digest = CheckpointDigest.of(1001, GATEWAY, 4, 5, root, 1002, Vectors.GANACHE_GATEWAY);
        assertThat(List.of(
                CheckpointDigest.of(1003, GATEWAY, 4, 5, root, 1002, Vectors.GANACHE_GATEWAY),
                CheckpointDigest.of(1001, Vectors.OTHER_GATEWAY, 4, 5, root, 1002, Vectors.GANACHE_GATEWAY),
                CheckpointDigest.of(1001, GATEWAY, 3, 5, root, 1002, Vectors.GANACHE_GATEWAY),
                CheckpointDigest.of(1001, GATEWAY, 4, 6, root, 1002, Vectors.GANACHE_GATEWAY),
                CheckpointDigest.of(1001, GATEWAY, 4, 5, CheckpointRoot.of(List.of(id(2), id(1))), 1002, Vectors.GANACHE_GATEWAY),
                CheckpointDigest.of(1001, GATEWAY, 4, 5, root, 1003, Vectors.GANACHE_GATEWAY),
                CheckpointDigest.of(1001, GATEWAY, 4, 5, root, 1002, Vectors.OTHER_GATEWAY)))
                .doesNotContain(digest).doesNotHaveDuplicates();
        assertThatThrownBy(() -> CheckpointDigest.of(1001, GATEWAY, 5, 4, root, 1002, Vectors.GANACHE_GATEWAY))
                .hasMessageContaining("0 <= firstNonce <= lastNonce, was 5..4");
    }

    @Test
    void checkpointSignaturesRecoverToTheirSigner() {
        org.web3j.crypto.ECKeyPair key = org.web3j.crypto.ECKeyPair.create(java.math.BigInteger.valueOf(0xc0ffee));
        CheckpointDigest digest = CheckpointDigest.of(1001, GATEWAY, 0, 0, CheckpointRoot.of(List.of(id(1))), 1002, Vectors.GANACHE_GATEWAY);
        ValidatorSignature signature = ValidatorSignature.sign(digest, key);
        assertThat(signature.signer(digest)).isEqualTo("0x" + org.web3j.crypto.Keys.getAddress(key));
        CheckpointDigest other = CheckpointDigest.of(1001, GATEWAY, 0, 1, CheckpointRoot.of(List.of(id(1))), 1002, Vectors.GANACHE_GATEWAY);
        assertThat(signature.signer(other)).isNotEqualTo("0x" + org.web3j.crypto.Keys.getAddress(key));
    }

    private static Bytes32 pair(Bytes32 left, Bytes32 right) {
        byte[] both = new byte[64];
        left.writeTo(both, 0);
        right.writeTo(both, 32);
        return Bytes32.of(Hash.sha3(both));
    }

    private static MessageId id(int seed) {
        return MessageId.of(Hash.sha3(java.nio.ByteBuffer.allocate(4).putInt(seed).array()));
    }

    private static CrossChainMessage message(long src, String gateway, long nonce, long dst) {
        return new CrossChainMessage(src, gateway, nonce, dst, "0x" + "22".repeat(20), "0x" + "33".repeat(20), new byte[] {(byte) nonce});
    }
}
