package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Which history entries an events stream sends, and with which ids, however the reads chunk the history. */
class EventCursorTest {

    /** SENT, FINALIZED, ATTESTED all in the same second, SUBMITTED, DELIVERED: five entries. */
    private static final List<Fixtures.Stored> STEPS = steps();

    private static List<Fixtures.Stored> steps() {
        Instant second = Fixtures.T0.plusSeconds(5);
        Fixtures.Stored s = Fixtures.sent(50, 0);
        List<Fixtures.Stored> steps = new ArrayList<>(List.of(s));
        steps.add(s = s.then(new TransferEvent.Finalized(12), second));
        steps.add(s = s.then(new TransferEvent.Attested(2), second));
        steps.add(s = s.then(new TransferEvent.Submitted(TxHash.fromHex(Fixtures.DEST_TX), 1), second.plusMillis(1)));
        steps.add(s.then(new TransferEvent.Delivered(TxHash.fromHex(Fixtures.DEST_TX), 9), second.plusSeconds(3)));
        return List.copyOf(steps);
    }

    private static EventCursor.Snapshot at(int step) {
        Fixtures.Stored s = STEPS.get(step);
        return new EventCursor.Snapshot(s.transfer(), s.history());
    }

    private static final MessageId ID = STEPS.get(0).transfer().id();

    @Test
    void aStreamOpenedBeforeTheTransferExistedSendsEveryEntryOnceInOrderHoweverTheReadsFallOnIt() {
        // reads see the history at arbitrary, non-decreasing points (a read may see nothing new, or several steps)
        qt().withExamples(300)
                .forAll(lists().of(integers().between(0, 4)).ofSizeBetween(1, 12))
                .checkAssert(points -> {
                    EventCursor cursor = EventCursor.ofTransfer(ID, Optional.empty(), false);
                    List<String> statuses = new ArrayList<>();
                    List<String> ids = new ArrayList<>();
                    cursor.next(List.of()); // the id was not known when the stream opened
                    int seen = 0;
                    for (int p : points.stream().sorted().toList()) {
                        for (EventCursor.Frame f : cursor.next(List.of(at(p)))) {
                            statuses.add(f.entry().to().name());
                            ids.add(f.eventId());
                        }
                        seen = p;
                    }
                    List<String> expected = STEPS.get(seen).history().stream().map(e -> e.to().name()).toList();
                    assertThat(statuses).isEqualTo(expected);
                    assertThat(ids).isEqualTo(java.util.stream.IntStream.rangeClosed(1, expected.size())
                            .mapToObj(Integer::toString).toList());
                });
    }

    @Test
    void finalizedAndAttestedInTheSameSecondAreTwoEventsEvenInOneRead() {
        EventCursor cursor = EventCursor.ofTransfer(ID, Optional.empty(), true);
        assertThat(cursor.next(List.of(at(0)))).extracting(f -> f.entry().to()).containsExactly(TransferStatus.SENT);
        List<EventCursor.Frame> frames = cursor.next(List.of(at(2)));
        assertThat(frames).extracting(f -> f.entry().to()).containsExactly(TransferStatus.FINALIZED, TransferStatus.ATTESTED);
        assertThat(frames).extracting(EventCursor.Frame::eventId).containsExactly("2", "3");
        assertThat(frames).extracting(EventCursor.Frame::latest).containsExactly(false, true);
    }

    @Test
    void aStreamOfAKnownTransferStartsWithItsCurrentStatus() {
        EventCursor cursor = EventCursor.ofTransfer(ID, Optional.empty(), true);
        List<EventCursor.Frame> frames = cursor.next(List.of(at(3)));
        assertThat(frames).extracting(f -> f.entry().to()).containsExactly(TransferStatus.SUBMITTED);
        assertThat(frames.get(0).eventId()).isEqualTo("4");
        assertThat(cursor.next(List.of(at(3)))).isEmpty();
        assertThat(cursor.next(List.of(at(4)))).extracting(EventCursor.Frame::eventId).containsExactly("5");
    }

    @Test
    void lastEventIdResumesRightAfterTheEventItNames() {
        EventCursor cursor = EventCursor.ofTransfer(ID, Optional.of("2"), true);
        assertThat(cursor.next(List.of(at(4)))).extracting(f -> f.entry().to())
                .containsExactly(TransferStatus.ATTESTED, TransferStatus.SUBMITTED, TransferStatus.DELIVERED);
        EventCursor caughtUp = EventCursor.ofTransfer(ID, Optional.of("5"), true);
        assertThat(caughtUp.next(List.of(at(4)))).isEmpty();
    }

