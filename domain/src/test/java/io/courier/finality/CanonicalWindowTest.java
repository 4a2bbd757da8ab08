package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.finality.CanonicalWindow.BelowWindow;
import io.courier.finality.CanonicalWindow.BeyondWindow;
import io.courier.finality.CanonicalWindow.Diverged;
import io.courier.finality.CanonicalWindow.Duplicate;
import io.courier.finality.CanonicalWindow.Extended;
import io.courier.finality.CanonicalWindow.Gap;
import io.courier.finality.CanonicalWindow.Outcome;
import io.courier.finality.CanonicalWindow.Reorg;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Each outcome once, by example; the property test covers the combinations. */
class CanonicalWindowTest {

    /** A chain of 20 blocks (0..19); the window holds the last 8 (12..19). */
    private final BlockTree chain = new BlockTree(20);
    private final CanonicalWindow window = CanonicalWindow.of(8, chain.last(8)).withForkWalkBatch(4);

    @Test
    void theFirstHeadStartsAnEmptyWindow() {
        Outcome o = CanonicalWindow.empty(8).apply(chain.tip());
        assertThat(o).isEqualTo(new Extended(o.window(), List.of(chain.tip())));
        assertThat(o.window().headers()).containsExactly(chain.tip());
        assertThat(CanonicalWindow.empty().capacity()).isEqualTo(CanonicalWindow.DEFAULT_CAPACITY);
    }

    @Test
    void aChildOfTheTipExtendsAndTheOldestFallsOut() {
        chain.extend(1);
        Outcome o = window.apply(chain.tip());
        assertThat(o).isInstanceOf(Extended.class);
        assertThat(((Extended) o).added()).containsExactly(chain.tip());
        assertThat(o.window().headers()).isEqualTo(chain.last(8));
        assertThat(o.window().oldest().orElseThrow().number()).isEqualTo(13);
        assertThat(window.tip()).contains(chain.at(19)); // immutable: the old window is unchanged
    }

    @Test
    void theSameTipOrAnOlderHeaderIsADuplicate() {
        assertThat(window.apply(chain.tip())).isEqualTo(new Duplicate(window));
        assertThat(window.apply(chain.at(15))).isEqualTo(new Duplicate(window)); // a lagging RPC node
        assertThat(window.apply(chain.at(3))).isEqualTo(new BelowWindow(window, chain.at(3)));
    }

    @Test
    void aHeadAboveTipPlusOneAsksForTheGap() {
        chain.extend(5); // 20..24
        Outcome o = window.apply(chain.tip());
        assertThat(o).isEqualTo(new Gap(window, 20, 23, List.of(chain.tip())));
        Gap gap = (Gap) o;
        Outcome filled = window.resume(gap, chain.range(gap.fromNumber(), gap.toNumber()));
        assertThat(filled).isInstanceOf(Extended.class);
        assertThat(((Extended) filled).added()).isEqualTo(chain.range(20, 24));
        assertThat(filled.window().headers()).isEqualTo(chain.last(8));
    }

    @Test
    void aLongGapMayBeAppliedInChunks() {
        chain.extend(30);
        CanonicalWindow w = window;
        for (long from = 20; from <= chain.tip().number(); from += 7) {
            Outcome o = w.applyChain(chain.range(from, Math.min(from + 6, chain.tip().number())));
            assertThat(o).isInstanceOf(Extended.class);
            w = o.window();
        }
        assertThat(w.headers()).isEqualTo(chain.last(8));
    }

    @Test
    void aSiblingOfTheTipIsAOneBlockReorgWithoutFetching() {
        Header oldTip = chain.tip();
        chain.forkAt(18, 1); // a competing block 19
        Outcome o = window.apply(chain.tip());
        assertThat(o).isInstanceOf(Reorg.class);
        Reorg reorg = (Reorg) o;
        assertThat(reorg.forkPoint()).isEqualTo(chain.at(18));
        assertThat(reorg.orphaned()).containsExactly(oldTip);
        assertThat(reorg.added()).containsExactly(chain.tip());
        assertThat(reorg.depth()).isEqualTo(1);
        assertThat(reorg.lowestOrphaned()).isEqualTo(19);
        assertThat(o.window().headers()).isEqualTo(chain.last(8));
    }

    @Test
    void aHeadThatDoesNotLinkStartsAForkWalk() {
        List<Header> old = chain.range(17, 19);
        chain.forkAt(16, 4); // new 17..20
        Outcome o = window.apply(chain.tip());
        // #20's parent is a #19 the window does not have: walk back 4 at a time from #19
        assertThat(o).isEqualTo(new Diverged(window, 16, 19, List.of(chain.tip())));
        Outcome resolved = window.resume((Diverged) o, chain.range(16, 19));
        assertThat(resolved).isInstanceOf(Reorg.class);
        Reorg reorg = (Reorg) resolved;
        assertThat(reorg.forkPoint()).isEqualTo(chain.at(16));
        assertThat(reorg.orphaned()).isEqualTo(old);
        assertThat(reorg.added()).isEqualTo(chain.range(17, 20));
        assertThat(reorg.window().headers()).isEqualTo(chain.last(8));
    }

