package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.finality.CanonicalWindow.BelowWindow;
import io.courier.finality.CanonicalWindow.BeyondWindow;
import io.courier.finality.CanonicalWindow.Diverged;
import io.courier.finality.CanonicalWindow.Duplicate;
import io.courier.finality.CanonicalWindow.Extended;
import io.courier.finality.CanonicalWindow.Gap;
import io.courier.finality.CanonicalWindow.NeedHeaders;
import io.courier.finality.CanonicalWindow.Outcome;
import io.courier.finality.CanonicalWindow.Reorg;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * The window against a random block tree, fed the way a poller feeds it: the chain grows and forks (from a random
 * depth, with a new branch longer or shorter than the old one) in random order; the poller sees only some heads
 * (gaps), sometimes the same head twice, sometimes an old head from a lagging node; while it fetches what the window
 * asks for, the chain may change again. The driver below is what the watcher actor does: apply the head, and while
 * the window needs headers, fetch them from the current canonical chain and resume.
 */
class CanonicalWindowPropertyTest {

    /** What happens next: to the chain ({@link Extend}, {@link Fork}) or to the poller ({@link Poll}, {@link PollLagging}). */
    sealed interface Action permits Extend, Fork, Poll, PollLagging {}

    record Extend(int blocks) implements Action {}

    /** Forks {@code back} blocks below the chain's tip (never below the window: see {@link Driver#chainOp}). */
    record Fork(int back, int length) implements Action {}

    /** The poller sees the head {@code times} times; {@code interleave}: the next chain action happens mid-fetch. */
    record Poll(int times, boolean interleave) implements Action {}

    /** A lagging RPC node reports the canonical block {@code behind} below the head. */
    record PollLagging(int behind) implements Action {}

    /** Examples per property: 1000 (it was 200); each runs at most 60 actions, the lot well under a second. */
    private static final int EXAMPLES = 1000;

    @Test
    void windowFollowsTheCanonicalChain() {
        Coverage coverage = new Coverage();
        qt().withExamples(EXAMPLES)
                .forAll(integers().between(2, 12), integers().between(1, 12), integers().between(1, 30), lists().of(actions()).ofSizeBetween(0, 60))
                .checkAssert((capacity, batch, initialLength, actions) ->
                        coverage.add(windowFollowsTheCanonicalChain(capacity, batch, initialLength, actions)));

        // the generator must really exercise the walk, not only the easy cases
        assertThat(coverage.percent("Reorg")).as("examples with a reorg, of %s", coverage.examples).isGreaterThan(25);
        assertThat(coverage.percent("Diverged")).as("examples with a fork walk, of %s", coverage.examples).isGreaterThan(15);
        assertThat(coverage.percent("Gap")).as("examples with a gap, of %s", coverage.examples).isGreaterThan(25);
    }

    /** Runs one example; returns the outcomes it saw before the final catch-up. */
    private static Set<String> windowFollowsTheCanonicalChain(int capacity, int batch, int initialLength, List<Action> actions) {
        BlockTree chain = new BlockTree(initialLength);
        CanonicalWindow seed = CanonicalWindow.of(capacity, chain.last(capacity)).withForkWalkBatch(Math.min(batch, capacity));
        Driver driver = new Driver(chain, seed, actions);

        driver.run();
        Set<String> seen = Set.copyOf(driver.outcomes.keySet());
        driver.poll(chain.tip(), false); // the poller catches up with the final head

        CanonicalWindow window = driver.window;
        // the window is the newest part of the final canonical branch, up to its tip
        assertThat(window.tip()).contains(chain.tip());
        assertThat(window.headers()).isEqualTo(chain.last(window.size()));
        // orphans: exactly the blocks once in the window that are not on the final branch, each reported once
        Set<Header> expectedOrphans = driver.everInWindow.stream().filter(h -> !chain.isCanonical(h)).collect(Collectors.toSet());
        assertThat(driver.orphaned).doesNotHaveDuplicates();
        assertThat(new HashSet<>(driver.orphaned)).isEqualTo(expectedOrphans);

        // and once the chain has grown by a window's worth, the window is exactly its last N blocks
        chain.extend(capacity);
        driver.poll(chain.tip(), false);
        assertThat(driver.window.headers()).isEqualTo(chain.last(capacity));
        assertThat(driver.window.size()).isEqualTo(Math.min(capacity, Math.toIntExact(chain.tip().number() + 1)));
        assertThat(new HashSet<>(driver.orphaned)).isEqualTo(expectedOrphans);
        return seen;
    }

    /** How many examples saw each thing (a failing run never gets to look at it). */
    static final class Coverage {
        final Map<String, Integer> counts = new LinkedHashMap<>();
        int examples;

