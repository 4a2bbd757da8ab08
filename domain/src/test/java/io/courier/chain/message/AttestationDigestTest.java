package io.courier.chain.message;

import static io.courier.chain.message.Vectors.MESSAGE_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class AttestationDigestTest {

    @Test
    void typeHashesAreTheEip712Ones() {
        assertThat(AttestationDigest.DOMAIN_TYPEHASH.toHex()).isEqualTo(Vectors.DOMAIN_TYPEHASH);
        assertThat(AttestationDigest.ATTESTATION_TYPEHASH.toHex()).isEqualTo(Vectors.ATTESTATION_TYPEHASH);
    }

    @Test
    void domainAndDigestMatchTheContract() {
        assertThat(AttestationDigest.domainSeparator(1002, Vectors.GANACHE_GATEWAY).toHex()).isEqualTo(Vectors.GANACHE_DOMAIN);
        assertThat(AttestationDigest.of(MessageId.fromHex(Vectors.MESSAGE_1_ID), 1002, Vectors.GANACHE_GATEWAY).toHex())
                .isEqualTo(Vectors.GANACHE_DIGEST_1);
        assertThat(AttestationDigest.of(MESSAGE_1, Vectors.GANACHE_GATEWAY).toHex()).isEqualTo(Vectors.GANACHE_DIGEST_1);
    }

    @Test
    void domainNamesGatewayAndChain() {
        MessageId id = MESSAGE_1.id();
        assertThat(AttestationDigest.domainSeparator(1002, Vectors.OTHER_GATEWAY).toHex()).isEqualTo(Vectors.OTHER_DOMAIN);
        assertThat(AttestationDigest.of(id, 1002, Vectors.OTHER_GATEWAY).toHex()).isEqualTo(Vectors.OTHER_DIGEST_1);
        assertThat(AttestationDigest.of(id, 1003, Vectors.GANACHE_GATEWAY).toHex()).isNotEqualTo(Vectors.GANACHE_DIGEST_1);
    }

    @Test
    void rejectsBadDomainFields() {
        MessageId id = MESSAGE_1.id();
        assertThatThrownBy(() -> AttestationDigest.of(id, 0, Vectors.GANACHE_GATEWAY)).hasMessageContaining("chainId must be positive");
        assertThatThrownBy(() -> AttestationDigest.of(id, 5, "0xabc")).hasMessageStartingWith("gateway of chain 5 must be 0x");
    }
}