    @Test
    void aDeepForkIsWalkedInSeveralSteps() {
        List<Header> old = chain.range(13, 19);
        chain.forkAt(12, 9); // new 13..21, fork at the window's oldest header
        CanonicalWindow.Outcome o = window.apply(chain.tip());
        int steps = 0;
        while (o instanceof CanonicalWindow.NeedHeaders need) {
            steps++;
            o = window.resume(need, chain.range(need.fromNumber(), need.toNumber()));
        }
        assertThat(steps).isEqualTo(3); // the gap #20, then walks of 4: #16..#19, #12..#15 (#12 is known)
        Reorg reorg = (Reorg) o;
        assertThat(reorg.forkPoint()).isEqualTo(chain.at(12));
        assertThat(reorg.orphaned()).isEqualTo(old);
        assertThat(reorg.depth()).isEqualTo(7);
    }

    @Test
    void aShorterNewBranchOrphansEverythingAboveTheForkPoint() {
        List<Header> old = chain.range(16, 19);
        chain.forkAt(15, 2); // new 16..17: the head goes back
        Outcome o = window.apply(chain.tip());
        while (o instanceof CanonicalWindow.NeedHeaders need) {
            o = window.resume(need, chain.range(need.fromNumber(), need.toNumber()));
        }
        Reorg reorg = (Reorg) o;
        assertThat(reorg.orphaned()).isEqualTo(old);
        assertThat(reorg.window().tip()).contains(chain.tip());
        assertThat(reorg.window().size()).isEqualTo(6); // refills as the chain grows
    }

    @Test
    void aForkBelowTheOldestHeaderIsBeyondTheWindow() {
        chain.forkAt(10, 12);
        Outcome o = window.apply(chain.tip());
        while (o instanceof CanonicalWindow.NeedHeaders need) {
            o = window.resume(need, chain.range(need.fromNumber(), need.toNumber()));
        }
        assertThat(o).isInstanceOf(BeyondWindow.class);
        BeyondWindow beyond = (BeyondWindow) o;
        assertThat(beyond.window()).isSameAs(window);
        assertThat(beyond.oldest()).isEqualTo(window.oldest().orElseThrow());
        assertThat(beyond.minDepth()).isEqualTo(8);
    }

    @Test
    void whenTheChainChangesMidFetchOnlyTheFreshHeadersBeforeTheBreakAreUsed() {
        chain.extend(3); // 20..22
        Outcome o = window.apply(chain.tip());
        Gap gap = (Gap) o;
        chain.forkAt(20, 5); // while fetching 20..21, #21.. changes: #22 (pending) no longer links
        List<Header> fetched = chain.range(gap.fromNumber(), gap.toNumber());
        Outcome next = window.resume(gap, fetched);
        assertThat(next).isInstanceOf(Extended.class);
        assertThat(((Extended) next).added()).isEqualTo(fetched);
        assertThat(next.window().tip()).contains(chain.at(21));
    }

    @Test
    void queriesAnswerForTheHeldHeights() {
        Header h = chain.at(15);
        assertThat(window.at(15)).contains(h);
        assertThat(window.at(11)).isEmpty();
        assertThat(window.contains(h)).isTrue();
        assertThat(window.contains(15, h.hash().toUpperCase().replace("0X", "0x"))).isTrue();
        assertThat(window.contains(15, chain.at(16).hash())).isFalse();
        assertThat(window.size()).isEqualTo(8);
        assertThat(window.headers()).isEqualTo(chain.last(8));
    }

    @Test
    void badInputIsRejected() {
        List<Header> unlinked = new ArrayList<>(chain.range(10, 12));
        unlinked.set(1, new Header(11, chain.at(5).hash(), chain.at(10).hash()));
        assertThatThrownBy(() -> CanonicalWindow.of(8, unlinked)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> window.applyChain(List.of(chain.at(19), chain.at(17))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("consecutive");
        assertThatThrownBy(() -> window.applyChain(List.of())).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CanonicalWindow.empty(1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> window.withForkWalkBatch(9)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Header(-1, chain.at(1).hash(), chain.at(0).hash()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Header(1, "0x12", chain.at(0).hash())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aReorgOutcomeMustOrphanSomethingAndCountIt() {
        assertThatThrownBy(() -> new Reorg(window, chain.at(18), List.of(chain.at(19)), List.of(), 2))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Reorg(window, chain.at(18), List.of(), List.of(), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
