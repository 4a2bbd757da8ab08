package io.courier.relayer.signing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import io.courier.finality.Attestation;
import io.courier.relayer.submitfakes.Transfers;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.generators.SourceDSL;

/** {@link ValidatorKeys#forExecute}: what the gateway's execute takes, whatever the store held and in whatever order. */
class ValidatorKeysTest {

    @Test
    void forExecuteIsTheLowestThresholdValidSignersAscendingWhateverTheInput() {
        var t = Transfers.attested(9);
        ValidatorKeys keys = Transfers.keys(0); // the set and threshold 2 only
        var digest = keys.digest(t.id(), t.message().dstChainId(), Transfers.DST_GATEWAY.toHex());
        List<Attestation> valid = Transfers.signatures(t);
        Attestation outsider = new Attestation(t.id(), "0x" + "00".repeat(20), valid.get(0).signature(), Transfers.T0);
        Attestation forged = new Attestation(t.id(), valid.get(1).validator(), valid.get(0).signature(), Transfers.T0);
        qt().forAll(SourceDSL.integers().between(0, 7), SourceDSL.longs().all(), SourceDSL.booleans().all())
                .checkAssert((subset, seed, junk) -> {
                    List<Attestation> input = new ArrayList<>();
                    for (int i = 0; i < valid.size(); i++) {
                        if ((subset & (1 << i)) != 0) {
                            input.add(valid.get(i));
                        }
                    }
                    if (junk) {
                        input.add(outsider);
                        input.add(forged);
                        input.addAll(List.copyOf(input)); // duplicates
                    }
                    Collections.shuffle(input, new Random(seed));

                    List<String> chosen = keys.forExecute(digest, input).stream().map(Attestation::validator).toList();

                    List<String> expected = valid.stream().filter(a -> (subset & (1 << valid.indexOf(a))) != 0)
                            .map(Attestation::validator).sorted(Comparator.comparing(String::toLowerCase))
                            .limit(keys.threshold()).toList();
                    assertThat(chosen).containsExactlyElementsOf(expected);
                });
    }
}
