package io.courier.chain.message;

import static io.courier.chain.message.Vectors.MESSAGE_1;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Keys;

class AttestationsTest {

    private static final String GATEWAY = Vectors.GANACHE_GATEWAY;
    // Keys 1, 2, 3 have the addresses 0x7e5f…, 0x2b5a…, 0x6813…: ascending order is 2, 3, 1.
    private static final ECKeyPair K1 = ECKeyPair.create(BigInteger.ONE);
    private static final ECKeyPair K2 = ECKeyPair.create(BigInteger.TWO);
    private static final ECKeyPair K3 = ECKeyPair.create(BigInteger.valueOf(3));
    private static final ECKeyPair OUTSIDER = ECKeyPair.create(BigInteger.valueOf(4));
    private static final List<String> VALIDATORS = List.of(address(K1), address(K2), address(K3));
    private static final AttestationDigest DIGEST = AttestationDigest.of(MESSAGE_1, GATEWAY);

    @Test
    void ordersBySignerAscending() {
        assertThat(address(K2)).isEqualTo("0x2b5ad5c4795c026514f8317c7a215e218dccd6cf");
        assertThat(address(K3)).isEqualTo("0x6813eb9362372eef6200f3b1dbc3f819671cba69");
        List<ValidatorSignature> ordered = Attestations.orderBySigner(DIGEST, List.of(sign(K1), sign(K3), sign(K2)));
        assertThat(ordered).containsExactly(sign(K2), sign(K3), sign(K1));
        assertThat(Attestations.recover(DIGEST, ordered)).extracting(Attestations.SignedBy::signer)
                .containsExactly(address(K2), address(K3), address(K1));
    }

    @Test
    void addressOrderIsNumeric() {
        assertThat(Attestations.ADDRESS_ORDER.compare("0x00000000000000000000000000000000000000ff",
                "0x0000000000000000000000000000000000000100")).isNegative();
        assertThat(Attestations.ADDRESS_ORDER.compare("0xFF00000000000000000000000000000000000000",
                "0x0f00000000000000000000000000000000000000")).isPositive();
    }

    @Test
    void duplicateSignerIsRefused() {
        assertThatThrownBy(() -> Attestations.orderBySigner(DIGEST, List.of(sign(K1), sign(K2), sign(K1))))
                .hasMessageContaining("two signatures by " + address(K1));
    }

    @Test
    void forSubmissionTakesThresholdValidatorsAscending() {
        List<ValidatorSignature> chosen = Attestations.forSubmission(MESSAGE_1, GATEWAY,
                List.of(sign(K1), sign(OUTSIDER), sign(K1), sign(K3)), VALIDATORS, 2);
        assertThat(chosen).containsExactly(sign(K3), sign(K1));
        assertThat(Attestations.encode(chosen)).allSatisfy(bytes -> assertThat(bytes).hasSize(65));
    }

    @Test
    void forSubmissionIgnoresSignaturesForAnotherGateway() {
        AttestationDigest otherGateway = AttestationDigest.of(MESSAGE_1, Vectors.OTHER_GATEWAY);
        List<ValidatorSignature> signatures = new ArrayList<>(List.of(sign(K1)));
        signatures.add(ValidatorSignature.sign(otherGateway, K2));
        assertThatThrownBy(() -> Attestations.forSubmission(MESSAGE_1, GATEWAY, signatures, VALIDATORS, 2))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("message " + MESSAGE_1.id())
                .hasMessageContaining("1001->1002, nonce 42")
                .hasMessageContaining("has 1 distinct validator signature(s)")
                .hasMessageContaining("threshold is 2");
    }

    private static ValidatorSignature sign(ECKeyPair key) {
        return ValidatorSignature.sign(DIGEST, key);
    }

    private static String address(ECKeyPair key) {
        return "0x" + Keys.getAddress(key);
    }
}
