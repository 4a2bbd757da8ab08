package io.courier.finality;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every (status, event) pair against docs/ARCHITECTURE.md §1's table, written out here a second time on purpose: a change to
 * the machine must be made twice, once in the code and once in the specification below.
 */
class TransferStateMachineTest {

    /** from status / event type / to status: the allowed moves, nothing else. */
    static final List<String> TABLE = List.of(
            "SENT       Finalized        FINALIZED",
            "SENT       Reorged          REORGED",
            "SENT       Relocated        SENT",
            "SENT       Underpaid        UNDERPAID",
            "REORGED    Relocated        SENT",
            "FINALIZED  Attested         ATTESTED",
            "FINALIZED  Underpaid        UNDERPAID",
            "UNDERPAID  TopUpSeen        FINALIZED",
            "ATTESTED   Submitted        SUBMITTED",
            "SUBMITTED  Delivered        DELIVERED",
            "SUBMITTED  ExecutionFailed  FAILED",
            "SUBMITTED  Replaced         SUBMITTED",
            "FAILED     RetryRequested   ATTESTED",
            "ATTESTED   Undeliverable    UNDELIVERABLE",
            "SUBMITTED  Undeliverable    UNDELIVERABLE",
            "UNDELIVERABLE RetryRequested ATTESTED",
            "FINALIZED  Parked           PARKED",
            "UNDERPAID  Parked           PARKED",
            "ATTESTED   Parked           PARKED",
            "FAILED     Parked           PARKED",
            "UNDELIVERABLE Parked        PARKED",
            // Unparked goes back to the status it carries; the sample of Fixtures.oneOfEach carries ATTESTED
            "PARKED     Unparked         ATTESTED");

    static final Map<String, TransferStatus> ALLOWED = TABLE.stream().map(line -> line.trim().split("\\s+"))
            .collect(Collectors.toMap(p -> p[0] + "/" + p[1], p -> TransferStatus.valueOf(p[2])));

    static Stream<Arguments> everyPair() {
        return Arrays.stream(TransferStatus.values()).flatMap(status ->
                Fixtures.oneOfEach().stream().map(event -> Arguments.of(status, event)));
    }

    @ParameterizedTest(name = "{0} + {1}")
    @MethodSource("everyPair")
    void followsTheTable(TransferStatus from, TransferEvent event) {
        TransferStatus expected = ALLOWED.get(from + "/" + event.getClass().getSimpleName());
        Transition transition = TransferStateMachine.INSTANCE.apply(from, event);
        if (expected == null) {
            assertThat(transition).isInstanceOf(Transition.Rejected.class);
            assertThat(((Transition.Rejected) transition).reason())
                    .contains(from.name()).contains(event.getClass().getSimpleName());
        } else {
            assertThat(transition).isEqualTo(new Transition.Moved(expected));
        }
    }

    @Test
    void coversEveryStatusAndEventType() {
        assertThat(everyPair()).hasSize(TransferStatus.values().length * TransferEvent.class.getPermittedSubclasses().length);
    }

    @Test
    void terminalStatusesAreDeliveredAndReorgedOnly() {
        assertThat(Arrays.stream(TransferStatus.values()).filter(TransferStatus::isTerminal))
                .containsExactlyInAnyOrder(TransferStatus.DELIVERED, TransferStatus.REORGED);
        assertThat(TransferStateMachine.INSTANCE.successors(TransferStatus.DELIVERED)).isEmpty();
        // REORGED is left only when its very log is canonical again (revival), and then only to SENT
        assertThat(TransferStateMachine.INSTANCE.accepted(TransferStatus.REORGED))
                .isEqualTo(java.util.Map.of(TransferEvent.Relocated.class, TransferStatus.SENT));
    }

