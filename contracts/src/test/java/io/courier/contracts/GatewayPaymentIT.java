package io.courier.contracts;

import static io.courier.contracts.Reverts.assertCustomError;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** {@code payForGas}: a permissionless top-up of a message's destination gas, announced as {@code GasPaid}. */
@ExtendWith(LocalChainExtension.class)
class GatewayPaymentIT {

    private static final Credentials SENDER = LocalChain.account(5);
    private static final Credentials STRANGER = LocalChain.account(7);

    private static LocalChain chain;

    @BeforeAll
    static void start(@Chain(id = 1003) LocalChain localChain) {
        chain = localChain;
    }

    @Test
    void anyoneTopsUpAnyMessageAndEachPaymentIsItsOwnGasPaid() throws Exception {
        Gateway gateway = Deployments.gateway(chain);
        Gateway asSender = Deployments.as(chain, gateway, SENDER);
        TransactionReceipt sent = asSender.send(BigInteger.valueOf(1004), SENDER.getAddress(), new byte[] {1}, BigInteger.ZERO).send();
        byte[] id = Deployments.sent(sent).id;
        assertThat(Gateway.getGasPaidEvents(sent)).as("an unpaid send announces no payment").isEmpty();
        BigInteger before = balance(gateway.getContractAddress());

        // someone who did not send the message pays for it, twice: each payment is one event with its own amount
        Gateway asStranger = Deployments.as(chain, gateway, STRANGER);
        TransactionReceipt first = asStranger.payForGas(id, BigInteger.valueOf(1_000)).send();
        TransactionReceipt second = asStranger.payForGas(id, BigInteger.valueOf(234)).send();

        assertThat(Gateway.getGasPaidEvents(first)).singleElement().satisfies(e -> {
            assertThat(e.id).isEqualTo(id);
            assertThat(e.amount).isEqualTo(BigInteger.valueOf(1_000));
        });
        assertThat(Gateway.getGasPaidEvents(second)).singleElement().satisfies(e -> {
            assertThat(e.id).isEqualTo(id);
            assertThat(e.amount).isEqualTo(BigInteger.valueOf(234));
        });
        // the value stays in the gateway, with send's fees, for the owner to withdraw
        assertThat(balance(gateway.getContractAddress())).isEqualTo(before.add(BigInteger.valueOf(1_234)));
    }

    @Test
    void aTopUpWithoutValueIsRefused() throws Exception {
        Gateway gateway = Deployments.gateway(chain);
        byte[] id = new byte[32];
        id[31] = 7;
        EthCall refused = Reverts.call(chain.web3j(), STRANGER.getAddress(), gateway.getContractAddress(),
                gateway.payForGas(id, BigInteger.ZERO).encodeFunctionCall());
        assertCustomError(refused, "ZeroPayment(bytes32)", id);
    }

    private static BigInteger balance(String address) throws Exception {
        return chain.web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }
}
