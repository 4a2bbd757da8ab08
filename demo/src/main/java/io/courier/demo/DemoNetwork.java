package io.courier.demo;

import io.courier.chain.message.Address;
import io.courier.contracts.Gateway;
import io.courier.contracts.TestToken;
import io.courier.contracts.TokenBridge;
import io.courier.contracts.WrappedToken;
import io.courier.testkit.LocalChain;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.ECKeyPair;
import org.web3j.crypto.Hash;
import org.web3j.protocol.Web3j;
import org.web3j.tx.RawTransactionManager;
import org.web3j.tx.TransactionManager;
import org.web3j.tx.gas.ContractGasProvider;
import org.web3j.tx.gas.StaticGasProvider;
import org.web3j.utils.Numeric;

/**
 * Courier deployed on local chains: per chain a Gateway (validator set + threshold), a test token, a token
 * bridge, and for every other chain a wrapped token the bridge mints. Used by {@code courier demo} and by the
 * end-to-end tests, so both exercise the same contracts the same way.
 */
public final class DemoNetwork {

    /** Account roles on the deterministic Ganache wallet. */
    public static final int DEPLOYER = 0;
    public static final int SUBMITTER = 1;
    public static final int USER = 2;
    public static final int RECIPIENT = 3;

    public static final BigInteger HANDLER_GAS_LIMIT = BigInteger.valueOf(300_000);
    private static final BigInteger GAS_PRICE = BigInteger.valueOf(20_000_000_000L);
    private static final BigInteger GAS_LIMIT = BigInteger.valueOf(6_000_000);

    /** Courier's contracts on one chain. */
    public record Deployment(LocalChain chain, String gateway, String token, String bridge, Map<Long, String> wrapped) {}

    private final Map<Long, Deployment> deployments;
    private final List<ECKeyPair> validatorKeys;
    private final int threshold;

    private DemoNetwork(Map<Long, Deployment> deployments, List<ECKeyPair> validatorKeys, int threshold) {
        this.deployments = deployments;
        this.validatorKeys = validatorKeys;
        this.threshold = threshold;
    }

    /** Demo validator keys: derived from public labels, so they are test keys by construction. */
    public static List<ECKeyPair> demoValidatorKeys(int count) {
        List<ECKeyPair> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            keys.add(ECKeyPair.create(Numeric.toBigInt(Hash.sha3(("courier-demo-validator-" + i).getBytes()))));
        }
        return keys;
    }

    public static List<String> addresses(List<ECKeyPair> keys) {
        return keys.stream().map(k -> Address.of(k).toHex()).toList();
    }

    /** Deploys on every chain and links every pair of bridges. */
    public static DemoNetwork deploy(List<LocalChain> chains, List<ECKeyPair> validatorKeys, int threshold) throws Exception {
        List<String> validators = addresses(validatorKeys);
        Credentials deployer = LocalChain.account(DEPLOYER);
        ContractGasProvider gas = new StaticGasProvider(GAS_PRICE, GAS_LIMIT);
        Map<Long, Deployment> deployed = new LinkedHashMap<>();
        Map<Long, TokenBridge> bridges = new LinkedHashMap<>();
        for (LocalChain chain : chains) {
            TransactionManager tm = transactions(chain, deployer);
            Gateway gateway = Gateway.deploy(chain.web3j(), tm, gas, validators, BigInteger.valueOf(threshold), HANDLER_GAS_LIMIT).send();
            TestToken token = TestToken.deploy(chain.web3j(), tm, gas, "Courier Test Token " + chain.chainId(), "CTT" + chain.chainId()).send();
            TokenBridge bridge = TokenBridge.deploy(chain.web3j(), tm, gas, gateway.getContractAddress(), token.getContractAddress()).send();
            bridges.put(chain.chainId(), bridge);
            deployed.put(chain.chainId(), new Deployment(chain, gateway.getContractAddress().toLowerCase(),
                    token.getContractAddress().toLowerCase(), bridge.getContractAddress().toLowerCase(), new LinkedHashMap<>()));
        }
        for (LocalChain chain : chains) {
            TransactionManager tm = transactions(chain, deployer);
            Deployment here = deployed.get(chain.chainId());
            for (LocalChain remote : chains) {
                if (remote == chain) {
                    continue;
                }
                WrappedToken wrapped = WrappedToken.deploy(chain.web3j(), tm, gas, "Wrapped CTT" + remote.chainId(),
                        "wCTT" + remote.chainId(), here.bridge()).send();
                TokenBridge.load(here.bridge(), chain.web3j(), tm, gas)
                        .registerRemote(BigInteger.valueOf(remote.chainId()), deployed.get(remote.chainId()).bridge(),
                                wrapped.getContractAddress()).send();
                here.wrapped().put(remote.chainId(), wrapped.getContractAddress().toLowerCase());
            }
        }
        for (LocalChain chain : chains) {
            spendNonceZero(chain, LocalChain.account(SUBMITTER));
        }
        return new DemoNetwork(deployed, validatorKeys, threshold);
    }

    /**
     * Ganache 7.9 treats a raw transaction with nonce 0 as nonce-less and mines it again when it is re-sent;
     * a real chain never does. The submitter re-sends transactions after restarts, so its nonce 0 is spent
     * here on a plain self-transfer to keep the demo and the tests on real-chain behaviour.
     */
    private static void spendNonceZero(LocalChain chain, Credentials account) throws Exception {
        if (chain.web3j().ethGetTransactionCount(account.getAddress(),
                org.web3j.protocol.core.DefaultBlockParameterName.PENDING).send().getTransactionCount().signum() == 0) {
            org.web3j.protocol.core.methods.response.EthSendTransaction sent = transactions(chain, account)
                    .sendTransaction(GAS_PRICE, BigInteger.valueOf(21_000), account.getAddress(), "", BigInteger.ZERO);
            if (sent.hasError()) {
                throw new IllegalStateException("chain " + chain.chainId() + ": spending nonce 0 failed: " + sent.getError().getMessage());
            }
        }
    }

    /** Receipts polled every 100 ms (Web3j's default waits 15 s between polls), patient with Ganache's transient errors. */
    public static TransactionManager transactions(LocalChain chain, Credentials credentials) {
        Web3j web3j = chain.web3j();
        return new RawTransactionManager(web3j, credentials, chain.chainId(),
                new PatientReceiptProcessor(web3j, 100, 600));
    }

    public static ContractGasProvider gas() {
        return new StaticGasProvider(GAS_PRICE, GAS_LIMIT);
    }

    public Deployment on(long chainId) {
        Deployment d = deployments.get(chainId);
        if (d == null) {
            throw new IllegalArgumentException("no deployment on chain " + chainId);
        }
        return d;
    }

    public List<Deployment> deployments() {
        return List.copyOf(deployments.values());
    }

    public List<ECKeyPair> validatorKeys() {
        return validatorKeys;
    }

    public int threshold() {
        return threshold;
    }
}
