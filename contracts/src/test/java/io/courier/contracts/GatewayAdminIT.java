package io.courier.contracts;

import static io.courier.contracts.Reverts.assertCustomError;
import static io.courier.contracts.TestValidators.KEYS;
import static io.courier.contracts.TestValidators.OUTSIDER;
import static io.courier.contracts.TestValidators.address;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.Attestations;
import io.courier.chain.message.CrossChainMessage;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.Utils;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;

/** Construction rules, the owner's validator-set change, outbound checks and relayer fees. */
@ExtendWith(LocalChainExtension.class)
class GatewayAdminIT {

    private static final Credentials OWNER = LocalChain.account(0);
    private static final Credentials STRANGER = LocalChain.account(6);
    private static final String ZERO = Address.DEFAULT.getValue();

    private static LocalChain chain;

    @BeforeAll
    static void start(@Chain(id = 1001) LocalChain localChain) {
        chain = localChain;
    }

    @Test
    void constructorRejectsBadValidatorSets() throws Exception {
        String a = address(KEYS.get(0));
        String b = address(KEYS.get(1));
        assertCustomError(deployDryRun(List.of(a, ZERO), 1, 200_000), "InvalidValidator(uint256,address)", 1, ZERO);
        assertCustomError(deployDryRun(List.of(a, b, a), 2, 200_000), "InvalidValidator(uint256,address)", 2, a);
        assertCustomError(deployDryRun(List.of(a, b), 0, 200_000), "InvalidThreshold(uint256,uint256)", 0, 2);
        assertCustomError(deployDryRun(List.of(a, b), 3, 200_000), "InvalidThreshold(uint256,uint256)", 3, 2);
        assertCustomError(deployDryRun(List.of(), 1, 200_000), "InvalidThreshold(uint256,uint256)", 1, 0);
        assertCustomError(deployDryRun(List.of(a), 1, 20_000), "InvalidHandlerGasLimit(uint256)", 20_000);
    }

    @Test
    void ownerReplacesTheValidatorSet() throws Exception {
        Gateway gateway = Deployments.gateway(chain);
        CrossChainMessage message = new CrossChainMessage(4004, "0x00000000000000000000000000000000c0ffee04", 1, chain.chainId(),
                "0x1111111111111111111111111111111111111111", "0x2222222222222222222222222222222222222222", new byte[0]);
        List<String> newSet = List.of(address(OUTSIDER), address(KEYS.get(2)));

        Gateway asStranger = Deployments.as(chain, gateway, STRANGER);
        EthCall refused = Reverts.call(chain.web3j(), STRANGER.getAddress(), gateway.getContractAddress(),
                asStranger.setValidators(newSet, BigInteger.TWO).encodeFunctionCall());
        assertCustomError(refused, "NotOwner(address)", STRANGER.getAddress());

        TransactionReceipt changed = gateway.setValidators(newSet, BigInteger.TWO).send();
        assertThat(Gateway.getValidatorsChangedEvents(changed)).singleElement()
                .satisfies(e -> assertThat(e.validators).map(String::toLowerCase).containsExactlyElementsOf(newSet));
        assertThat(gateway.isValidator(address(KEYS.get(0))).send()).isFalse();
        assertThat(gateway.isValidator(address(OUTSIDER)).send()).isTrue();

        // The old set's signatures no longer count; the new set's do.
        List<byte[]> oldSigs = TestValidators.signatures(message, gateway.getContractAddress(), KEYS.get(0), KEYS.get(1));
        EthCall old = Reverts.call(chain.web3j(), OWNER.getAddress(), gateway.getContractAddress(),
                Deployments.executeCalldata(gateway, message, oldSigs));
        assertCustomError(old, "NotValidator(uint256,address)", 0, address(KEYS.get(0)));
        List<String> ascending = newSet.stream().sorted(Attestations.ADDRESS_ORDER).toList();
        ECKeyPair first = ascending.get(0).equals(address(OUTSIDER)) ? OUTSIDER : KEYS.get(2);
        ECKeyPair second = first == OUTSIDER ? KEYS.get(2) : OUTSIDER;
        TransactionReceipt executed = Deployments.execute(gateway, message,
                TestValidators.signatures(message, gateway.getContractAddress(), first, second));
        assertThat(Deployments.executed(executed).success).isTrue();
    }

