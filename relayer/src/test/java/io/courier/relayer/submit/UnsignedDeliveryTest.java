package io.courier.relayer.submit;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.fees.Fees;
import io.courier.finality.Transfer;
import io.courier.relayer.submitfakes.Transfers;
import java.math.BigInteger;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class UnsignedDeliveryTest {

    @Test
    void aDeliveryIsHeldBackWhenTheSourceOfAnyOfItsTransfersIsHalted() {
        Transfer a = Transfers.attested(1);
        UnsignedDelivery d = new UnsignedDelivery(List.of(a, Transfers.attested(2)), "batch", "0x", BigInteger.ONE,
                new Fees.LegacyFees(BigInteger.ONE), Optional.empty());
        long source = a.message().srcChainId();

        assertThat(d.halted(chain -> false)).isEmpty();
        assertThat(d.halted(chain -> chain == source)).contains(LonePreparation.haltedReason(a));
    }
}
