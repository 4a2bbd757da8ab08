package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/**
 * Random event sequences from any start: the machine never leaves docs/ARCHITECTURE.md §1's table, whatever order events
 * arrive in (late, duplicated, out of order — what a restarted or racing node produces).
 */
class TransferStateMachinePropertyTest {

    private static final Map<String, TransferStatus> TABLE = TransferStateMachineTest.ALLOWED;
    private final TransferStateMachine machine = TransferStateMachine.INSTANCE;

    @Property(tries = 2000)
    void everyAcceptedMoveIsInTheTable(@ForAll TransferStatus start,
                                       @ForAll @Size(max = 40) List<@From("events") TransferEvent> events) {
        TransferStatus status = start;
        for (TransferEvent event : events) {
            String key = status + "/" + event.getClass().getSimpleName();
            Transition transition = machine.apply(status, event);
            if (transition instanceof Transition.Moved moved) {
                assertThat(TABLE).containsEntry(key, moved.to());
                if (status.isTerminal()) {
                    // the one way out of a terminal status: a REORGED transfer's log seen on the canonical chain again
                    assertThat(status).as("moved out of terminal %s", status).isEqualTo(TransferStatus.REORGED);
                    assertThat(event).isInstanceOf(TransferEvent.Relocated.class);
                    assertThat(moved.to()).isEqualTo(TransferStatus.SENT);
                }
                if (status == TransferStatus.FAILED) {
                    assertThat(event).isInstanceOf(TransferEvent.RetryRequested.class);
                    assertThat(moved.to()).isEqualTo(TransferStatus.ATTESTED);
                }
                status = moved.to();
            } else {
                assertThat(TABLE).doesNotContainKey(key);
            }
        }
    }

    @Property(tries = 500)
    void nothingLeavesATerminalStatusButARevival(@ForAll("terminal") TransferStatus terminal,
                                                 @ForAll @Size(min = 1, max = 20) List<@From("events") TransferEvent> events) {
        for (TransferEvent event : events) {
            boolean revival = terminal == TransferStatus.REORGED && event instanceof TransferEvent.Relocated;
            assertThat(machine.apply(terminal, event)).isInstanceOf(revival ? Transition.Moved.class : Transition.Rejected.class);
        }
    }

    @Property(tries = 500)
    void onlyARetryLeavesFailed(@ForAll("events") TransferEvent event) {
        Transition transition = machine.apply(TransferStatus.FAILED, event);
        assertThat(transition instanceof Transition.Moved)
                .isEqualTo(event instanceof TransferEvent.RetryRequested);
    }

    /** The record follows the machine: status, a stage time for it, and updated-at moving forward. */
    @Property(tries = 500)
    void transfersFollowTheMachine(@ForAll @Size(max = 40) List<@From("events") TransferEvent> events) {
        Transfer t = Fixtures.observed(1, 100, Fixtures.T0);
        Instant at = Fixtures.T0;
        for (TransferEvent generated : events) {
            at = at.plusSeconds(1);
            // a relocation names the source it moves from: the transfer's own (and moves somewhere else)
            if (generated instanceof TransferEvent.Relocated r && r.to().equals(t.source())) {
                continue;
            }
            TransferEvent event = generated instanceof TransferEvent.Relocated r
                    ? new TransferEvent.Relocated(t.source(), r.to()) : generated;
            Transition transition = machine.apply(t.status(), event);
            if (transition instanceof Transition.Moved moved) {
                Transfer next = t.next(event, at);
                assertThat(next.status()).isEqualTo(moved.to());
                assertThat(next.stageTime(next.status())).isPresent();
                assertThat(next.updatedAt()).isEqualTo(at);
                if (next.status() == TransferStatus.SUBMITTED || next.status() == TransferStatus.DELIVERED) {
                    assertThat(next.destinationTx()).isPresent();
                }
                assertThat(next.failure().isPresent()).isEqualTo(next.status() == TransferStatus.FAILED);
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

    @Provide
    Arbitrary<TransferStatus> terminal() {
        return Arbitraries.of(TransferStatus.DELIVERED, TransferStatus.REORGED);
    }

    @Provide
    Arbitrary<TransferEvent> events() {
        Arbitrary<String> hashes = Arbitraries.strings().withChars("0123456789abcdef").ofLength(64).map(h -> "0x" + h);
        Arbitrary<Long> counts = Arbitraries.longs().between(0, 1_000_000);
        Arbitrary<BigInteger> wei = Arbitraries.bigIntegers().between(BigInteger.ZERO, BigInteger.TEN.pow(24));
        Arbitrary<String> words = Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(20);
        return Arbitraries.oneOf(
                counts.map(TransferEvent.Finalized::new),
                words.map(TransferEvent.Reorged::new),
                Combinators.combine(hashes, hashes, counts).as((tx, block, n) ->
                        new TransferEvent.Relocated(new SourceRef(tx, n, block, 0), new SourceRef(tx, n + 1, tx, 1))),
                Combinators.combine(wei, wei).as(TransferEvent.Underpaid::new),
                wei.map(TransferEvent.TopUpSeen::new),
                Arbitraries.integers().between(1, 100).map(TransferEvent.Attested::new),
                Combinators.combine(hashes, counts).as(TransferEvent.Submitted::new),
                Combinators.combine(hashes, counts).as(TransferEvent.Replaced::new),
                Combinators.combine(hashes, counts).as(TransferEvent.Delivered::new),
                Combinators.combine(words, hashes).as(TransferEvent.ExecutionFailed::new),
                words.map(TransferEvent.RetryRequested::new));
    }
}