    @Test
    void aMalformedLastEventIdIsA400NamingTheHeader() {
        for (String bad : List.of("", "-1", "x", "1.5", "9999999", "0x" + "ab".repeat(32) + ":1")) {
            assertThatThrownBy(() -> EventCursor.ofTransfer(ID, Optional.of(bad), true))
                    .isInstanceOf(ApiParams.InvalidParameterException.class).hasMessageContaining("Last-Event-ID");
        }
        assertThatThrownBy(() -> EventCursor.ofMany(Optional.of("3"), Set.of()))
                .isInstanceOf(ApiParams.InvalidParameterException.class);
    }

    @Test
    void aSourceTransactionStreamNamesEveryTransfersPositionAndResumesFromIt() {
        Fixtures.Stored a = Fixtures.sent(60, 0);
        Fixtures.Stored b = Fixtures.sent(61, 1);
        EventCursor cursor = EventCursor.ofMany(Optional.empty(), Set.of());
        cursor.next(List.of());
        List<EventCursor.Frame> first = cursor.next(List.of(snap(a), snap(b)));
        assertThat(first).hasSize(2);
        String last = first.get(1).eventId();
        assertThat(last).isEqualTo(a.id() + ":1," + b.id() + ":1");

        Fixtures.Stored a2 = a.then(new TransferEvent.Finalized(12), Fixtures.T0.plusSeconds(1));
        EventCursor resumed = EventCursor.ofMany(Optional.of(last), Set.of());
        List<EventCursor.Frame> frames = resumed.next(List.of(snap(a2), snap(b)));
        assertThat(frames).extracting(f -> f.entry().to()).containsExactly(TransferStatus.FINALIZED);
        assertThat(frames.get(0).eventId()).isEqualTo(a.id() + ":2," + b.id() + ":1");
    }

    @Test
    void aSourceTransactionStreamSendsTransfersKnownAtStartFromTheirCurrentStatusAndNewOnesFromTheirFirst() {
        Fixtures.Stored known = Fixtures.sent(62, 0).then(new TransferEvent.Finalized(12), Fixtures.T0.plusSeconds(1));
        Fixtures.Stored later = Fixtures.sent(63, 1).then(new TransferEvent.Finalized(12), Fixtures.T0.plusSeconds(1));
        EventCursor cursor = EventCursor.ofMany(Optional.empty(), Set.of(known.transfer().id()));
        assertThat(cursor.next(List.of(snap(known), snap(later))))
                .extracting(f -> f.snapshot().transfer().id().toHex() + " " + f.entry().to())
                .containsExactly(known.id() + " FINALIZED", later.id() + " SENT", later.id() + " FINALIZED");
    }

    @Test
    void anEarlierStepIsShownAsOfThatStep() {
        EventCursor.Snapshot delivered = at(4);
        TransferView attested = TransferView.asOf(delivered.transfer(), delivered.entries(), 2, PayloadDescriber.NONE);
        assertThat(attested.status()).isEqualTo(TransferStatus.ATTESTED);
        assertThat(attested.stages()).containsOnlyKeys("sent", "finalized", "attested");
        assertThat(attested.destinationTxHash()).isNull();
        assertThat(attested.updatedAt()).isEqualTo(delivered.history().get(2).at());
        TransferView now = TransferView.asOf(delivered.transfer(), delivered.entries(), 4, PayloadDescriber.NONE);
        assertThat(now).isEqualTo(TransferView.of(delivered.transfer(), PayloadDescriber.NONE));
    }

    @Test
    void aHistoryReadAStepAheadOfTheTransferStillShowsEachStepsStatus() {
        // the feed reads the transfer, then its history: ATTESTED may be recorded in between
        EventCursor.Snapshot ahead = new EventCursor.Snapshot(STEPS.get(1).transfer(), STEPS.get(2).history());
        EventCursor cursor = EventCursor.ofTransfer(ID, Optional.empty(), false);
        List<TransferStatus> shown = cursor.next(List.of(ahead)).stream()
                .map(f -> TransferView.asOf(f.snapshot().transfer(), f.snapshot().entries(), f.index(), PayloadDescriber.NONE).status())
                .toList();
        assertThat(shown).containsExactly(TransferStatus.SENT, TransferStatus.FINALIZED, TransferStatus.ATTESTED);
    }

    private static EventCursor.Snapshot snap(Fixtures.Stored s) {
        return new EventCursor.Snapshot(s.transfer(), s.history());
    }
}
