package io.courier.finality.cassandra;

import io.courier.finality.store.AttestationStore;

import static io.courier.finality.cassandra.Stages.await;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.datastax.oss.driver.api.core.CqlSession;
import io.courier.chain.message.AttestationDigest;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.finality.Attestation;
import io.courier.finality.Fixtures;
import io.courier.testkit.CassandraExtension.Keyspace;
import io.courier.testkit.CassandraTest;
import java.math.BigInteger;
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
    void noSignaturesYet() {
        assertThat(await(attestations.list(Fixtures.message(999).id()))).isEmpty();
    }

    @Test
    void malformedSignaturesNeverReachTheStore() {
        assertThatThrownBy(() -> new Attestation(Fixtures.message(2).id(), "0x" + "55".repeat(20), "0x" + "00".repeat(65),
                Instant.now())).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(Fixtures.message(2).id().toHex());
    }

    private static Attestation sign(CrossChainMessage message, long key) {
        ECKeyPair pair = ECKeyPair.create(BigInteger.valueOf(key).shiftLeft(200).add(BigInteger.valueOf(key)));
        ValidatorSignature signature = ValidatorSignature.sign(AttestationDigest.of(message, DST_GATEWAY), pair);
        return Attestation.of(message.id(), "0x" + Keys.getAddress(pair), signature, Instant.parse("2026-11-01T10:00:00Z"));
    }
}
