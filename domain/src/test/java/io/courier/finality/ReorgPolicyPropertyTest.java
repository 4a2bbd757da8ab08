package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.finality.ReorgPolicy.Verdict;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

class ReorgPolicyPropertyTest {

    /** For Confirmations(n), the general rule (lowest orphaned block at or below the finalized height) is depth >= n. */
    @Property(tries = 300)
    void confirmationsHaltExactlyFromDepthN(@ForAll @IntRange(min = 1, max = 64) int n,
                                            @ForAll @IntRange(min = 1, max = 128) int depth,
                                            @ForAll @IntRange(min = 200, max = 100_000) int head) {
        Verdict verdict = new ReorgPolicy(new FinalityPolicy.Confirmations(n)).judge(depth, ChainTip.ofHead(head));
        assertThat(verdict.mustHalt()).isEqualTo(depth >= n);
        assertThat(verdict.depth()).isEqualTo(depth);
    }

    /** The same through a tip: for a finalized tag at height f, a reorg halts iff its lowest orphaned block is <= f. */
    @Property(tries = 300)
    void tagsHaltExactlyAtOrBelowTheTag(@ForAll @IntRange(min = 1, max = 128) int depth,
                                        @ForAll @IntRange(min = 0, max = 150) int finalizedLag,
                                        @ForAll @IntRange(min = 200, max = 100_000) int head) {
        ChainTip tip = new ChainTip(head, head, head - finalizedLag);
        Verdict verdict = new ReorgPolicy(FinalityPolicy.Tag.finalized()).judge(depth, tip);
        assertThat(verdict.mustHalt()).isEqualTo(head - depth + 1 <= head - finalizedLag);
        assertThat(verdict.lowestOrphaned()).isEqualTo(head - depth + 1);
    }
}
