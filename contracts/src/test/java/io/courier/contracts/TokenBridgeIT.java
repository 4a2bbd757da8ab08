package io.courier.contracts;

import static io.courier.contracts.TestValidators.KEYS;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.message.Attestations;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.testkit.Chain;
import io.courier.testkit.LocalChain;
import io.courier.testkit.LocalChainExtension;
import java.math.BigInteger;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.abi.TypeEncoder;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.generated.Uint256;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.core.methods.response.TransactionReceipt;
import org.web3j.utils.Numeric;

/**
 * A token round trip across two real chains, relayed by hand the way a Courier node does it: read
 * {@code MessageSent} on the source, sign the attestation with two of the three validator keys in Java, order the
 * signatures, execute on the destination. Lock on A mints on B; burn on B unlocks on A.
 */
@ExtendWith(LocalChainExtension.class)
class TokenBridgeIT {

    private static final Logger log = LoggerFactory.getLogger(TokenBridgeIT.class);
    private static final BigInteger ETHER = BigInteger.TEN.pow(18);

    private static final Credentials DEPLOYER = LocalChain.account(0);
    private static final Credentials ALICE = LocalChain.account(1);
    private static final Credentials BOB = LocalChain.account(2);
    private static final Credentials CAROL = LocalChain.account(3);
    private static final Credentials RELAYER = LocalChain.account(9);

    private static LocalChain a;
    private static LocalChain b;
    private static Gateway gatewayA;
    private static Gateway gatewayB;
    private static TestToken token;
    private static TokenBridge bridgeA;
    private static TokenBridge bridgeB;
    private static WrappedToken wrapped;

    @BeforeAll
    static void deploy(@Chain(id = 1001) LocalChain chainA, @Chain(id = 1002) LocalChain chainB) throws Exception {
        a = chainA;
        b = chainB;
        gatewayA = Deployments.gateway(a);
        gatewayB = Deployments.gateway(b);
        token = TestToken.deploy(a.web3j(), Deployments.signer(a, DEPLOYER), Deployments.GAS, "Courier Test Token", "CTT").send();
        bridgeA = TokenBridge.deploy(a.web3j(), Deployments.signer(a, DEPLOYER), Deployments.GAS,
                gatewayA.getContractAddress(), token.getContractAddress()).send();
        bridgeB = TokenBridge.deploy(b.web3j(), Deployments.signer(b, DEPLOYER), Deployments.GAS,
                gatewayB.getContractAddress(), Address.DEFAULT.getValue()).send();
        wrapped = WrappedToken.deploy(b.web3j(), Deployments.signer(b, DEPLOYER), Deployments.GAS,
                "Courier Test Token from 1001", "wCTT", bridgeB.getContractAddress()).send();
        bridgeA.registerRemote(BigInteger.valueOf(b.chainId()), bridgeB.getContractAddress(), Address.DEFAULT.getValue()).send();
        bridgeB.registerRemote(BigInteger.valueOf(a.chainId()), bridgeA.getContractAddress(), wrapped.getContractAddress()).send();
        token.mint(ALICE.getAddress(), ether(1000)).send();
    }

