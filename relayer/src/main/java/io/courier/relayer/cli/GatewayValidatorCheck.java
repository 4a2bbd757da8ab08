package io.courier.relayer.cli;

import io.courier.relayer.config.NodeConfig;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import okhttp3.OkHttpClient;
import org.web3j.abi.FunctionEncoder;
import org.web3j.abi.FunctionReturnDecoder;
import org.web3j.abi.TypeReference;
import org.web3j.abi.datatypes.Address;
import org.web3j.abi.datatypes.DynamicArray;
import org.web3j.abi.datatypes.Function;
import org.web3j.abi.datatypes.Type;
import org.web3j.abi.datatypes.generated.Uint8;
import org.web3j.crypto.Credentials;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.DefaultBlockParameterName;
import org.web3j.protocol.core.methods.request.Transaction;
import org.web3j.protocol.core.methods.response.EthCall;
import org.web3j.protocol.http.HttpService;

/**
 * {@code courier config validate}'s look at the chains: each gateway's validator set and threshold, read from its
 * first endpoint, against the config's {@code courier.validator} (a node whose set differs from a destination
 * gateway's collects signatures that gateway refuses). A gateway that cannot be read is reported as not checked,
 * never as a failure: validating a config must work before the chains are up.
 */
final class GatewayValidatorCheck {

    enum Kind { MATCHES, DIFFERS, NOT_CHECKED }

    record Verdict(Kind kind, String line) {}

    private static final Function VALIDATORS = new Function("validators", List.of(),
            List.of(new TypeReference<DynamicArray<Address>>() {}));
    private static final Function THRESHOLD = new Function("threshold", List.of(), List.of(new TypeReference<Uint8>() {}));

    private GatewayValidatorCheck() {}

    /** Reads {@code chain}'s gateway (at most {@code timeout} a call) and compares it with {@code validator}. */
    static Verdict check(NodeConfig.ChainSettings chain, NodeConfig.ValidatorSettings validator, Duration timeout) {
        String label = "chain " + chain.chainId() + " " + chain.name() + ": ";
        String url = chain.rpcUrls().get(0);
        OkHttpClient http = new OkHttpClient.Builder().connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
                .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS).build();
        Web3j web3j = Web3j.build(new HttpService(url, http));
        try {
            List<String> onChain = addresses(call(web3j, chain, VALIDATORS));
            int threshold = ((BigInteger) call(web3j, chain, THRESHOLD).get(0).getValue()).intValueExact();
            List<String> differences = differences(validator.set(), validator.threshold(), localKeys(validator), onChain, threshold);
            return differences.isEmpty()
                    ? new Verdict(Kind.MATCHES, label + "gateway " + chain.gateway() + " has the configured validator set ("
                            + onChain.size() + " validators, threshold " + threshold + ")")
                    : new Verdict(Kind.DIFFERS, label + "gateway " + chain.gateway() + " disagrees with courier.validator: "
                            + String.join("; ", differences));
        } catch (Exception e) {
            // the host only: an endpoint URL may carry an API key
            String host = java.net.URI.create(url).getHost();
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            return new Verdict(Kind.NOT_CHECKED, label + "validator set NOT checked: gateway " + chain.gateway() + " not readable at "
                    + host + " (" + why + ")");
        } finally {
            web3j.shutdown();
        }
    }

    @SuppressWarnings("rawtypes")
    private static List<Type> call(Web3j web3j, NodeConfig.ChainSettings chain, Function function) throws Exception {
        EthCall answer = web3j.ethCall(Transaction.createEthCallTransaction(null, chain.gateway().toHex(),
                FunctionEncoder.encode(function)), DefaultBlockParameterName.LATEST).send();
        if (answer.hasError()) {
            throw new IllegalStateException(function.getName() + "() failed: " + answer.getError().getMessage());
        }
        if (answer.getValue() == null || answer.getValue().equals("0x")) {
            throw new IllegalStateException(function.getName() + "() answered nothing: no gateway at this address?");
        }
        return FunctionReturnDecoder.decode(answer.getValue(), function.getOutputParameters());
    }

    @SuppressWarnings({"rawtypes", "unchecked"})
    private static List<String> addresses(List<Type> decoded) {
        List<Address> list = ((DynamicArray<Address>) decoded.get(0)).getValue();
        return list.stream().map(Address::getValue).toList();
    }

    private static List<String> localKeys(NodeConfig.ValidatorSettings validator) {
        return validator.keys().stream().map(k -> Credentials.create(k.hex()).getAddress()).toList();
    }

    /**
     * What differs between the configured set and threshold (and the node's own keys) and a gateway's; empty when
     * they agree. Addresses compare in any case; order does not matter.
     */
    static List<String> differences(List<String> configSet, int configThreshold, List<String> localKeys,
                                    List<String> gatewaySet, int gatewayThreshold) {
        Set<String> configured = lower(configSet);
        Set<String> onChain = lower(gatewaySet);
        List<String> out = new ArrayList<>();
        Set<String> missing = new TreeSet<>(configured);
        missing.removeAll(onChain);
        Set<String> extra = new TreeSet<>(onChain);
        extra.removeAll(configured);
        if (!missing.isEmpty()) {
            out.add("configured but not on the gateway: " + String.join(", ", missing));
        }
        if (!extra.isEmpty()) {
            out.add("on the gateway but not configured: " + String.join(", ", extra));
        }
        if (configThreshold != gatewayThreshold) {
            out.add("threshold " + configThreshold + " configured, " + gatewayThreshold + " on the gateway");
        }
        Set<String> strangers = new TreeSet<>(lower(localKeys));
        strangers.removeAll(onChain);
        if (!strangers.isEmpty()) {
            out.add("this node's key(s) " + String.join(", ", strangers) + " are no validator of the gateway: their signatures count for nothing");
        }
        return Collections.unmodifiableList(out);
    }

    private static Set<String> lower(List<String> addresses) {
        return addresses.stream().map(a -> a.toLowerCase(Locale.ROOT)).collect(Collectors.toCollection(TreeSet::new));
    }
}