        void add(Set<String> seen) {
            examples++;
            seen.forEach(s -> counts.merge(s, 1, Integer::sum));
        }

        double percent(String what) {
            return 100.0 * counts.getOrDefault(what, 0) / examples;
        }
    }

    /** Where a deep fork starts and what the new branch looks like. */
    record DeepFork(int capacity, int batch, int belowWindow, int newLength, int unseenBeforeFork) {}

    /**
     * A fork below the window's oldest block: the walk ends in {@link BeyondWindow} (or {@link BelowWindow} when the
     * whole new branch is below the window), never in a {@link Reorg} that would pretend to know the fork point,
     * and the window stays as it was.
     */
    @Test
    void aForkBelowTheWindowIsNeverMistakenForAShallowReorg() {
        Gen<DeepFork> forks = integers().between(2, 12).zip(integers().between(1, 12), integers().between(1, 6),
                integers().between(1, 30), integers().between(0, 5), DeepFork::new);
        qt().withExamples(EXAMPLES).forAll(forks).checkAssert(CanonicalWindowPropertyTest::aForkBelowTheWindowIsNeverMistakenForAShallowReorg);
    }

    private static void aForkBelowTheWindowIsNeverMistakenForAShallowReorg(DeepFork fork) {
        int capacity = fork.capacity();
        BlockTree chain = new BlockTree(2 * capacity + 8);
        CanonicalWindow seed = CanonicalWindow.of(capacity, chain.last(capacity)).withForkWalkBatch(Math.min(fork.batch(), capacity));
        long oldest = seed.oldest().orElseThrow().number();
        chain.extend(fork.unseenBeforeFork());
        chain.forkAt(oldest - fork.belowWindow(), fork.newLength());
        Driver driver = new Driver(chain, seed, List.of());
        driver.beyondWindowExpected = true;

        Outcome last = driver.poll(chain.tip(), false);

        assertThat(driver.count("Reorg")).isZero();
        assertThat(driver.window).isEqualTo(seed);
        if (chain.tip().number() < oldest) {
            assertThat(last).isInstanceOf(BelowWindow.class);
        } else {
            assertThat(last).isInstanceOf(BeyondWindow.class);
            BeyondWindow beyond = (BeyondWindow) last;
            assertThat(beyond.oldest()).isEqualTo(seed.oldest().orElseThrow());
            assertThat(beyond.minDepth()).isEqualTo(seed.size());
            assertThat(new ReorgPolicy(new FinalityPolicy.Confirmations(1)).judge(beyond).mustHalt()).isTrue();
        }
    }

    /** Weighted 4 : 2 : 4 : 1; shrinks towards {@link Extend} of one block, the simplest action. */
    static Gen<Action> actions() {
        Gen<Action> extend = integers().between(1, 4).map(n -> new Extend(n));
        Gen<Action> fork = integers().between(1, 14).zip(integers().between(1, 14), (back, length) -> new Fork(back, length));
        Gen<Action> poll = integers().between(1, 2).zip(Generate.booleans(), (times, interleave) -> new Poll(times, interleave));
        Gen<Action> lagging = integers().between(1, 16).map(n -> new PollLagging(n));
        return Generate.frequency(List.of(Pair.of(4, extend), Pair.of(2, fork), Pair.of(4, poll), Pair.of(1, lagging)));
    }

    /** The watcher's loop, with the checks made after every step. */
    static final class Driver {

        final BlockTree chain;
        final Deque<Action> queue;
        CanonicalWindow window;
        final List<Header> orphaned = new ArrayList<>();
        final Set<Header> everInWindow = new HashSet<>();
        final Map<String, Integer> outcomes = new LinkedHashMap<>();
        boolean beyondWindowExpected;
        int interleaved;

        Driver(BlockTree chain, CanonicalWindow seed, List<Action> actions) {
            this.chain = chain;
            this.queue = new ArrayDeque<>(actions);
            this.window = seed;
            assertLinked(seed);
            everInWindow.addAll(seed.headers());
        }

        int count(String outcome) {
            return outcomes.getOrDefault(outcome, 0);
        }

        void run() {
            while (!queue.isEmpty()) {
                Action action = queue.poll();
                if (action instanceof Poll p) {
                    for (int i = 0; i < p.times(); i++) {
                        poll(chain.tip(), p.interleave() && i == 0);
                    }
                } else if (action instanceof PollLagging lagging) {
                    poll(chain.at(Math.max(0, chain.tip().number() - lagging.behind())), false);
                } else {
                    chainOp(action);
                }
            }
        }

