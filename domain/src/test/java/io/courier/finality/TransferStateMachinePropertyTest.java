package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.chain.message.BlockHash;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Random event sequences from any start: the machine never leaves docs/ARCHITECTURE.md §1's table, whatever order events
 * arrive in (late, duplicated, out of order — what a restarted or racing node produces).
 */
class TransferStateMachinePropertyTest {

    private static final Map<String, TransferStatus> TABLE = TransferStateMachineTest.ALLOWED;
    private final TransferStateMachine machine = TransferStateMachine.INSTANCE;

    @Test
    void everyAcceptedMoveIsInTheTable() {
        qt().withExamples(2000).forAll(Generate.enumValues(TransferStatus.class), eventLists(0, 40))
                .checkAssert(this::everyAcceptedMoveIsInTheTable);
    }

    private void everyAcceptedMoveIsInTheTable(TransferStatus start, List<TransferEvent> events) {
        TransferStatus status = start;
        for (TransferEvent event : events) {
            String key = status + "/" + event.getClass().getSimpleName();
            Transition transition = machine.apply(status, event);
            if (event instanceof TransferEvent.Unparked unparked) {
                // the one move whose target the event carries: only out of PARKED, only back to a parkable status
                boolean allowed = status == TransferStatus.PARKED && TransferStateMachine.PARKABLE.contains(unparked.resumeIn());
                if (!allowed) {
                    assertThat(transition).as("%s in %s", event, status).isInstanceOf(Transition.Rejected.class);
                } else {
                    assertThat(transition).isEqualTo(new Transition.Moved(unparked.resumeIn()));
                    status = unparked.resumeIn();
                }
                continue;
            }
            if (transition instanceof Transition.Moved moved) {
                assertThat(TABLE).containsEntry(key, moved.to());
                if (status.isTerminal()) {
                    // the one way out of a terminal status: a REORGED transfer's log seen on the canonical chain again
                    assertThat(status).as("moved out of terminal %s", status).isEqualTo(TransferStatus.REORGED);
                    assertThat(event).isInstanceOf(TransferEvent.Relocated.class);
                    assertThat(moved.to()).isEqualTo(TransferStatus.SENT);
                }
                if (status == TransferStatus.FAILED || status == TransferStatus.UNDELIVERABLE) {
                    // only an operator moves them: a retry, or a park
                    assertThat(event).isInstanceOfAny(TransferEvent.RetryRequested.class, TransferEvent.Parked.class);
                    assertThat(moved.to()).isEqualTo(event instanceof TransferEvent.Parked ? TransferStatus.PARKED
                            : TransferStatus.ATTESTED);
                }
                if (status == TransferStatus.SUBMITTED) {
                    assertThat(event).as("a broadcast transfer cannot be parked").isNotInstanceOf(TransferEvent.Parked.class);
                }
                status = moved.to();
            } else {
                assertThat(TABLE).doesNotContainKey(key);
            }
        }
    }

    @Test
    void nothingLeavesATerminalStatusButARevival() {
        qt().withExamples(1000).forAll(terminal(), eventLists(1, 20)).checkAssert((terminal, events) -> {
            for (TransferEvent event : events) {
                boolean revival = terminal == TransferStatus.REORGED && event instanceof TransferEvent.Relocated;
                assertThat(machine.apply(terminal, event)).isInstanceOf(revival ? Transition.Moved.class : Transition.Rejected.class);
            }
        });
    }

    @Test
    void onlyAnOperatorLeavesFailedOrUndeliverable() {
        qt().withExamples(1000).forAll(Generate.pick(List.of(TransferStatus.FAILED, TransferStatus.UNDELIVERABLE)), events())
                .checkAssert((waiting, event) -> {
            Transition transition = machine.apply(waiting, event);
            assertThat(transition instanceof Transition.Moved)
                    .isEqualTo(event instanceof TransferEvent.RetryRequested || event instanceof TransferEvent.Parked);
        });
    }

    /** Parking stops everything: in PARKED no event but an unpark moves the transfer, and a park never follows SUBMITTED. */
    @Test
    void onlyAnUnparkLeavesParked() {
        qt().withExamples(1000).forAll(events()).checkAssert(event -> {
            Transition transition = machine.apply(TransferStatus.PARKED, event);
            assertThat(transition instanceof Transition.Moved)
                    .as("%s in PARKED", event)
                    .isEqualTo(event instanceof TransferEvent.Unparked u && TransferStateMachine.PARKABLE.contains(u.resumeIn()));
        });
    }