    @Test
    void lockMintBurnUnlockAcrossTwoChains() throws Exception {
        // A: Alice locks 250 CTT for Bob on B.
        TestToken tokenAsAlice = TestToken.load(token.getContractAddress(), a.web3j(), Deployments.signer(a, ALICE), Deployments.GAS);
        tokenAsAlice.approve(bridgeA.getContractAddress(), ether(250)).send();
        TransactionReceipt lock = TokenBridge.load(bridgeA.getContractAddress(), a.web3j(), Deployments.signer(a, ALICE), Deployments.GAS)
                .lock(BigInteger.valueOf(b.chainId()), BOB.getAddress(), ether(250), BigInteger.ZERO).send();
        CrossChainMessage mint = observed(a, gatewayA, lock);
        assertThat(TokenBridge.getLockedEvents(lock).get(0).id).isEqualTo(mint.id().bytes());
        assertThat(mint.sender()).isEqualTo(bridgeA.getContractAddress().toLowerCase());
        assertThat(mint.recipient()).isEqualTo(bridgeB.getContractAddress().toLowerCase());
        log.info("GAS TokenBridge.lock (approve excluded, includes Gateway.send): {}", lock.getGasUsed());

        // B: relay with two of three validator signatures.
        TransactionReceipt minted = relay(mint, b, gatewayB, List.of(KEYS.get(2), KEYS.get(0)));
        assertThat(Deployments.executed(minted).success).isTrue();
        assertThat(TokenBridge.getMintedEvents(minted)).singleElement()
                .satisfies(e -> assertThat(e.amount).isEqualTo(ether(250)));
        assertThat(wrapped.balanceOf(BOB.getAddress()).send()).isEqualTo(ether(250));
        assertThat(wrapped.totalSupply().send()).isEqualTo(ether(250));
        log.info("GAS execute 2-of-3 into TokenBridge (mint): {}", minted.getGasUsed());

        // The same attestation again is a replay.
        EthCall replay = dryRunExecute(b, gatewayB, mint, signed(mint, gatewayB, List.of(KEYS.get(0), KEYS.get(1))));
        Reverts.assertCustomError(replay, "AlreadyExecuted(bytes32)", mint.id().bytes());

        // B: Bob burns 100 wCTT for Carol on A.
        TransactionReceipt burn = TokenBridge.load(bridgeB.getContractAddress(), b.web3j(), Deployments.signer(b, BOB), Deployments.GAS)
                .burn(BigInteger.valueOf(a.chainId()), CAROL.getAddress(), ether(100), BigInteger.ZERO).send();
        CrossChainMessage unlock = observed(b, gatewayB, burn);
        assertThat(TokenBridge.getBurnedEvents(burn).get(0).id).isEqualTo(unlock.id().bytes());
        assertThat(wrapped.balanceOf(BOB.getAddress()).send()).isEqualTo(ether(150));
        log.info("GAS TokenBridge.burn (includes Gateway.send): {}", burn.getGasUsed());

        // A: relay back.
        TransactionReceipt unlocked = relay(unlock, a, gatewayA, List.of(KEYS.get(1), KEYS.get(2)));
        assertThat(Deployments.executed(unlocked).success).isTrue();
        log.info("GAS execute 2-of-3 into TokenBridge (unlock): {}", unlocked.getGasUsed());

        assertThat(token.balanceOf(CAROL.getAddress()).send()).isEqualTo(ether(100));
        assertThat(token.balanceOf(ALICE.getAddress()).send()).isEqualTo(ether(750));
        assertThat(token.balanceOf(bridgeA.getContractAddress()).send()).isEqualTo(ether(150));
        assertThat(bridgeA.lockedFor(BigInteger.valueOf(b.chainId())).send()).isEqualTo(ether(150));
        assertThat(wrapped.totalSupply().send()).isEqualTo(ether(150));
        assertThat(Deployments.status(gatewayA, unlock)).isEqualTo(BigInteger.ONE);
        assertThat(Deployments.status(gatewayB, mint)).isEqualTo(BigInteger.ONE);
    }

    @Test
    void mintFromAnyoneButTheRemoteBridgeFails() throws Exception {
        // Mallory sends a well-formed MINT payload to bridge B through gateway A herself: validators attest it
        // (it is a real message), but bridge B refuses the sender, so the message fails and nothing is minted.
        Credentials mallory = LocalChain.account(4);
        String payload = TypeEncoder.encode(new Uint8(1)) + TypeEncoder.encode(new Address(mallory.getAddress()))
                + TypeEncoder.encode(new Uint256(ether(1_000_000)));
        TransactionReceipt sent = Deployments.as(a, gatewayA, mallory)
                .send(BigInteger.valueOf(b.chainId()), bridgeB.getContractAddress(), Numeric.hexStringToByteArray(payload), BigInteger.ZERO)
                .send();
        CrossChainMessage forged = observed(a, gatewayA, sent);

        TransactionReceipt executed = relay(forged, b, gatewayB, List.of(KEYS.get(0), KEYS.get(1)));
        Gateway.MessageExecutedEventResponse event = Deployments.executed(executed);
        assertThat(event.success).isFalse();
        assertThat(Numeric.toHexString(event.revertData)).startsWith(Reverts.selector("UnknownSender(uint256,address)"));
        assertThat(wrapped.balanceOf(mallory.getAddress()).send()).isZero();
        assertThat(Deployments.status(gatewayB, forged)).isEqualTo(BigInteger.TWO);
    }

