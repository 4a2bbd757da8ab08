package io.courier.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.longs;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The bench's overpay: paid per gas over (base fee + minimum tip) at inclusion, and its mean. */
class OverpayTest {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);

    @Test
    void isWhatWasPaidOverBaseFeePlusMinimumTip() {
        // Web3j's 4.1 gwei at a 1 gwei base fee and the 0.001 gwei minimum tip
        assertThat(Overpay.of(BigInteger.valueOf(4_100_000_000L), GWEI, BigInteger.valueOf(1_000_000)))
                .isEqualByComparingTo(new BigDecimal("4.1").divide(new BigDecimal("1.001"), java.math.MathContext.DECIMAL64));
        // the base fee plus exactly the minimum tip is the floor, 1
        assertThat(Overpay.of(GWEI.add(BigInteger.ONE), GWEI, BigInteger.ONE)).isEqualByComparingTo(BigDecimal.ONE);
        // a tip of a quarter of the base fee, minimum tip zero: 1.25
        assertThat(Overpay.of(BigInteger.valueOf(125), BigInteger.valueOf(100), BigInteger.ZERO)).isEqualByComparingTo("1.25");
    }

    @Test
    void timesTheLeastHonestPriceGivesBackWhatWasPaid() {
        qt().withExamples(2000).forAll(longs().between(0, 1_000_000_000_000L), longs().between(0, 500_000_000_000L),
                        longs().between(1, 50_000_000_000L))
                .checkAssert((paid, base, minTip) -> {
                    BigDecimal overpay = Overpay.of(BigInteger.valueOf(paid), BigInteger.valueOf(base), BigInteger.valueOf(minTip));
                    BigDecimal back = overpay.multiply(BigDecimal.valueOf(base + minTip));
                    // DECIMAL64 keeps 16 digits: the product is within one part in 10^15 of what was paid
                    assertThat(back.subtract(BigDecimal.valueOf(paid)).abs())
                            .isLessThanOrEqualTo(BigDecimal.valueOf(paid).movePointLeft(15).add(new BigDecimal("1e-15")));
                    // and it is at least 1 exactly when the transaction paid at least the base fee + minimum tip
                    assertThat(overpay.compareTo(BigDecimal.ONE) >= 0).isEqualTo(paid >= base + minTip);
                });
    }

    @Test
    void meanCountsEachTransactionOnce() {
        assertThat(Overpay.mean(List.of(BigDecimal.ONE, new BigDecimal("1.5"), new BigDecimal("2")))).isEqualByComparingTo("1.5");
        assertThat(Overpay.mean(List.of(new BigDecimal("6.73")))).isEqualByComparingTo("6.73");
    }

    @Test
    void refusesWhatHasNoMeaning() {
        assertThatThrownBy(() -> Overpay.of(GWEI, BigInteger.ZERO, BigInteger.ZERO)).hasMessageContaining("positive base fee + minimum tip");
        assertThatThrownBy(() -> Overpay.of(BigInteger.valueOf(-1), GWEI, BigInteger.ONE)).hasMessageContaining("must not be negative");
        assertThatThrownBy(() -> Overpay.mean(List.of())).hasMessageContaining("no transactions");
    }
}
