package io.courier.finality.cassandra;

import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import com.datastax.oss.driver.api.core.cql.SimpleStatement;
import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.finality.Attestation;
import io.courier.finality.Fixtures;
import io.courier.finality.store.AttestationStore;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

@CassandraTest
class AttestationStoreIT {

    private static final String DST_GATEWAY = "0x" + "44".repeat(20);
    private static AttestationStore attestations;

    @BeforeAll
    static void migrate(CqlSession session, Keyspace keyspace) {
        CourierSchema.of(session, keyspace.name()).migrate();
        attestations = CassandraStores.prepare(session, keyspace.name()).attestations();
    }

    @Test
    void putIsIdempotentAndListIsByValidator() {
        CrossChainMessage message = Fixtures.message(1);
        Attestation first = sign(message, 11);
        Attestation second = sign(message, 22);
        Attestation third = sign(message, 33);

        for (Attestation a : List.of(third, first, second, first)) {
            await(attestations.put(a));
        }

        List<Attestation> stored = await(attestations.list(message.id()));
        assertThat(stored).containsExactlyInAnyOrder(first, second, third);
        assertThat(stored).extracting(Attestation::validator).isSorted();
        assertThat(stored.get(0).validatorSignature().signer(AttestationDigest.of(message, DST_GATEWAY)))
                .isEqualTo(stored.get(0).validator());
    }

    @Test
    void putAllWritesOneMessagesSignaturesTogetherAndRefusesAMix() {
        CrossChainMessage message = Fixtures.message(3);
        List<Attestation> three = List.of(sign(message, 55), sign(message, 66), sign(message, 77));
        await(attestations.putAll(three));
        await(attestations.putAll(three.subList(0, 1))); // again, and alone: the same upsert
        assertThat(await(attestations.list(message.id()))).containsExactlyInAnyOrderElementsOf(three);

        Attestation other = sign(Fixtures.message(4), 88);
        assertThatThrownBy(() -> attestations.putAll(List.of(three.get(0), other))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one message's signatures");
        assertThat(await(attestations.list(Fixtures.message(4).id()))).isEmpty();
    }

    @Test
    void noSignaturesYet() {
        assertThat(await(attestations.list(Fixtures.message(999).id()))).isEmpty();
    }

    @Test
    void malformedSignaturesNeitherEnterNorLeaveTheStore(CqlSession session, Keyspace keyspace) {
        CrossChainMessage message = Fixtures.message(2);
        String zeroSignature = "0x" + "00".repeat(65);
        // in: a malformed signature cannot even be made into an attestation to put; the valid one is stored alone
        assertThatThrownBy(() -> new Attestation(message.id(), "0x" + "55".repeat(20), zeroSignature, Instant.now()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(message.id().toHex());
        Attestation valid = sign(message, 44);
        await(attestations.put(valid));
        assertThat(await(attestations.list(message.id()))).containsExactly(valid);

        // out: a row written behind the store's back (an older version, a hand edit) is refused when read,
        // naming the message, rather than handed to the submitter as a signature
        session.execute(SimpleStatement.newInstance("INSERT INTO " + keyspace.name()
                        + ".attestations (message_id, validator, signature, signed_at) VALUES (?, ?, ?, ?)",
                ByteBuffer.wrap(message.id().bytes()), "0x" + "55".repeat(20), zeroSignature, Instant.now()));
        assertThatThrownBy(() -> await(attestations.list(message.id())))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message.id().toHex()).hasMessageContaining("0x" + "55".repeat(20));
    }

    private static Attestation sign(CrossChainMessage message, long key) {
        ECKeyPair pair = ECKeyPair.create(BigInteger.valueOf(key).shiftLeft(200).add(BigInteger.valueOf(key)));
        ValidatorSignature signature = ValidatorSignature.sign(AttestationDigest.of(message, DST_GATEWAY), pair);
        return Attestation.of(message.id(), "0x" + Keys.getAddress(pair), signature, Instant.parse("2026-11-01T10:00:00Z"));
    }
}
