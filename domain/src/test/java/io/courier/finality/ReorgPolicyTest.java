package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.finality.ReorgPolicy.DeeperThanFinality;
import io.courier.finality.ReorgPolicy.Verdict;
import io.courier.finality.ReorgPolicy.WithinFinality;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReorgPolicyTest {

    private final ReorgPolicy twelve = new ReorgPolicy(new FinalityPolicy.Confirmations(12));

    @Test
    void withConfirmationsADepthBelowNIsHandledNormally() {
        ChainTip tip = ChainTip.ofHead(1_000);
        assertThat(twelve.judge(11, tip)).isEqualTo(new WithinFinality(11, 990, 989));
        Verdict deep = twelve.judge(12, tip);
        assertThat(deep).isInstanceOf(DeeperThanFinality.class);
        assertThat(deep.mustHalt()).isTrue();
        assertThat(deep.lowestOrphaned()).isEqualTo(989);
        assertThat(((DeeperThanFinality) deep).reason()).contains("depth 12").contains("989");
    }

    @Test
    void aResolvedReorgIsJudgedByItsLowestOrphanedBlock() {
        Header fork = header(994, "aa", "a9");
        CanonicalWindow.Reorg reorg = reorg(fork, 6); // blocks 995..1000 orphaned
        assertThat(twelve.judge(reorg, ChainTip.ofHead(1_000)).mustHalt()).isFalse();
        // but the watcher had already recorded 995 as final (e.g. under an older, shorter policy): halt
        assertThat(twelve.judge(reorg, ChainTip.ofHead(1_000), 995).mustHalt()).isTrue();
        assertThat(twelve.judge(reorg, ChainTip.ofHead(1_000), 994).mustHalt()).isFalse();
    }

    @Test
    void tagPoliciesHaltWhenTheChainReplacesABlockAtOrBelowItsTag() {
        ReorgPolicy finalized = new ReorgPolicy(FinalityPolicy.Tag.finalized());
        ReorgPolicy safe = new ReorgPolicy(FinalityPolicy.Tag.safe(Duration.ofMinutes(1)));
        ChainTip tip = new ChainTip(1_000, 990, 960);
        CanonicalWindow.Reorg reorg = reorg(header(980, "bb", "b9"), 20); // 981..1000
        assertThat(finalized.judge(reorg, tip).mustHalt()).isFalse();
        // conservative: below the safe tag halts even though the minimum age may not have passed
        assertThat(safe.judge(reorg, tip).mustHalt()).isTrue();
        // a chain that reports no tags has nothing final: any depth is handled normally
        assertThat(finalized.judge(30, ChainTip.ofHead(1_000)).mustHalt()).isFalse();
    }

    @Test
    void beyondTheWindowAlwaysHalts() {
        Header oldest = header(500, "cc", "c9");
        CanonicalWindow window = CanonicalWindow.of(4, List.of(oldest, header(501, "cd", "cc")));
        Verdict verdict = twelve.judge(new CanonicalWindow.BeyondWindow(window, oldest, 2, List.of()));
        assertThat(verdict).isInstanceOf(DeeperThanFinality.class);
        assertThat(((DeeperThanFinality) verdict).reason()).contains("deeper than the canonical window").contains("500");
    }

    private static CanonicalWindow.Reorg reorg(Header fork, int depth) {
        List<Header> orphaned = new ArrayList<>();
        Header parent = fork;
        for (int i = 0; i < depth; i++) {
            parent = new Header(parent.number() + 1, "0x" + pad(String.format("%04x", i + 1)), parent.hash());
            orphaned.add(parent);
        }
        Header added = new Header(fork.number() + 1, "0x" + "ee".repeat(32), fork.hash());
        CanonicalWindow after = CanonicalWindow.of(256, List.of(fork, added));
        return new CanonicalWindow.Reorg(after, fork, orphaned, List.of(added), depth);
    }

    /** A header whose hashes repeat the given hex digits. */
    static Header header(long number, String hashDigits, String parentDigits) {
        return new Header(number, "0x" + pad(hashDigits), "0x" + pad(parentDigits));
    }

    private static String pad(String digits) {
        return (digits.repeat(64)).substring(0, 64);
    }
}