    @Test
    void unparkReturnsToTheStatusItCarriesWhenAParkableOne() {
        for (TransferStatus back : TransferStatus.values()) {
            Transition t = TransferStateMachine.INSTANCE.apply(TransferStatus.PARKED, new TransferEvent.Unparked("ops", "why", back));
            if (TransferStateMachine.PARKABLE.contains(back)) {
                assertThat(t).as("unpark to %s", back).isEqualTo(new Transition.Moved(back));
            } else {
                assertThat(t).as("unpark to %s", back).isInstanceOf(Transition.Rejected.class);
                assertThat(((Transition.Rejected) t).reason()).contains(back.name());
            }
        }
    }

    @Test
    void aBroadcastTransferCannotBeParked() {
        Transition t = TransferStateMachine.INSTANCE.apply(TransferStatus.SUBMITTED, new TransferEvent.Parked("ops", "why"));
        assertThat(t).isInstanceOf(Transition.Rejected.class);
        assertThat(TransferStateMachine.PARKABLE).containsExactlyInAnyOrder(TransferStatus.FINALIZED, TransferStatus.UNDERPAID,
                TransferStatus.ATTESTED, TransferStatus.FAILED, TransferStatus.UNDELIVERABLE);
    }

    @Test
    void successorsMatchDesign() {
        TransferStateMachine m = TransferStateMachine.INSTANCE;
        // SENT -> SENT: a relocation after a reorg (the log re-included in another block), like a fee bump's self-loop
        assertThat(m.successors(TransferStatus.SENT))
                .isEqualTo(Set.of(TransferStatus.FINALIZED, TransferStatus.REORGED, TransferStatus.SENT, TransferStatus.UNDERPAID));
        assertThat(m.successors(TransferStatus.FINALIZED)).isEqualTo(Set.of(TransferStatus.ATTESTED, TransferStatus.UNDERPAID,
                TransferStatus.PARKED));
        assertThat(m.successors(TransferStatus.UNDERPAID)).isEqualTo(Set.of(TransferStatus.FINALIZED, TransferStatus.PARKED));
        assertThat(m.successors(TransferStatus.ATTESTED)).isEqualTo(Set.of(TransferStatus.SUBMITTED, TransferStatus.UNDELIVERABLE,
                TransferStatus.PARKED));
        assertThat(m.successors(TransferStatus.SUBMITTED)).isEqualTo(Set.of(TransferStatus.DELIVERED, TransferStatus.FAILED,
                TransferStatus.SUBMITTED, TransferStatus.UNDELIVERABLE));
        assertThat(m.successors(TransferStatus.FAILED)).isEqualTo(Set.of(TransferStatus.ATTESTED, TransferStatus.PARKED));
        // waits for an operator, like FAILED: only a retry leaves it
        assertThat(m.successors(TransferStatus.UNDELIVERABLE)).isEqualTo(Set.of(TransferStatus.ATTESTED, TransferStatus.PARKED));
        assertThat(TransferStatus.UNDELIVERABLE.isTerminal()).isFalse();
        // an operator's unpark takes it back to where it was parked from
        assertThat(m.successors(TransferStatus.PARKED)).isEqualTo(TransferStateMachine.PARKABLE);
        assertThat(TransferStatus.PARKED.isTerminal()).isFalse();
    }

    @Test
    void statusNamesAreTheStoredOnes() {
        // persisted by name: this list may only grow at the end
        assertThat(Arrays.stream(TransferStatus.values()).map(Enum::name)).containsExactly(
                "SENT", "FINALIZED", "UNDERPAID", "ATTESTED", "SUBMITTED", "DELIVERED", "FAILED", "REORGED", "UNDELIVERABLE",
                "PARKED");
        assertThat(Arrays.stream(DeliveryObstacle.values()).map(Enum::name)).containsExactly(
                "TOO_LARGE", "OVER_GAS_CAP", "OVER_BLOCK_GAS_LIMIT", "REJECTED_BY_NODE", "PREFLIGHT_KEEPS_REVERTING",
                "NONCE_ALREADY_USED");
    }
}
