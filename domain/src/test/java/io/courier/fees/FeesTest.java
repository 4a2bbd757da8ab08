package io.courier.fees;

import static io.courier.fees.FeeFixtures.gwei;
import static io.courier.fees.FeeFixtures.wei;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.courier.fees.Fees.Eip1559Fees;
import io.courier.fees.Fees.LegacyFees;
import org.junit.jupiter.api.Test;

class FeesTest {

    @Test
    void anEip1559TransactionPaysTheBaseFeePlusItsTipUpToItsMaxFee() {
        Fees fees = new Eip1559Fees(gwei(30), gwei(2));
        assertThat(fees.paidPerGas(gwei(10))).isEqualTo(gwei(12));
        assertThat(fees.tipAt(gwei(10))).isEqualTo(gwei(2));
        // near its max fee the tip shrinks: the max fee bounds the total
        assertThat(fees.paidPerGas(gwei(29))).isEqualTo(gwei(30));
        assertThat(fees.tipAt(gwei(29))).isEqualTo(gwei(1));
        assertThat(fees.paidPerGas(gwei(30))).isEqualTo(gwei(30));
        assertThat(fees.includableAt(gwei(31))).isFalse();
        assertThat(fees.tipAt(gwei(31))).isEqualTo(gwei(-1));
        assertThatThrownBy(() -> fees.paidPerGas(gwei(31))).hasMessageContaining("cannot be included at base fee 31000000000");
    }

    @Test
    void aLegacyTransactionPaysItsWholeGasPrice() {
        Fees fees = new LegacyFees(gwei(20));
        assertThat(fees.paidPerGas(gwei(0))).isEqualTo(gwei(20));
        assertThat(fees.paidPerGas(gwei(15))).isEqualTo(gwei(20));
        assertThat(fees.tipAt(gwei(15))).isEqualTo(gwei(5));
        assertThat(fees.maxFee()).isEqualTo(fees.maxTip()).isEqualTo(gwei(20));
        assertThat(fees.includableAt(gwei(21))).isFalse();
    }

    @Test
    void overpayIsPaidPerGasOverBaseFeePlusMinimumTip() {
        // 10 gwei base + 2 gwei tip paid, against 10 + 0.5 gwei: 12 / 10.5
        assertThat(new Eip1559Fees(gwei(50), gwei(2)).overpay(gwei(10), wei(500_000_000))).isEqualByComparingTo("1.142857142857143");
        assertThat(new LegacyFees(gwei(21)).overpay(gwei(10), gwei(0))).isEqualByComparingTo("2.1");
        assertThatThrownBy(() -> new LegacyFees(gwei(1)).overpay(wei(0), wei(0))).hasMessageContaining("positive base fee + minimum tip, was 0");
    }

    @Test
    void feesThatCannotBeSignedAreRefused() {
        assertThatThrownBy(() -> new Eip1559Fees(gwei(1), gwei(2))).hasMessageContaining("max fee per gas 1000000000 below max priority fee per gas 2000000000");
        assertThatThrownBy(() -> new Eip1559Fees(gwei(1), wei(-1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new LegacyFees(wei(-1))).hasMessageContaining("gas price must not be negative, was -1");
    }
}
