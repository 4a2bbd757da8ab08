package io.courier.relayer.submit;

import static io.courier.relayer.submit.SigningFixtures.ACCOUNT;
import static io.courier.relayer.submit.SigningFixtures.AT;
import static io.courier.relayer.submit.SigningFixtures.CHAIN;
import static io.courier.relayer.submit.SigningFixtures.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.chain.message.TxHash;
import io.courier.fees.Fees;
import io.courier.finality.Submission;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.submitfakes.Transfers;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.Hash;
import org.web3j.crypto.TransactionDecoder;

class OutgoingTransactionTest {

    /** ADR 004: what is recorded is exactly what is sent, and the transfers move to that very transaction. */
    @Test
    void theRecordTheMoveAndTheAttemptsNameTheTransactionSigned() {
        qt().withExamples(100).forAll(longs().between(0, 1_000_000), integers().between(1, 4), longs().between(1, 1_000_000_000_000L),
                booleans().all()).checkAssert((nonce, messages, wei, replacing) -> {
            List<Transfer> ts = LongStream.rangeClosed(1, messages).mapToObj(Transfers::attested).toList();
            Fees fees = new Fees.Eip1559Fees(BigInteger.valueOf(wei).multiply(BigInteger.TWO), BigInteger.valueOf(wei));
            Optional<Inflight> old = replacing && messages == 1
                    ? Optional.of(Inflight.signed(ts.get(0), nonce + 1, TxHash.fromHex("0x" + "ab".repeat(32)), Optional.empty(),
                            Inflight.Resend.Fixed.NEXT_POLL))
                    : Optional.empty();
            UnsignedDelivery d = new UnsignedDelivery(ts, messages > 1 ? "batch" : "lone", "0x1234", BigInteger.valueOf(200_000), fees, old);

            OutgoingTransaction.Signed s = OutgoingTransaction.sign(d, nonce, ACCOUNT, CHAIN, GATEWAY, AT);
            OutgoingTransaction tx = s.tx();

            assertThat(tx.hash()).isEqualTo(TxHash.fromHex(Hash.sha3(tx.raw())));
            assertThat(TransactionDecoder.decode(tx.raw()).getNonce()).isEqualTo(BigInteger.valueOf(nonce));
            assertThat(tx.ids()).containsExactlyElementsOf(ts.stream().map(Transfer::id).toList());
            assertThat(tx.batchOf()).isEqualTo(messages > 1 ? messages : 0);
            assertThat(s.record()).isEqualTo(new Submission(CHAIN, ACCOUNT.address(), nonce, tx.hash(), tx.ids(), fees.maxFee(),
                    fees.maxTip(), 200_000, AT, null, tx.raw()));
            if (old.isPresent()) {
                assertThat(tx.from()).isEqualTo(TransferStatus.SUBMITTED);
                assertThat(tx.event()).isEqualTo(new TransferEvent.Replaced(tx.hash(), nonce));
            } else {
                assertThat(tx.from()).isEqualTo(TransferStatus.ATTESTED);
                assertThat(tx.event()).isEqualTo(new TransferEvent.Submitted(tx.hash(), nonce));
            }
            assertThat(s.attempts()).isEqualTo(NonceAttempts.first(s.record(), fees, "0x1234", BigInteger.valueOf(200_000)));
        });
    }

    @Test
    void anAdoptedTransactionIsSentAsRecordedAndMovesItsTransfersFromAttested() {
        List<Transfer> ts = List.of(Transfers.attested(1), Transfers.attested(2));
        TxHash hash = TxHash.fromHex("0x" + "cd".repeat(32));
        Submission recorded = new Submission(CHAIN, ACCOUNT.address(), 7, hash, ts.stream().map(Transfer::id).toList(), BigInteger.TWO,
                BigInteger.ONE, 300_000, AT, null, "0xf00d");

        OutgoingTransaction batch = OutgoingTransaction.adopted(new NonceRecovery.Adopt(7, recorded, ts));
        assertThat(batch).isEqualTo(new OutgoingTransaction(ts, 7, hash, "0xf00d", 2, TransferStatus.ATTESTED,
                new TransferEvent.Submitted(hash, 7)));

        Submission lone = new Submission(CHAIN, ACCOUNT.address(), 8, hash, List.of(ts.get(0).id()), BigInteger.TWO, BigInteger.ONE,
                300_000, AT, null, "0xf00d");
        assertThat(OutgoingTransaction.adopted(new NonceRecovery.Adopt(8, lone, List.of(ts.get(0)))).batchOf()).isZero();
    }
}