    /** Park then unpark, from wherever a park is allowed, lands where it started; and nowhere else may park. */
    @Test
    void parkThenUnparkIsTheIdentity() {
        qt().withExamples(500).forAll(Generate.enumValues(TransferStatus.class), strings("abcxyz", 1, 8))
                .checkAssert((start, who) -> {
            Transition parked = machine.apply(start, new TransferEvent.Parked(who, "maintenance"));
            if (!TransferStateMachine.PARKABLE.contains(start)) {
                assertThat(parked).as("park from %s", start).isInstanceOf(Transition.Rejected.class);
                return;
            }
            assertThat(parked).isEqualTo(new Transition.Moved(TransferStatus.PARKED));
            assertThat(machine.apply(TransferStatus.PARKED, new TransferEvent.Unparked(who, "done", start)))
                    .isEqualTo(new Transition.Moved(start));
        });
    }

    @Test
    void onlyATopUpLeavesUnderpaidAndOnlyToFinalized() {
        qt().withExamples(1000).forAll(events()).checkAssert(event -> {
            Transition transition = machine.apply(TransferStatus.UNDERPAID, event);
            // besides the top-up, only an operator's park, which holds it further (an unpark brings it back to UNDERPAID)
            assertThat(transition instanceof Transition.Moved)
                    .isEqualTo(event instanceof TransferEvent.TopUpSeen || event instanceof TransferEvent.Parked);
            if (transition instanceof Transition.Moved moved) {
                assertThat(moved.to()).isEqualTo(event instanceof TransferEvent.Parked ? TransferStatus.PARKED : TransferStatus.FINALIZED);
            }
        });
    }

    /** Whatever happens, a transfer that was held as UNDERPAID is attested only after a top-up moved it on. */
    @Test
    void anUnderpaidTransferIsAttestedOnlyAfterATopUp() {
        qt().withExamples(2000).forAll(eventLists(0, 40)).checkAssert(events -> {
            TransferStatus status = TransferStatus.SENT;
            TransferStatus parkedFrom = null;
            boolean held = false;
            for (TransferEvent generated : events) {
                // an unpark goes back where the park came from (the admin reads it from the history)
                TransferEvent event = generated instanceof TransferEvent.Unparked u && parkedFrom != null
                        ? new TransferEvent.Unparked(u.by(), u.reason(), parkedFrom) : generated;
                if (machine.apply(status, event) instanceof Transition.Moved moved) {
                    if (event instanceof TransferEvent.Parked) {
                        parkedFrom = status; // a parked transfer stays held, whatever it was held for
                    } else if (moved.to() == TransferStatus.UNDERPAID) {
                        held = true;
                    } else if (status == TransferStatus.UNDERPAID) {
                        assertThat(event).isInstanceOf(TransferEvent.TopUpSeen.class);
                        held = false;
                    }
                    if (moved.to() == TransferStatus.ATTESTED) {
                        assertThat(held).as("attested while held as underpaid").isFalse();
                    }
                    status = moved.to();
                }
            }
        });
    }

    /** The record follows the machine: status, a stage time for it, and updated-at moving forward. */
    @Test
    void transfersFollowTheMachine() {
        qt().withExamples(1000).forAll(eventLists(0, 40)).checkAssert(this::transfersFollowTheMachine);
    }

    private void transfersFollowTheMachine(List<TransferEvent> events) {
        Transfer t = Fixtures.observed(1, 100, Fixtures.T0);
        Instant at = Fixtures.T0;
        TransferStatus parkedFrom = null;
        for (TransferEvent generated : events) {
            at = at.plusSeconds(1);
            // a relocation names the source it moves from: the transfer's own (and moves somewhere else)
            if (generated instanceof TransferEvent.Relocated r && r.to().equals(t.source())) {
                continue;
            }
            TransferEvent event = generated instanceof TransferEvent.Relocated r
                    ? new TransferEvent.Relocated(t.source(), r.to()) : generated;
            // an unpark goes back where the park came from (the admin reads it from the history)
            if (generated instanceof TransferEvent.Unparked u && parkedFrom != null) {
                event = new TransferEvent.Unparked(u.by(), u.reason(), parkedFrom);
            }
            Transition transition = machine.apply(t.status(), event);
            if (transition instanceof Transition.Moved moved) {
                Transfer next = t.next(event, at);
                assertThat(next.status()).isEqualTo(moved.to());
                assertThat(next.stageTime(next.status())).isPresent();
                assertThat(next.updatedAt()).isEqualTo(at);
                if (next.status() == TransferStatus.SUBMITTED || next.status() == TransferStatus.DELIVERED) {
                    assertThat(next.destinationTx()).isPresent();
                }
                // a parked transfer keeps the failure it was parked with, for the operator to read
                if (event instanceof TransferEvent.Parked) {
                    parkedFrom = t.status();
                }
                TransferStatus failing = next.status() == TransferStatus.PARKED ? parkedFrom : next.status();
                assertThat(next.failure().isPresent())
                        .isEqualTo(failing == TransferStatus.FAILED || failing == TransferStatus.UNDELIVERABLE);
                if (event instanceof TransferEvent.Undeliverable u) {
                    assertThat(next.failure()).contains(u.obstacle().name() + ": " + u.detail());
                }
                if (event instanceof TransferEvent.Relocated r) {
                    assertThat(next.source()).isEqualTo(r.to());
                    assertThat(next.confirmationsSeen()).isZero();
                    assertThat(next.stageTimes()).isEqualTo(t.stageTimes());
                } else {
                    assertThat(next.source()).isEqualTo(t.source());
                }
                t = next;
            }
        }
    }

