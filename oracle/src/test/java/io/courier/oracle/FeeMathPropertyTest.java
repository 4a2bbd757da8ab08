package io.courier.oracle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.BigInteger;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

class FeeMathPropertyTest {

    private record Inputs(BigInteger gasPrice, BigInteger gas, BigInteger dstPrice, BigInteger srcPrice, BigDecimal margin) {
        BigInteger fee() {
            return FeeMath.fee(gasPrice, gas, dstPrice, srcPrice, margin);
        }
    }

    private static Gen<Inputs> inputs() {
        return longs().between(0, 500_000_000_000L)                           // gas price up to 500 gwei
                .zip(longs().between(0, 30_000_000),                          // gas
                        longs().between(0, 100_000_00000000L),                // destination token, USD × 1e8
                        longs().between(1, 100_000_00000000L),                // source token
                        (g, gas, d, s) -> new long[] {g, gas, d, s})
                .zip(integers().between(0, 10_000), (v, bps) -> new Inputs(BigInteger.valueOf(v[0]), BigInteger.valueOf(v[1]),
                        BigInteger.valueOf(v[2]), BigInteger.valueOf(v[3]), BigDecimal.valueOf(bps, 4)));
    }

    /** gasPrice × gas × dst × (1 + margin), exactly, as a rational over srcPrice. */
    private static BigDecimal exactNumerator(Inputs in) {
        return new BigDecimal(in.gasPrice().multiply(in.gas()).multiply(in.dstPrice())).multiply(BigDecimal.ONE.add(in.margin()));
    }

    @Test
    void theFeeIsTheExactPriceRoundedUpByLessThanOneWeiWithTheMarginAppliedOnce() {
        qt().forAll(inputs()).checkAssert(in -> {
            BigInteger fee = in.fee();
            BigDecimal exact = exactNumerator(in);
            BigDecimal src = new BigDecimal(in.srcPrice());
            assertThat(new BigDecimal(fee).multiply(src)).as("never rounds down").isGreaterThanOrEqualTo(exact);
            assertThat(new BigDecimal(fee.subtract(BigInteger.ONE)).multiply(src)).as("rounds up by less than 1 wei")
                    .isLessThan(exact);
        });
    }

    @Test
    void theFeeNeverFallsWhenAnyCostInputRises() {
        qt().forAll(inputs(), longs().between(1, 1_000_000_000L), integers().between(0, 4)).checkAssert((in, step, which) -> {
            BigInteger d = BigInteger.valueOf(step);
            Inputs more = switch (which) {
                case 0 -> new Inputs(in.gasPrice().add(d), in.gas(), in.dstPrice(), in.srcPrice(), in.margin());
                case 1 -> new Inputs(in.gasPrice(), in.gas().add(d), in.dstPrice(), in.srcPrice(), in.margin());
                case 2 -> new Inputs(in.gasPrice(), in.gas(), in.dstPrice().add(d), in.srcPrice(), in.margin());
                case 3 -> new Inputs(in.gasPrice(), in.gas(), in.dstPrice(), in.srcPrice(), in.margin().add(BigDecimal.valueOf(step, 9)));
                default -> new Inputs(in.gasPrice(), in.gas(), in.dstPrice(), in.srcPrice().add(d), in.margin()); // dearer source token
            };
            if (which == 4) {
                assertThat(more.fee()).as("a dearer source token never costs more of it").isLessThanOrEqualTo(in.fee());
            } else {
                assertThat(more.fee()).isGreaterThanOrEqualTo(in.fee());
            }
        });
    }

    @Test
    void aWorkedExample() {
        // 20 gwei × 271,000 gas on a chain whose token is $2,000, paid in a $1 token, plus 10 %
        BigInteger fee = FeeMath.fee(BigInteger.valueOf(20_000_000_000L), BigInteger.valueOf(271_000),
                BigInteger.valueOf(2_000_00000000L), BigInteger.valueOf(1_00000000L), new BigDecimal("0.1"));

        assertThat(fee).isEqualTo(new BigInteger("11924000000000000000")); // 5.42e15 wei × 2000 × 1.1 = 11.924 tokens
    }
}
