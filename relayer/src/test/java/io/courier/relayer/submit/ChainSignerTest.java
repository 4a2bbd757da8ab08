package io.courier.relayer.submit;

import static io.courier.relayer.submit.SigningFixtures.ACCOUNT;
import static io.courier.relayer.submit.SigningFixtures.GATEWAY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.booleans;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.fees.Fees;
import java.math.BigInteger;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class ChainSignerTest {

    /** What a restarted submitter reads back from a recorded transaction is what was signed: gas limit, calldata, typed fees. */
    @Test
    void aSignedTransactionReadsBackAsWhatWasSigned() {
        qt().withExamples(100).forAll(longs().between(0, 1_000_000), longs().between(21_000, 30_000_000), integers().between(0, 300),
                booleans().all()).checkAssert((nonce, gas, dataBytes, eip1559) -> {
            String data = "0x" + HexFormat.of().formatHex(new byte[dataBytes]).replace('0', 'a');
            Fees fees = eip1559 ? new Fees.Eip1559Fees(BigInteger.valueOf(gas * 7 + 2), BigInteger.valueOf(gas + 1))
                    : new Fees.LegacyFees(BigInteger.valueOf(gas * 3));
            ChainSigner.Signed signed = ACCOUNT.sign(nonce, BigInteger.valueOf(gas), GATEWAY, data, fees);
            assertThat(ChainSigner.unsigned(signed.raw()))
                    .contains(new ChainSigner.Unsigned(BigInteger.valueOf(gas), data, fees));
        });
    }

    @Test
    void bytesThatAreNoTransactionReadAsNothing() {
        assertThat(ChainSigner.unsigned("0x02f8")).isEmpty();
        assertThat(ChainSigner.unsigned("0x")).isEmpty();
    }
}
