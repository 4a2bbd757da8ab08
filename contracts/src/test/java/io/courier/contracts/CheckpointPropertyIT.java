package io.courier.contracts;

import static io.courier.contracts.MessageIdPropertyIT.addresses;
import static io.courier.contracts.MessageIdPropertyIT.bytes;
import static io.courier.contracts.MessageIdPropertyIT.call;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.lists;
import static org.quicktheories.generators.SourceDSL.longs;

import io.courier.chain.GatewayCalldata;
import io.courier.chain.message.CheckpointDigest;
import io.courier.chain.message.CheckpointRoot;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.quicktheories.core.Gen;
import org.web3j.utils.Numeric;

/**
 * The Java twins of the checkpoint path equal the contract's own computation for random inputs, asked of a real
 * gateway by eth_call: {@link CheckpointRoot} = {@code checkpointRoot(ids)}, {@link CheckpointDigest} =
 * {@code checkpointDigest(...)}, and the ids the gateway reads out of {@link GatewayCalldata#checkpointMessages}
 * ({@code checkpointIds}) are the Java ids, in order.
 */
@ExtendWith(LocalChainExtension.class)
class CheckpointPropertyIT {

    private static final long CHAIN_ID = 1001;

    private static Gateway gateway;

    @BeforeAll
    static void deploy(@Chain(id = CHAIN_ID) LocalChain chain) throws Exception {
        gateway = Deployments.gateway(chain);
    }

    @Test
    void javaRootEqualsContractRoot() {
        // 1..70 leaves: every parity of every level up to 7 levels, odd nodes carried up at several heights
        Gen<List<byte[]>> leaves = lists().of(bytes(32, 32)).ofSizeBetween(1, 70);
        qt().withExamples(40).forAll(leaves).checkAssert(ids -> {
            byte[] onChain = call(() -> gateway.checkpointRoot(new ArrayList<>(ids)).send());
            assertThat(Numeric.toHexString(onChain)).as("root of %d ids", ids.size())
                    .isEqualTo(CheckpointRoot.of(ids.stream().map(MessageId::of).toList()).toHex());
        });
    }

    @Test
    void javaDigestEqualsContractDigest() {
        Gen<Long> nonces = longs().between(0, Long.MAX_VALUE);
        qt().withExamples(30).forAll(longs().between(1, Long.MAX_VALUE), addresses(), nonces, bytes(32, 32)).checkAssert((src, gw, first, root) -> {
            long last = first + (Long.MAX_VALUE - first) / 3;
            byte[] onChain = call(() -> gateway.checkpointDigest(BigInteger.valueOf(src), gw, BigInteger.valueOf(first), BigInteger.valueOf(last),
                    root).send());
            assertThat(Numeric.toHexString(onChain)).isEqualTo(CheckpointDigest.of(src, gw, first, last,
                    new CheckpointRoot(io.courier.chain.message.Bytes32.of(root)), CHAIN_ID, gateway.getContractAddress()).toHex());
        });
    }

    @Test
    void contractReadsTheJavaIdsOutOfThePackedMessages() {
        Gen<CrossChainMessage> shape = MessageIdPropertyIT.messages();
        qt().withExamples(25).forAll(lists().of(shape).ofSizeBetween(1, 12), longs().between(0, 1L << 62)).checkAssert((shapes, first) -> {
            CrossChainMessage lead = shapes.get(0);
            List<CrossChainMessage> range = new ArrayList<>();
            for (int i = 0; i < shapes.size(); i++) {
                CrossChainMessage m = shapes.get(i);
                range.add(new CrossChainMessage(lead.srcChainId(), lead.srcGateway(), first + i, CHAIN_ID, m.sender(), m.recipient(),
                        m.payload()));
            }
            @SuppressWarnings("unchecked")
            List<byte[]> onChain = call(() -> gateway.checkpointIds(BigInteger.valueOf(lead.srcChainId()), lead.srcGateway(),
                    BigInteger.valueOf(first), GatewayCalldata.checkpointMessages(range)).send());
            assertThat(onChain.stream().map(MessageId::of).toList()).isEqualTo(range.stream().map(CrossChainMessage::id).toList());
        });
    }
}
