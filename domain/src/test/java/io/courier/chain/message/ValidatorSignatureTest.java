package io.courier.chain.message;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.utils.Numeric;

class ValidatorSignatureTest {

    /** Private key 1: its address is well known (the generator point's address). */
    private static final ECKeyPair KEY_ONE = ECKeyPair.create(BigInteger.ONE);
    private static final String KEY_ONE_ADDRESS = "0x7e5f4552091a69125d5dfcb7b8c2659029395bdf";
    private static final AttestationDigest DIGEST = new AttestationDigest(Bytes32.fromHex(Vectors.GANACHE_DIGEST_1));
    /**
     * RFC 6979 signature of {@link Vectors#GANACHE_DIGEST_1} by key 1, checked with the ecrecover precompile on
     * Ganache (recovers {@link #KEY_ONE_ADDRESS}).
     */
    private static final String KNOWN_SIGNATURE = "0x"
            + "81dfaf66cac4e98c014996d893079f63baa9330ad58fe89d8a80e7fba5e25407"
            + "059cd71f062de3570b0e419157c2ff1109e38eb054c410dc90481c0979d2b179"
            + "1c";

    @Test
    void signsDeterministicallyInTheContractsForm() {
        ValidatorSignature signature = ValidatorSignature.sign(DIGEST, KEY_ONE);
        assertThat(signature.toHex()).isEqualTo(KNOWN_SIGNATURE);
        assertThat(signature.bytes()).hasSize(65);
        assertThat(signature.v()).isIn(27, 28);
        assertThat(signature.signer(DIGEST)).isEqualTo(KEY_ONE_ADDRESS);
    }

    @Test
    void parsesWhatItFormats() {
        ValidatorSignature signature = ValidatorSignature.sign(DIGEST, KEY_ONE);
        assertThat(ValidatorSignature.fromHex(signature.toHex())).isEqualTo(signature);
        assertThat(ValidatorSignature.fromBytes(signature.bytes())).isEqualTo(signature);
        assertThat(ValidatorSignature.fromHex(signature.toHex().toUpperCase().replace("0X", "0x"))).isEqualTo(signature);
    }

    @Test
    void anotherDigestRecoversAnUnrelatedAddress() {
        ValidatorSignature signature = ValidatorSignature.sign(DIGEST, KEY_ONE);
        AttestationDigest other = new AttestationDigest(Bytes32.fromHex(Vectors.OTHER_DIGEST_1));
        assertThat(signature.signer(other)).isNotEqualTo(KEY_ONE_ADDRESS).startsWith("0x").hasSize(42);
    }

    @Test
    void rejectsTheHighSTwin() {
        ValidatorSignature signature = ValidatorSignature.sign(DIGEST, KEY_ONE);
        BigInteger highS = ValidatorSignature.CURVE_ORDER.subtract(Numeric.toBigInt(signature.s().bytes()));
        byte[] twin = signature.bytes();
        System.arraycopy(Numeric.toBytesPadded(highS, 32), 0, twin, 32, 32);
        twin[64] = (byte) (signature.v() == 27 ? 28 : 27);
        assertThatThrownBy(() -> ValidatorSignature.fromBytes(twin)).hasMessageContaining("upper half of the curve order");
    }

    @Test
    void rejectsMalformedSignatures() {
        byte[] good = ValidatorSignature.sign(DIGEST, KEY_ONE).bytes();
        assertThatThrownBy(() -> ValidatorSignature.fromBytes(new byte[64])).hasMessageContaining("65 bytes (r, s, v), got 64");
        assertThatThrownBy(() -> ValidatorSignature.fromBytes(new byte[66])).hasMessageContaining("got 66");
        byte[] badV = good.clone();
        badV[64] = 1;
        assertThatThrownBy(() -> ValidatorSignature.fromBytes(badV)).hasMessageContaining("v must be 27 or 28, was 1");
        byte[] zeroS = good.clone();
        java.util.Arrays.fill(zeroS, 32, 64, (byte) 0);
        assertThatThrownBy(() -> ValidatorSignature.fromBytes(zeroS)).hasMessageContaining("s is zero");
        byte[] bigR = good.clone();
        java.util.Arrays.fill(bigR, 0, 32, (byte) 0xff);
        assertThatThrownBy(() -> ValidatorSignature.fromBytes(bigR)).hasMessageContaining("r is out of range");
        assertThatThrownBy(() -> ValidatorSignature.fromHex("0x1234")).hasMessageStartingWith("signature must be 0x followed by 130");
    }

    /**
     * Keys from every positive seed, digests of 0..64 random bytes. 500 examples (it was 100): a signature and its
     * recovery take a few milliseconds, and 500 keep this under about two seconds.
     */
    @Test
    void everySignatureIsLowSAndRecoversItsSigner() {
        qt().withExamples(500).forAll(longs().between(1, Long.MAX_VALUE), CrossChainMessageTest.bytes(0, 64)).checkAssert((seed, data) -> {
            ECKeyPair key = ECKeyPair.create(Numeric.toBigInt(Hash.sha3(Numeric.toBytesPadded(BigInteger.valueOf(seed), 32))));
            AttestationDigest digest = new AttestationDigest(Bytes32.of(Hash.sha3(data)));
            ValidatorSignature signature = ValidatorSignature.sign(digest, key);
            assertThat(Numeric.toBigInt(signature.s().bytes())).isLessThanOrEqualTo(ValidatorSignature.HALF_CURVE_ORDER);
            assertThat(signature.signer(digest)).isEqualTo("0x" + org.web3j.crypto.Keys.getAddress(key));
        });
    }
}
