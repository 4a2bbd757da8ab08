package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.message.TxHash;
import io.courier.relayer.submit.TxLifecycle.Drop;
import io.courier.relayer.submit.TxLifecycle.Event;
import io.courier.relayer.submit.TxLifecycle.State;
import io.courier.relayer.submit.TxLifecycle.Step;
import org.junit.jupiter.api.Test;

class TxLifecycleTest {

    private static final TxHash BUMP = TxHash.fromHex("0x" + "ab".repeat(32));

    @Test
    void aTransactionIsSentOnlyAfterItsRecordAndATransferCarryingIt() {
        assertThat(TxLifecycle.next(TxLifecycle.built(), new Event.Sent())).isInstanceOf(Step.Illegal.class);
        assertThat(TxLifecycle.next(TxLifecycle.built(), new Event.Carried())).as("moved before recorded").isInstanceOf(Step.Illegal.class);
        State recorded = to(TxLifecycle.built(), new Event.Recorded());
        assertThat(TxLifecycle.maySend(recorded)).isFalse();
        assertThat(TxLifecycle.next(recorded, new Event.Sent())).isInstanceOf(Step.Illegal.class);
        State carried = to(recorded, new Event.Carried());
        assertThat(TxLifecycle.maySend(carried)).isTrue();
        assertThat(to(carried, new Event.Sent())).isEqualTo(new State.Broadcast(1));
    }

    @Test
    void aReceiptIsFinalOnlyAtTheDestinationsConfirmations() {
        State sent = new State.Broadcast(1);
        assertThat(to(sent, new Event.Receipt(100, true, 101, 3))).isEqualTo(new State.Included(100));
        assertThat(to(new State.Included(100), new Event.Receipt(100, true, 102, 3))).isEqualTo(new State.Final(100, true));
        assertThat(to(new State.Included(100), new Event.ReceiptGone())).as("reorged out").isEqualTo(new State.Broadcast(0));
    }

    @Test
    void endsAreWhereNothingMoreHappens() {
        assertThat(to(new State.Broadcast(2), new Event.NonceTaken())).isEqualTo(new State.Dropped(Drop.NONCE_TAKEN));
        assertThat(to(new State.Broadcast(2), new Event.ReplacedBy(BUMP))).isEqualTo(new State.Replaced(BUMP));
        assertThat(to(TxLifecycle.built(), new Event.NotRecorded())).isEqualTo(new State.Dropped(Drop.NOTHING_RECORDED));
        assertThat(to(to(TxLifecycle.built(), new Event.Recorded()), new Event.NothingCarried())).isEqualTo(new State.Dropped(Drop.NOT_CARRIED));
        assertThat(TxLifecycle.next(new State.Final(5, true), new Event.Receipt(5, true, 9, 1))).isInstanceOf(Step.Illegal.class);
    }

    /** Over any sequence of events (the illegal ones refused), ADR 004's order and the lifecycle's ends hold. */
    @Test
    void noSequenceOfEventsBreaksTheOrderOrLeavesAnEnd() {
        qt().forAll(lists().of(integers().between(0, 11)).ofSizeBetween(0, 40)).checkAssert(codes -> {
            State state = TxLifecycle.built();
            boolean recorded = false;
            boolean carried = false;
            boolean leftBuilt = false;
            for (int i = 0; i < codes.size(); i++) {
                Event e = event(codes.get(i), i);
                Step step = TxLifecycle.next(state, e);
                if (TxLifecycle.ended(state)) {
                    assertThat(step).as("%s after the end %s", e, state).isInstanceOf(Step.Illegal.class);
                    continue;
                }
                if (!(step instanceof Step.To moved)) {
                    continue;
                }
                State next = moved.state();
                recorded |= e instanceof Event.Recorded;
                carried |= e instanceof Event.Carried && recorded;
                if (next instanceof State.Broadcast || next instanceof State.Included || next instanceof State.Final) {
                    assertThat(recorded && carried).as("%s reached before recorded and carried", next).isTrue();
                }
                if (next instanceof State.Final) {
                    Event.Receipt r = (Event.Receipt) e;
                    assertThat(r.head() - r.block() + 1).isGreaterThanOrEqualTo(r.confirmations());
                }
                if (next instanceof State.Dropped d && d.why() == Drop.NOTHING_RECORDED) {
                    assertThat(recorded).as("dropped as never recorded after it was").isFalse();
                }
                leftBuilt |= !(next instanceof State.Built);
                assertThat(leftBuilt && next instanceof State.Built).as("back to Built").isFalse();
                state = next;
            }
        });
    }

    private static Event event(int code, int i) {
        long block = 100 + i % 4;
        return switch (code) {
            case 0 -> new Event.Recorded();
            case 1 -> new Event.NotRecorded();
            case 2 -> new Event.Carried();
            case 3 -> new Event.NothingCarried();
            case 4 -> new Event.Sent();
            case 5 -> new Event.SendFailed();
            case 6 -> new Event.Receipt(block, i % 2 == 0, block + i % 3, 1 + i % 3);
            case 7 -> new Event.ReceiptGone();
            case 8 -> new Event.NonceTaken();
            case 9 -> new Event.Refused();
            case 10 -> new Event.ReplacedBy(BUMP);
            default -> new Event.Receipt(block, true, block - 1, 1); // a receipt above the head: never taken
        };
    }

    private static State to(State s, Event e) {
        Step step = TxLifecycle.next(s, e);
        assertThat(step).isInstanceOf(Step.To.class);
        return ((Step.To) step).state();
    }

}
