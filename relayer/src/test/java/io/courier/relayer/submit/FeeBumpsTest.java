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

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcCall;
import io.courier.chain.RpcFailure;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.Fees;
import io.courier.finality.Submission;
import io.courier.finality.TransferEvent;
import io.courier.finality.store.StoreException;
import java.math.BigInteger;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.web3j.crypto.SignedRawTransaction;
import org.web3j.crypto.TransactionDecoder;
import org.web3j.crypto.transaction.type.Transaction1559;

/**
 * The replacement a priced bump signs (the raise, cap and count of the fees themselves: io.courier.fees.FeesPropertyTest),
 * and what a replacement's send result means.
 */
class FeeBumpsTest {

    private static final String CALLDATA = "0xa1b2c3d4" + "00".repeat(31) + "07";

    private static Gen<BigInteger> wei() {
        return longs().between(1, 1_000_000_000_000L).map(BigInteger::valueOf);
    }

    private static Gen<Fees> fees() {
        Gen<Fees> eip1559 = wei().zip(wei(), (tip, more) -> new Fees.Eip1559Fees(tip.add(more), tip));
        Gen<Fees> legacy = wei().map(Fees.LegacyFees::new);
        return booleans().all().flatMap(b -> b ? eip1559 : legacy);
    }

    /** The attempts at {@code nonce} after {@code bumps} replacements, being bumped (as {@link NonceManager#unmined} leaves them). */
    private static NonceAttempts attempts(long nonce, int bumps, Fees fees, int messages) {
        List<MessageId> ids = java.util.stream.IntStream.range(0, messages)
                .mapToObj(i -> MessageId.fromHex("0x" + String.format("%064x", i + 1))).toList();
        NonceAttempts a = NonceAttempts.first(record(nonce, 0, ids), fees, CALLDATA, BigInteger.valueOf(150_000 + nonce % 1000));
        for (int i = 1; i <= bumps; i++) {
            a = a.replacedBy(record(nonce, i, ids), fees);
        }
        return a.seenUnminedAt(10).bumping(true);
    }

    private static Submission record(long nonce, int salt, List<MessageId> ids) {
        return new Submission(CHAIN, ACCOUNT.address(), nonce, TxHash.fromHex("0x" + String.format("%064x", salt + 1000)), ids,
                BigInteger.ONE, BigInteger.ONE, 150_000, AT, null, "0x01");
    }

    @Test
    void aReplacementIsSignedAndRecordedAtTheSameNonceWithTheSameCallAndExactlyThePricedFees() {
        qt().withExamples(200).forAll(longs().between(0, 1_000_000), integers().between(0, 5), fees(), fees())
                .checkAssert((nonce, bumps, inFlight, priced) -> {
                    NonceAttempts a = attempts(nonce, bumps, inFlight, 1 + (int) (nonce % 3));
                    FeeBumps.Replacement r = FeeBumps.sign(new NonceManager.Bump.Replace(a, priced), ACCOUNT, CHAIN, GATEWAY, AT);

                    SignedRawTransaction sent = (SignedRawTransaction) TransactionDecoder.decode(r.signed().raw());
                    assertThat(sent.getNonce()).isEqualTo(BigInteger.valueOf(a.nonce()));
                    assertThat(sent.getGasLimit()).isEqualTo(a.gasLimit());
                    assertThat(sent.getTo()).isEqualToIgnoringCase(GATEWAY.toHex());
                    assertThat(sent.getData()).isEqualToIgnoringCase(CALLDATA.substring(2));
                    assertThat(from(sent)).isEqualToIgnoringCase(ACCOUNT.address().toHex());
                    if (priced instanceof Fees.Eip1559Fees f) {
                        Transaction1559 tx = (Transaction1559) sent.getTransaction();
                        assertThat(tx.getMaxFeePerGas()).isEqualTo(f.maxFeePerGas());
                        assertThat(tx.getMaxPriorityFeePerGas()).isEqualTo(f.maxPriorityFeePerGas());
                    } else {
                        assertThat(sent.getGasPrice()).isEqualTo(priced.maxFee());
                    }

                    assertThat(r.record()).isEqualTo(new Submission(CHAIN, ACCOUNT.address(), a.nonce(), r.hash(), a.current().messageIds(),
                            priced.maxFee(), priced.maxTip(), a.gasLimit().longValue(), AT, null, r.signed().raw()));
                    assertThat(r.event()).isEqualTo(new TransferEvent.Replaced(r.hash(), a.nonce()));
                    assertThat(r.before()).isEqualTo(a.bumping(false));
                    assertThat(r.after().hashes()).containsExactlyElementsOf(
                            java.util.stream.Stream.concat(a.hashes().stream(), java.util.stream.Stream.of(r.hash())).toList());
                    assertThat(r.after().bumps()).isEqualTo(a.bumps() + 1);
                    assertThat(r.after().fees()).isEqualTo(priced);
                    assertThat(r.after().current()).isEqualTo(r.record());
                    assertThat(r.after().bumping()).as("the next bump waits for the next sighting").isFalse();
                    assertThat(r.after().sentAtBlock()).isEmpty();
                });
    }

    private static String from(SignedRawTransaction tx) {
        try {
            return tx.getFrom();
        } catch (java.security.SignatureException e) {
            throw new AssertionError("an unreadable signature", e);
        }
    }

    @Test
    void onlyAReplacementThatNothingCarriesOrRecordedIsLost() {
        ChainRpcException known = new ChainRpcException("dest", CHAIN, RpcCall.of("eth_sendRawTransaction"),
                new RpcFailure(ChainRpcException.Kind.ALREADY_KNOWN, "already known", null, null), 1, null);
        assertThat(FeeBumps.afterSend(new TransactionSends.SendResult.Sent(Set.of()))).isEqualTo(FeeBumps.AfterSend.SENT);
        assertThat(FeeBumps.afterSend(new TransactionSends.SendResult.NothingRecorded(new StoreException("down"))))
                .isEqualTo(FeeBumps.AfterSend.LOST);
        assertThat(FeeBumps.afterSend(new TransactionSends.SendResult.NotPersisted("moved away"))).isEqualTo(FeeBumps.AfterSend.LOST);
        assertThat(FeeBumps.afterSend(new TransactionSends.SendResult.NotSent(known))).isEqualTo(FeeBumps.AfterSend.NOT_SENT);
    }
}
