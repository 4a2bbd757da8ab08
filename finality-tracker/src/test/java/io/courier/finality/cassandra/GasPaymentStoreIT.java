package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.store.GasPaymentStore;
import io.courier.payment.Charge;
import io.courier.payment.GasPayment;
import io.courier.payment.PaymentAccount;
import io.courier.payment.PaymentMode;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Pending payments by source block, final ones by message (each (tx, log index) once), and the charge beside them. */
@CassandraTest
class GasPaymentStoreIT {

    private static GasPaymentStore payments;

    @BeforeAll
    static void migrate(CqlSession session, Keyspace keyspace) {
        CourierSchema.of(session, keyspace.name()).migrate();
        payments = CassandraStores.prepare(session, keyspace.name()).payments();
    }

    @Test
    void aPaymentIsPendingUntilConfirmedThenCountsOnceHoweverOftenItIsWritten() {
        MessageId id = id(1);
        GasPayment inSend = payment(id, 501, 1, 40, 10, 1_000);
        GasPayment topUp = payment(id, 501, 2, 44, 11, 234);
        await(payments.observe(inSend));
        await(payments.observe(topUp));
        await(payments.observe(topUp)); // a re-scan writes the same sighting again

        assertThat(await(payments.pending(501, 0))).containsExactly(inSend, topUp);
        assertThat(await(payments.pending(501, 41))).containsExactly(topUp);
        assertThat(await(payments.account(id)).payments()).as("nothing counts before it is final").isEmpty();

        await(payments.confirm(inSend));
        assertThat(await(payments.pending(501, 0))).as("pending until the caller is done with it").contains(inSend);
        await(payments.confirm(inSend)); // a watcher that failed half way confirms again
        await(payments.discard(inSend));
        assertThat(await(payments.pending(501, 0))).containsExactly(topUp);
        assertThat(await(payments.account(id)).paid()).isEqualTo(BigInteger.valueOf(1_000));

        await(payments.confirm(topUp));
        await(payments.discard(topUp));
        PaymentAccount account = await(payments.account(id));
        assertThat(account.payments()).containsExactlyInAnyOrder(inSend, topUp);
        assertThat(account.paid()).isEqualTo(BigInteger.valueOf(1_234));
        assertThat(await(payments.pending(501, 0))).isEmpty();
    }

    @Test
    void anOrphanedSightingIsDiscardedAndNeverCounts() {
        MessageId id = id(2);
        GasPayment orphaned = payment(id, 502, 1, 50, 20, 999);
        GasPayment reincluded = new GasPayment(id, 502, orphaned.txHash(), orphaned.logIndex(), 51, hash(21), orphaned.amount());
        await(payments.observe(orphaned));
        await(payments.observe(reincluded));

        await(payments.discard(orphaned));
        await(payments.confirm(reincluded));
        await(payments.discard(reincluded));

        assertThat(await(payments.pending(502, 0))).isEmpty();
        assertThat(await(payments.account(id)).payments()).containsExactly(reincluded);
    }

    @Test
    void theChargeIsKeptBesideThePaymentsAndAnUnknownMessageHasAnEmptyAccount() {
        MessageId id = id(3);
        Instant at = Instant.parse("2026-12-05T03:00:00Z");
        Charge charge = new Charge(PaymentMode.REQUIRED, BigInteger.valueOf(5_000), BigInteger.valueOf(4_500), 200_000, at);
        await(payments.charge(id, charge));
        assertThat(await(payments.account(id))).isEqualTo(new PaymentAccount(id, List.of(), Optional.of(charge)));

        GasPayment paid = payment(id, 503, 1, 60, 30, 5_000);
        await(payments.observe(paid));
        await(payments.confirm(paid));
        assertThat(await(payments.account(id))).isEqualTo(new PaymentAccount(id, List.of(paid), Optional.of(charge)));

        assertThat(await(payments.account(id(4)))).isEqualTo(PaymentAccount.empty(id(4)));
    }

    private static GasPayment payment(MessageId id, long chain, long logIndex, long block, int tx, long amount) {
        return new GasPayment(id, chain, TxHash.fromHex(String.format("0x%064x", tx)), logIndex, block, hash(block),
                BigInteger.valueOf(amount));
    }

    private static BlockHash hash(long block) {
        return BlockHash.fromHex(String.format("0x%064x", 0xb10c000L + block));
    }

    private static MessageId id(int n) {
        return MessageId.fromHex(String.format("0x%064x", 0xfee0000L + n));
    }
}
