package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;

import io.courier.finality.ReorgPolicy.Verdict;
import org.junit.jupiter.api.Test;

class ReorgPolicyPropertyTest {

    /** Pure arithmetic, so cheap: 1000 examples (it was 300). */
    private static final int EXAMPLES = 1000;

    /** For Confirmations(n), the general rule (lowest orphaned block at or below the finalized height) is depth >= n. */
    @Test
    void confirmationsHaltExactlyFromDepthN() {
        qt().withExamples(EXAMPLES)
                .forAll(integers().between(1, 64), integers().between(1, 128), integers().between(200, 100_000))
                .checkAssert((n, depth, head) -> {
                    Verdict verdict = new ReorgPolicy(new FinalityPolicy.Confirmations(n)).judge(depth, ChainTip.ofHead(head));
                    assertThat(verdict.mustHalt()).isEqualTo(depth >= n);
                    assertThat(verdict.depth()).isEqualTo(depth);
                });
    }

    /** The same through a tip: for a finalized tag at height f, a reorg halts iff its lowest orphaned block is <= f. */
    @Test
    void tagsHaltExactlyAtOrBelowTheTag() {
        qt().withExamples(EXAMPLES)
                .forAll(integers().between(1, 128), integers().between(0, 150), integers().between(200, 100_000))
                .checkAssert((depth, finalizedLag, head) -> {
                    ChainTip tip = new ChainTip(head, head, head - finalizedLag);
                    Verdict verdict = new ReorgPolicy(FinalityPolicy.Tag.finalized()).judge(depth, tip);
                    assertThat(verdict.mustHalt()).isEqualTo(head - depth + 1 <= head - finalizedLag);
                    assertThat(verdict.lowestOrphaned()).isEqualTo(head - depth + 1);
                });
    }
}