    @Test
    void handleIsOnlyForTheGatewayAndRoutesAreChecked() throws Exception {
        String payload = TypeEncoder.encode(new Uint8(1)) + TypeEncoder.encode(new Address(BOB.getAddress()))
                + TypeEncoder.encode(new Uint256(ether(1)));
        String handle = bridgeB.handle(BigInteger.valueOf(a.chainId()), bridgeA.getContractAddress(),
                Numeric.hexStringToByteArray(payload)).encodeFunctionCall();
        Reverts.assertCustomError(Reverts.call(b.web3j(), BOB.getAddress(), bridgeB.getContractAddress(), handle),
                "NotGateway(address)", BOB.getAddress());

        String lockToNowhere = bridgeA.lock(BigInteger.valueOf(4242), BOB.getAddress(), ether(1), BigInteger.ZERO).encodeFunctionCall();
        Reverts.assertCustomError(Reverts.call(a.web3j(), ALICE.getAddress(), bridgeA.getContractAddress(), lockToNowhere),
                "UnknownRemote(uint256)", 4242);
        String lockOnB = bridgeB.lock(BigInteger.valueOf(a.chainId()), BOB.getAddress(), ether(1), BigInteger.ZERO).encodeFunctionCall();
        Reverts.assertCustomError(Reverts.call(b.web3j(), BOB.getAddress(), bridgeB.getContractAddress(), lockOnB), "NoCanonicalToken()");
    }

    /** Reads the message of a source transaction and checks the log's id against the Java id. */
    private static CrossChainMessage observed(LocalChain chain, Gateway gateway, TransactionReceipt receipt) {
        Gateway.MessageSentEventResponse sent = Deployments.sent(receipt);
        CrossChainMessage message = Deployments.message(chain.chainId(), gateway.getContractAddress(), sent);
        assertThat(message.id().bytes()).as("MessageSent id vs Java id").isEqualTo(sent.id);
        return message;
    }

    /** Signs with {@code signers} (any order), orders by signer, executes on the destination as the relayer. */
    private static TransactionReceipt relay(CrossChainMessage message, LocalChain destination, Gateway gateway,
            List<ECKeyPair> signers) throws Exception {
        assertThat(message.dstChainId()).isEqualTo(destination.chainId());
        Gateway asRelayer = Deployments.as(destination, gateway, RELAYER);
        return Deployments.execute(asRelayer, message, signed(message, gateway, signers));
    }

    private static List<byte[]> signed(CrossChainMessage message, Gateway gateway, List<ECKeyPair> signers) {
        List<ValidatorSignature> signatures = signers.stream()
                .map(key -> TestValidators.sign(message, gateway.getContractAddress(), key))
                .toList();
        return Attestations.encode(Attestations.forSubmission(message, gateway.getContractAddress(), signatures,
                TestValidators.addresses(), TestValidators.THRESHOLD));
    }

    private static EthCall dryRunExecute(LocalChain chain, Gateway gateway,
            CrossChainMessage message, List<byte[]> signatures) throws Exception {
        return Reverts.call(chain.web3j(), RELAYER.getAddress(), gateway.getContractAddress(),
                Deployments.executeCalldata(gateway, message, signatures));
    }

    private static BigInteger ether(long amount) {
        return BigInteger.valueOf(amount).multiply(ETHER);
    }
}