    // Generators. Examples: at least as many as these properties ever ran (1000 where it was 500: each takes
    // microseconds). Shrinking goes towards shorter lists, the first kind of event (Finalized), zero counts and
    // amounts, and "0x00…" hashes.

    static Gen<TransferStatus> terminal() {
        return Generate.pick(List.of(TransferStatus.DELIVERED, TransferStatus.REORGED));
    }

    static Gen<List<TransferEvent>> eventLists(int minSize, int maxSize) {
        return lists().of(events()).ofSizeBetween(minSize, maxSize);
    }

    static Gen<TransferEvent> events() {
        Gen<String> hashes = strings("0123456789abcdef", 64, 64).map(h -> "0x" + h);
        Gen<TxHash> txs = hashes.map(TxHash::fromHex);
        Gen<BlockHash> blocks = hashes.map(BlockHash::fromHex);
        Gen<Long> counts = longs().between(0, 1_000_000);
        Gen<BigInteger> wei = wei();
        Gen<String> words = strings("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ", 1, 20);
        return oneOf(List.of(
                counts.map(TransferEvent.Finalized::new),
                words.map(TransferEvent.Reorged::new),
                txs.zip(blocks, counts, (tx, block, n) ->
                        new TransferEvent.Relocated(new SourceRef(tx, n, block, 0),
                                new SourceRef(tx, n + 1, new BlockHash(tx.value()), 1))),
                wei.zip(wei, TransferEvent.Underpaid::new),
                wei.map(TransferEvent.TopUpSeen::new),
                integers().between(1, 100).map(TransferEvent.Attested::new),
                txs.zip(counts, TransferEvent.Submitted::new),
                txs.zip(counts, TransferEvent.Replaced::new),
                txs.zip(counts, TransferEvent.Delivered::new),
                words.zip(txs, TransferEvent.ExecutionFailed::new),
                words.map(w -> new TransferEvent.RetryRequested(w)),
                words.map(w -> new TransferEvent.RetryRequested(w, "cap raised")),
                words.zip(words, TransferEvent.Parked::new),
                words.zip(Generate.enumValues(TransferStatus.class), (w, back) -> new TransferEvent.Unparked(w, "resume", back)),
                Generate.enumValues(DeliveryObstacle.class).zip(words, TransferEvent.Undeliverable::new)));
    }

    /** One of the generators, each equally likely; shrinks towards the first. */
    static <T> Gen<T> oneOf(List<Gen<? extends T>> generators) {
        return Generate.pick(generators).flatMap(g -> g);
    }

    /** Strings of {@code min..max} characters drawn from {@code alphabet}; shrinks towards short runs of its first. */
    static Gen<String> strings(String alphabet, int min, int max) {
        List<Character> chars = alphabet.chars().mapToObj(c -> (char) c).toList();
        return lists().of(Generate.pick(chars)).ofSizeBetween(min, max)
                .map(cs -> cs.stream().map(String::valueOf).collect(Collectors.joining()));
    }

    /**
     * Amounts in [0, 10^24] wei: a high and a low part below 10^12 each (the high part may be 10^12 itself, for the
     * upper bound), both shrinking to zero, both with their bounds among the first examples.
     */
    static Gen<BigInteger> wei() {
        BigInteger base = BigInteger.TEN.pow(12);
        return longs().between(0, base.longValueExact()).zip(longs().between(0, base.longValueExact() - 1), (high, low) ->
                high == base.longValueExact() ? base.pow(2) : BigInteger.valueOf(high).multiply(base).add(BigInteger.valueOf(low)));
    }
}
