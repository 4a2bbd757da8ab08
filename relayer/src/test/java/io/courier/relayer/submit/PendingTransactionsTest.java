package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.Fees;
import io.courier.finality.Transfer;
import io.courier.relayer.submit.Inflight.Resend;
import io.courier.relayer.submit.PendingTransactions.Pending;
import io.courier.relayer.submitfakes.Transfers;
import java.math.BigInteger;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PendingTransactionsTest {

    private static final Instant T0 = Instant.parse("2025-03-01T10:00:00Z");
    private static final List<Transfer> TRANSFERS = List.of(Transfers.attested(1), Transfers.attested(2), Transfers.attested(3),
            Transfers.attested(4), Transfers.attested(5), Transfers.attested(6));
    private static final int HASHES = 5;

    private static TxHash hash(int i) {
        return TxHash.fromHex("0x" + String.format("%02x", i + 1).repeat(32));
    }

    /** The nonce of test transaction {@code i}: two hashes share each nonce (a transaction and its bump). */
    private static long nonceOf(int i) {
        return i / 2;
    }

    /** Builds a registry from op codes: signing a batch, putting one message, removing one, forgetting a transaction. */
    private static PendingTransactions build(List<Integer> codes) {
        PendingTransactions pending = new PendingTransactions();
        for (int code : codes) {
            int op = code % 4;
            int tx = code / 4 % HASHES;
            Transfer t = TRANSFERS.get(code / 20 % TRANSFERS.size());
            switch (op) {
                case 0 -> {
                    List<Transfer> batch = TRANSFERS.subList(code / 20 % TRANSFERS.size(), Math.min(TRANSFERS.size(), code / 20 % TRANSFERS.size() + 1 + tx % 3));
                    pending.signed(batch, nonceOf(tx), hash(tx), Optional.of("0xraw"), batch.size() > 1 ? batch.size() : 0, T0);
                }
                case 1 -> pending.put(Inflight.signed(t, nonceOf(tx), hash(tx), Optional.empty(), Resend.Fixed.NEXT_POLL));
                case 2 -> pending.remove(t.id());
                default -> pending.pending(hash(tx)).ifPresent(p -> pending.forget(p.members()));
            }
        }
        return pending;
    }

    private static final org.quicktheories.core.Gen<List<Integer>> OPS = lists().of(integers().between(0, 599)).ofSizeBetween(0, 30);

    /** Whatever happens, a message is carried by at most one transaction, and what the registry says agrees with itself. */
    @Test
    void aMessageIsInAtMostOnePendingTransaction() {
        qt().forAll(OPS).checkAssert(codes -> {
            PendingTransactions pending = build(codes);
            Set<MessageId> seen = new HashSet<>();
            for (Pending p : pending.snapshot()) {
                assertThat(p.members()).as("a transaction with nothing to carry is forgotten: %s", p).isNotEmpty();
                for (Inflight m : p.members()) {
                    assertThat(seen.add(m.transfer().id())).as("%s in two transactions", m.transfer().id()).isTrue();
                    assertThat(m.txHash()).isEqualTo(p.hash());
                    assertThat(pending.entry(m.transfer().id())).contains(m);
                }
            }
            assertThat(pending.transactions()).isEqualTo(pending.snapshot().size());
            for (Transfer t : TRANSFERS) {
                assertThat(pending.carries(t.id())).isEqualTo(seen.contains(t.id()));
            }
        });
    }

    /** A fee bump's replacement holds the same nonce and carries exactly the messages the replaced attempt carried. */
    @Test
    void aReplacementKeepsTheNonceAndTheMessageIds() {
        qt().forAll(OPS, integers().between(0, HASHES - 1)).checkAssert((codes, tx) -> {
            PendingTransactions pending = build(codes);
            Optional<Pending> before = pending.pending(hash(tx));
            List<Pending> others = pending.snapshot().stream().filter(p -> !p.hash().equals(hash(tx))).toList();
            TxHash by = TxHash.fromHex("0x" + "ee".repeat(32));
            NonceAttempts attempts = new NonceAttempts(nonceOf(tx), List.of(hash(tx)), new Fees.LegacyFees(BigInteger.ONE), "0x",
                    BigInteger.valueOf(100_000), null, OptionalLong.empty(), 0, false, false);

            List<Inflight> moved = pending.replace(attempts, by, Optional.of("0xbump"), T0);

            if (before.isEmpty()) {
                assertThat(moved).isEmpty();
                assertThat(pending.pending(by)).isEmpty();
                return;
            }
            Pending replacement = pending.pending(by).orElseThrow();
            assertThat(replacement.nonce()).isEqualTo(OptionalLong.of(nonceOf(tx)));
            assertThat(replacement.ids()).containsExactlyInAnyOrderElementsOf(before.get().ids());
            assertThat(replacement.batchOf()).isEqualTo(before.get().batchOf());
            assertThat(pending.pending(hash(tx))).as("nothing left on the replaced attempt").isEmpty();
            for (Pending other : others) {
                assertThat(pending.pending(other.hash())).as("another transaction untouched").contains(other);
            }
            // and when the replacement is lost, the previous attempt carries them again, as they were
            pending.replacementLost(moved, by);
            Pending restored = pending.pending(hash(tx)).orElseThrow();
            assertThat(restored.members()).containsExactlyInAnyOrderElementsOf(before.get().members());
            assertThat(restored.batchOf()).isEqualTo(before.get().batchOf());
            assertThat(pending.pending(by)).isEmpty();
        });
    }

    /** Forgetting a transaction's entries frees exactly its messages; every other message keeps its entry. */
    @Test
    void removingATransactionFreesExactlyItsMessages() {
        qt().forAll(OPS, integers().between(0, HASHES - 1)).checkAssert((codes, tx) -> {
            PendingTransactions pending = build(codes);
            Map<MessageId, Optional<Inflight>> before = new HashMap<>();
            TRANSFERS.forEach(t -> before.put(t.id(), pending.entry(t.id())));
            List<MessageId> carried = pending.pending(hash(tx)).map(Pending::ids).orElse(List.of());

            pending.forget(pending.pending(hash(tx)).map(Pending::members).orElse(List.of()));

            assertThat(pending.pending(hash(tx))).isEmpty();
            for (Transfer t : TRANSFERS) {
                if (carried.contains(t.id())) {
                    assertThat(pending.carries(t.id())).as("%s freed", t.id()).isFalse();
                } else {
                    assertThat(pending.entry(t.id())).as("%s untouched", t.id()).isEqualTo(before.get(t.id()));
                }
            }
        });
    }

    @Test
    void aStaleEntryIsNotForgottenNorPutBack() {
        PendingTransactions pending = new PendingTransactions();
        Transfer t = TRANSFERS.get(0);
        List<Inflight> first = pending.signed(List.of(t), 0, hash(0), Optional.empty(), 0, T0);
        pending.signed(List.of(t), 1, hash(1), Optional.empty(), 0, T0); // replaced at a new nonce meanwhile

        pending.forget(first);
        pending.putIfFollowed(first.get(0).with(Resend.Fixed.NEXT_POLL));

        assertThat(pending.entry(t.id()).map(Inflight::txHash)).contains(hash(1));
        assertThat(pending.stillCarrying(first)).isEmpty();
        assertThat(pending.heldNonces()).containsExactly(1L);
    }

    @Test
    void aBatchSizeIsTakenOnceAndFollowsItsTransactionThroughBumps() {
        PendingTransactions pending = new PendingTransactions();
        pending.signed(TRANSFERS.subList(0, 3), 4, hash(0), Optional.empty(), 3, T0);
        NonceAttempts attempts = new NonceAttempts(4, List.of(hash(0)), new Fees.LegacyFees(BigInteger.ONE), "0x", BigInteger.ONE, null,
                OptionalLong.empty(), 0, false, false);
        pending.replace(attempts, hash(1), Optional.empty(), T0);

        assertThat(pending.takeBatchSize(hash(1))).isEqualTo(3);
        assertThat(pending.takeBatchSize(hash(1))).as("taken").isZero();
    }

    @Test
    void aConfirmedTransactionIsNeverSentAgainAndRecordsItsState() {
        PendingTransactions pending = new PendingTransactions();
        List<Inflight> entries = new ArrayList<>(pending.signed(TRANSFERS.subList(0, 2), 0, hash(0), Optional.empty(), 2, T0));
        TxLifecycle.State fin = new TxLifecycle.State.Final(10, true);

        List<Inflight> confirmed = pending.confirmed(entries, fin);

        assertThat(confirmed).allSatisfy(m -> assertThat(m.resend()).isEqualTo(Resend.Fixed.NEVER));
        Pending p = pending.pending(hash(0)).orElseThrow();
        assertThat(p.state()).isEqualTo(fin);
        assertThat(p.batchOf()).as("confirming keeps the batch size for the outcome").isEqualTo(2);
    }
}
