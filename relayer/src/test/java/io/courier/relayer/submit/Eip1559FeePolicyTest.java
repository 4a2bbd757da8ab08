package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.Test;

class Eip1559FeePolicyTest {

    private static final BigInteger GWEI = BigInteger.TEN.pow(9);
    private final Eip1559FeePolicy policy = new Eip1559FeePolicy(new BigDecimal("0.001"), new BigDecimal("2"), new BigDecimal("500"));

    @Test
    void maxFeeIsTwiceNextBaseFeePlusMedianTip() {
        FeeQuote quote = policy.quote(List.of(gwei(8), gwei(9), gwei(10)), List.of(gwei(1), gwei(3), gwei(2))).orElseThrow();
        assertThat(quote.maxPriorityFeePerGas()).isEqualTo(gwei(2));
        assertThat(quote.maxFeePerGas()).isEqualTo(gwei(22));
    }

    @Test
    void tipNeverBelowTheFloor() {
        FeeQuote quote = policy.quote(List.of(gwei(1)), List.of(BigInteger.ZERO, BigInteger.ZERO)).orElseThrow();
        assertThat(quote.maxPriorityFeePerGas()).isEqualTo(GWEI.divide(BigInteger.valueOf(1000)));
    }

    @Test
    void capLimitsTheMaxFeeButStillCoversTheNextBlock() {
        FeeQuote quote = policy.quote(List.of(gwei(300)), List.of(gwei(1))).orElseThrow();
        assertThat(quote.maxFeePerGas()).isEqualTo(gwei(500));
    }

    @Test
    void noQuoteWhenEvenTheCapCannotPayTheNextBaseFee() {
        assertThat(policy.quote(List.of(gwei(600)), List.of(gwei(1)))).isEmpty();
    }

    private static BigInteger gwei(long n) {
        return GWEI.multiply(BigInteger.valueOf(n));
    }
}