    @Test
    void sendRejectsThisChainAndChainZero() throws Exception {
        Gateway gateway = Deployments.gateway(chain);
        for (long destination : new long[] {chain.chainId(), 0}) {
            EthCall call = Reverts.call(chain.web3j(), OWNER.getAddress(), gateway.getContractAddress(),
                    gateway.send(BigInteger.valueOf(destination), STRANGER.getAddress(), new byte[0], BigInteger.ZERO).encodeFunctionCall());
            assertCustomError(call, "WrongDestination(uint256)", destination);
            assertThat(gateway.outboundNonce(BigInteger.valueOf(destination)).send()).isZero();
        }
    }

    @Test
    void sendTakesAPayloadAtTheCapAndRefusesOneByteMore() throws Exception {
        Gateway gateway = Deployments.gateway(chain);
        int max = gateway.MAX_PAYLOAD_BYTES().send().intValueExact();
        // the relayer's watcher rejects bigger logs of older deployments by the same number
        assertThat(max).isEqualTo(io.courier.chain.MessageSentDecoder.MAX_PAYLOAD_BYTES);
        byte[] over = new byte[max + 1];
        java.util.Arrays.fill(over, (byte) 0x5a);
        EthCall call = Reverts.call(chain.web3j(), OWNER.getAddress(), gateway.getContractAddress(),
                gateway.send(BigInteger.valueOf(4004), STRANGER.getAddress(), over, BigInteger.ZERO).encodeFunctionCall());
        assertCustomError(call, "PayloadTooLarge(uint256,uint256)", max + 1, max);

        byte[] atCap = java.util.Arrays.copyOf(over, max);
        TransactionReceipt sent = gateway.send(BigInteger.valueOf(4004), STRANGER.getAddress(), atCap, BigInteger.ZERO).send();
        assertThat(sent.isStatusOK()).isTrue();
        assertThat(gateway.outboundNonce(BigInteger.valueOf(4004)).send()).isOne();
    }

    @Test
    void feesArePaidWithSendAndWithdrawnByTheOwner() throws Exception {
        Gateway gateway = Deployments.gateway(chain);
        BigInteger fee = BigInteger.valueOf(123_456_789);
        TransactionReceipt sent = gateway.send(BigInteger.valueOf(1002), STRANGER.getAddress(), new byte[] {1}, fee).send();
        assertThat(Gateway.getGasPaidEvents(sent)).singleElement().satisfies(e -> {
            assertThat(e.amount).isEqualTo(fee);
            assertThat(e.id).isEqualTo(Deployments.sent(sent).id);
        });
        TransactionReceipt unpaid = gateway.send(BigInteger.valueOf(1002), STRANGER.getAddress(), new byte[] {2}, BigInteger.ZERO).send();
        assertThat(Gateway.getGasPaidEvents(unpaid)).isEmpty();
        assertThat(balance(gateway.getContractAddress())).isEqualTo(fee);

        String payee = "0x7777777777777777777777777777777777777777";
        gateway.withdrawFees(payee, fee).send();
        assertThat(balance(payee)).isEqualTo(fee);
        assertThat(balance(gateway.getContractAddress())).isZero();
    }

    private static BigInteger balance(String address) throws Exception {
        return chain.web3j().ethGetBalance(address, DefaultBlockParameterName.LATEST).send().getBalance();
    }

    /** eth_call of the deployment: the constructor's revert data without mining a failed deployment. */
    private static EthCall deployDryRun(List<String> validators, int threshold, long handlerGasLimit) throws Exception {
        String constructor = FunctionEncoder.encodeConstructor(List.<Type>of(
                new DynamicArray<>(Address.class, Utils.typeMap(validators, Address.class)),
                new Uint8(threshold), new Uint256(handlerGasLimit)));
        return Reverts.call(chain.web3j(), OWNER.getAddress(), null, "0x" + Gateway.BINARY + constructor);
    }
}