        void chainOp(Action action) {
            if (action instanceof Extend e) {
                chain.extend(e.blocks());
            } else if (action instanceof Fork f) {
                // a fork point inside the window, so the window can always see it (deeper forks: the other property)
                long lowest = window.oldest().map(Header::number).orElse(0L);
                long forkNumber = Math.max(lowest, chain.tip().number() - f.back());
                chain.forkAt(Math.min(forkNumber, chain.tip().number()), f.length());
            } else {
                throw new IllegalArgumentException("not a chain action: " + action);
            }
        }

        /** Applies {@code head} and resolves what the window asks for; returns the final outcome. */
        Outcome poll(Header head, boolean interleave) {
            CanonicalWindow before = window;
            Outcome outcome = window.apply(head);
            int rounds = 0;
            while (outcome instanceof NeedHeaders need) {
                record(outcome);
                assertThat(outcome.window()).as("asking for headers changes nothing").isSameAs(before);
                checkRequest(need);
                if (++rounds > 4 * window.capacity() + 10) {
                    fail("no resolution after " + rounds + " rounds: " + need);
                }
                if (interleave && !queue.isEmpty() && !(queue.peek() instanceof Poll) && !(queue.peek() instanceof PollLagging)) {
                    chainOp(queue.poll()); // the chain changes while the watcher fetches
                    interleaved++;
                    interleave = false;
                }
                if (need.toNumber() > chain.tip().number()) {
                    // the node no longer has those blocks (the chain got shorter): start again from its head
                    outcome = window.apply(chain.tip());
                    continue;
                }
                outcome = window.resume(need, chain.range(need.fromNumber(), need.toNumber()));
            }
            record(outcome);
            accept(outcome);
            return outcome;
        }

        private void checkRequest(NeedHeaders need) {
            Header tip = window.tip().orElseThrow();
            Header oldest = window.oldest().orElseThrow();
            assertThat(need.fromNumber()).isLessThanOrEqualTo(need.toNumber());
            assertThat(need.pending()).isNotEmpty();
            assertThat(need.pending().get(0).number()).isEqualTo(need.toNumber() + 1);
            if (need instanceof Gap) {
                assertThat(need.fromNumber()).isEqualTo(tip.number() + 1);
            } else {
                assertThat(need).isInstanceOf(Diverged.class);
                assertThat(need.fromNumber()).isGreaterThanOrEqualTo(oldest.number());
                assertThat(need.toNumber()).isLessThanOrEqualTo(tip.number());
                assertThat(need.count()).isLessThanOrEqualTo(window.forkWalkBatch());
            }
        }

        private void accept(Outcome outcome) {
            CanonicalWindow next = outcome.window();
            if (outcome instanceof Reorg reorg) {
                assertThat(reorg.depth()).isEqualTo(reorg.orphaned().size()).isPositive();
                assertThat(window.contains(reorg.forkPoint())).isTrue();
                assertThat(reorg.orphaned().get(0).parentHash()).isEqualTo(reorg.forkPoint().hash());
                assertThat(reorg.added()).isNotEmpty();
                assertThat(reorg.forkPoint().isParentOf(reorg.added().get(0))).isTrue();
                assertThat(reorg.orphaned()).allMatch(window::contains).noneMatch(next::contains);
                // exactly the old window's headers above the fork point
                assertThat(reorg.orphaned()).isEqualTo(window.headers().stream()
                        .filter(h -> h.number() > reorg.forkPoint().number()).toList());
                orphaned.addAll(reorg.orphaned());
            } else if (outcome instanceof Extended extended) {
                assertThat(window.tip().orElseThrow().isParentOf(extended.added().get(0))).isTrue();
                assertThat(next.tip()).contains(extended.added().get(extended.added().size() - 1));
            } else if (outcome instanceof Duplicate || outcome instanceof BelowWindow) {
                assertThat(next).isSameAs(window);
            } else if (outcome instanceof BeyondWindow beyond) {
                assertThat(next).isSameAs(window);
                assertThat(beyondWindowExpected).as("a fork inside the window was reported beyond it: %s, window %s", beyond.oldest(), window).isTrue();
            }
            assertLinked(next);
            assertThat(next.headers()).allMatch(chain::exists);
            window = next;
            everInWindow.addAll(next.headers());
        }

        private void record(Outcome outcome) {
            outcomes.merge(outcome.getClass().getSimpleName(), 1, Integer::sum);
        }
    }

    static void assertLinked(CanonicalWindow window) {
        List<Header> headers = window.headers();
        assertThat(headers.size()).isLessThanOrEqualTo(window.capacity());
        for (int i = 1; i < headers.size(); i++) {
            assertThat(headers.get(i - 1).isParentOf(headers.get(i)))
                    .as("window linked at %s -> %s", headers.get(i - 1), headers.get(i)).isTrue();
        }
    }
}
