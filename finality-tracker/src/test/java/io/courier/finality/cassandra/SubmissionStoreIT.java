package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.finality.Fixtures;
import io.courier.finality.Submission;
import io.courier.finality.store.SubmissionStore;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import java.math.BigInteger;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@CassandraTest
class SubmissionStoreIT {

    private static final Instant T0 = Instant.parse("2026-11-01T10:00:00Z");
    private static SubmissionStore submissions;

    @BeforeAll
    static void migrate(CqlSession session, Keyspace keyspace) {
        CourierSchema.of(session, keyspace.name()).migrate();
        submissions = CassandraStores.prepare(session, keyspace.name()).submissions();
    }

    @Test
    void recordAndReplaceAFeeBump() {
        Address signer = Address.fromHex("0x" + "a1".repeat(20));
        Submission first = submission(1002, signer, 7, T0, List.of(Fixtures.message(1).id(), Fixtures.message(2).id()));
        await(submissions.record(first));
        Submission bump = submission(1002, signer, 7, T0.plusSeconds(30), first.messageIds());

        await(submissions.replace(first, bump));

        assertThat(await(submissions.findByNonce(1002, signer, 7)))
                .containsExactly(first.withReplacement(bump.txHash()), bump);
        assertThat(await(submissions.findByNonce(1002, signer, 8))).isEmpty();
        assertThat(await(submissions.findByNonce(1003, signer, 7))).isEmpty();
    }

    @Test
    void listWalksNonceBucketsInOrder() {
        Address signer = Address.fromHex("0x" + "b2".repeat(20));
        long start = CassandraSubmissionStore.NONCES_PER_BUCKET - 3;
        for (long nonce = start; nonce < start + 6; nonce++) {
            await(submissions.record(submission(1002, signer, nonce, T0.plusSeconds(nonce), List.of(Fixtures.message(nonce).id()))));
        }

        assertThat(await(submissions.list(1002, signer, start, 100))).extracting(Submission::nonce)
                .containsExactly(start, start + 1, start + 2, start + 3, start + 4, start + 5);
        assertThat(await(submissions.list(1002, signer, start + 1, 3))).extracting(Submission::nonce)
                .containsExactly(start + 1, start + 2, start + 3);
        assertThat(await(submissions.list(1002, signer, start + 6, 10))).isEmpty();
    }

    @Test
    void aReplacementMustKeepChainSignerAndNonce() {
        Address signer = Address.fromHex("0x" + "c3".repeat(20));
        Submission first = submission(1002, signer, 1, T0, List.of(Fixtures.message(3).id()));
        Submission otherNonce = submission(1002, signer, 2, T0, List.of(Fixtures.message(3).id()));
        assertThatThrownBy(() -> await(submissions.replace(first, otherNonce)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nonce 1");
    }

    @Test
    void feesAndMessageIdsRoundTrip() {
        Address signer = Address.fromHex("0x" + "d4".repeat(20));
        List<MessageId> ids = List.of(Fixtures.message(10).id(), Fixtures.message(11).id(), Fixtures.message(12).id());
        Submission s = new Submission(1002, signer, 3, Fixtures.txHash(), ids, new BigInteger("123456789012345678901234"),
                BigInteger.valueOf(1_500_000_000L), 350_000, T0, null, "0x02f8aa0102");
        await(submissions.record(s));
        assertThat(await(submissions.findByNonce(1002, signer, 3))).containsExactly(s);
    }

    private static Submission submission(long chain, Address signer, long nonce, Instant at, List<MessageId> ids) {
        return new Submission(chain, signer, nonce, Fixtures.txHash(), ids, BigInteger.valueOf(30_000_000_000L),
                BigInteger.valueOf(2_000_000_000L), 250_000, at, null, null);
    }
}
