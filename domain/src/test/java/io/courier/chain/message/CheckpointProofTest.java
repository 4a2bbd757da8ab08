package io.courier.chain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;

/** A message's Merkle path folds to its checkpoint's root, and only its own id does. */
class CheckpointProofTest {

    @Test
    void everyLeafOfEveryRangeFoldsToTheRoot() {
        qt().forAll(integers().between(1, 300), integers().between(0, 10_000), integers().all()).checkAssert((n, pick, salt) -> {
            List<MessageId> ids = ids(n, salt);
            int index = pick % n;
            CheckpointProof proof = CheckpointProof.of(ids, index);
            assertThat(proof.rootFrom(ids.get(index))).isEqualTo(CheckpointRoot.of(ids));
            // a tree of n leaves is ceil(log2 n) levels high: never more steps than that
            assertThat(proof.steps().size()).isLessThanOrEqualTo(32 - Integer.numberOfLeadingZeros(n - 1));
        });
    }

    @Test
    void anotherIdOrAnAlteredSiblingFoldsToAnotherRoot() {
        qt().forAll(integers().between(2, 300), integers().between(0, 10_000), integers().between(0, 10_000), integers().all())
                .checkAssert((n, pick, other, salt) -> {
                    List<MessageId> ids = ids(n, salt);
                    int index = pick % n;
                    CheckpointRoot root = CheckpointRoot.of(ids);
                    CheckpointProof proof = CheckpointProof.of(ids, index);
                    int elsewhere = (index + 1 + other % (n - 1)) % n;
                    assertThat(proof.rootFrom(ids.get(elsewhere))).as("leaf %d's path, leaf %d's id", index, elsewhere).isNotEqualTo(root);
                    List<CheckpointProof.Step> altered = new ArrayList<>(proof.steps());
                    int at = other % altered.size();
                    CheckpointProof.Step step = altered.get(at);
                    altered.set(at, new CheckpointProof.Step(step.sibling(), step.side() == CheckpointProof.Side.LEFT
                            ? CheckpointProof.Side.RIGHT : CheckpointProof.Side.LEFT));
                    assertThat(new CheckpointProof(index, n, altered).rootFrom(ids.get(index))).as("step %d on the wrong side", at)
                            .isNotEqualTo(root);
                });
    }

    @Test
    void pathsByHandForFiveLeaves() {
        List<MessageId> ids = ids(5, 7);
        byte[] ab = Hash.sha3(concat(ids.get(0).bytes(), ids.get(1).bytes()));
        byte[] cd = Hash.sha3(concat(ids.get(2).bytes(), ids.get(3).bytes()));
        byte[] abcd = Hash.sha3(concat(ab, cd));
        // ((a b)(c d)) e: c's path is d on its right, (a b) on its left, e on the right
        assertThat(CheckpointProof.of(ids, 2).steps()).containsExactly(
                new CheckpointProof.Step(ids.get(3).value(), CheckpointProof.Side.RIGHT),
                new CheckpointProof.Step(Bytes32.of(ab), CheckpointProof.Side.LEFT),
                new CheckpointProof.Step(ids.get(4).value(), CheckpointProof.Side.RIGHT));
        // e is carried up twice (no sibling, no step), then meets abcd on its left
        assertThat(CheckpointProof.of(ids, 4).steps()).containsExactly(new CheckpointProof.Step(Bytes32.of(abcd), CheckpointProof.Side.LEFT));
        assertThat(CheckpointProof.of(ids.subList(0, 1), 0).steps()).isEmpty();
    }

    @Test
    void aLeafOutsideTheRangeIsRefused() {
        assertThatThrownBy(() -> CheckpointProof.of(ids(3, 1), 3)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("leaf 3");
        assertThatThrownBy(() -> CheckpointProof.of(List.of(), 0)).isInstanceOf(IllegalArgumentException.class);
    }

    private static List<MessageId> ids(int n, int salt) {
        return IntStream.range(0, n).mapToObj(i -> new MessageId(Bytes32.of(Hash.sha3(("leaf " + salt + "/" + i).getBytes(
                java.nio.charset.StandardCharsets.US_ASCII))))).toList();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
