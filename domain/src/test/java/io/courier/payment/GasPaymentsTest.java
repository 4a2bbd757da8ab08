package io.courier.payment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.lists;

import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.message.Address;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Payments counted once per (transaction, log index), and the strict reading of {@code GasPaid} logs. */
class GasPaymentsTest {

    private static final Address GATEWAY = Address.fromHex("0x00000000000000000000000000000000000000aa");
    private static final MessageId ID = MessageId.fromHex("0x" + "11".repeat(32));

    @Test
    void aPaymentSeenInSeveralBlocksCountsOnceAndOrderDoesNotMatter() {
        qt().withExamples(1000).forAll(lists().of(integers().between(0, 5)).ofSizeBetween(0, 12), PaymentPolicyPropertyTest.wei())
                .checkAssert((txs, amount) -> {
            List<GasPayment> seen = new ArrayList<>();
            java.util.Set<Integer> distinct = new java.util.HashSet<>();
            for (int i = 0; i < txs.size(); i++) {
                int tx = txs.get(i);
                distinct.add(tx);
                // the same transaction's log, observed again in another block after a reorg: one payment
                seen.add(payment(tx, 1000 + i, amount));
            }
            BigInteger expected = amount.multiply(BigInteger.valueOf(distinct.size()));
            assertThat(GasPayment.total(seen)).isEqualTo(expected);
            Collections.reverse(seen);
            assertThat(GasPayment.total(seen)).isEqualTo(expected);
        });
    }

    @Test
    void decodesAGatewaysGasPaid() {
        ChainLog log = log(GATEWAY, List.of(GatewayEvents.GAS_PAID_TOPIC, ID.toHex()), word(BigInteger.valueOf(123_456)));
        Optional<GasPayment> decoded = GasPaidDecoder.decode(log, GATEWAY, 1);
        assertThat(decoded).hasValueSatisfying(p -> {
            assertThat(p.id()).isEqualTo(ID);
            assertThat(p.amount()).isEqualTo(BigInteger.valueOf(123_456));
            assertThat(p.blockNumber()).isEqualTo(7);
            assertThat(p.logIndex()).isEqualTo(3);
            assertThat(p.srcChain()).isEqualTo(1);
        });
    }

    @Test
    void refusesWhatIsNotExactlyAGasPaidOfThisGateway() {
        String data = word(BigInteger.ONE);
        Address other = Address.fromHex("0x00000000000000000000000000000000000000bb");
        assertThat(GasPaidDecoder.decode(log(other, List.of(GatewayEvents.GAS_PAID_TOPIC, ID.toHex()), data), GATEWAY, 1)).isEmpty();
        assertThat(GasPaidDecoder.decode(log(GATEWAY, List.of(GatewayEvents.MESSAGE_SENT_TOPIC, ID.toHex()), data), GATEWAY, 1)).isEmpty();
        assertThat(GasPaidDecoder.decode(log(GATEWAY, List.of(GatewayEvents.GAS_PAID_TOPIC), data), GATEWAY, 1)).isEmpty();
        assertThat(GasPaidDecoder.decode(log(GATEWAY, List.of(GatewayEvents.GAS_PAID_TOPIC, ID.toHex()), data + "00"), GATEWAY, 1)).isEmpty();
        assertThat(GasPaidDecoder.decode(log(GATEWAY, List.of(GatewayEvents.GAS_PAID_TOPIC, ID.toHex()), "0x"), GATEWAY, 1)).isEmpty();
    }

    private static GasPayment payment(int tx, long block, BigInteger amount) {
        return new GasPayment(ID, 1, TxHash.fromHex(String.format("0x%064x", tx)), 2, block,
                BlockHash.fromHex(String.format("0x%064x", block)), amount);
    }

    private static ChainLog log(Address emitter, List<String> topics, String data) {
        return new ChainLog(emitter, topics, data, 7, BlockHash.fromHex("0x" + "22".repeat(32)),
                TxHash.fromHex("0x" + "33".repeat(32)), 3, false);
    }

    private static String word(BigInteger value) {
        return String.format("0x%064x", value);
    }
}
