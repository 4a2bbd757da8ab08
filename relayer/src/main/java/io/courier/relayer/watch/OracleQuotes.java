package io.courier.relayer.watch;

import io.courier.chain.CallRequest;
import io.courier.chain.ChainClient;
import io.courier.chain.message.Address;
import io.courier.oracle.QuotePolicy;
import io.courier.oracle.QuoteResult;
import io.courier.oracle.Quoter;
import io.courier.payment.Requirement;
import io.courier.relayer.status.OraclePrices;
import java.math.BigInteger;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link Quotes} from the node's latest aggregated prices ({@link Quoter}, what {@code GET /v1/quote} answers) for the
 * destination gateway's {@code handlerGasLimit}: the gas every message gets there, so what a dApp quoted with that gas
 * limit is what the node asks. The limit is immutable in the contract, read once per destination and kept.
 */
public final class OracleQuotes implements Quotes {

    private static final String HANDLER_GAS_LIMIT_CALL = org.web3j.abi.FunctionEncoder.encode(
            new org.web3j.abi.datatypes.Function("handlerGasLimit", List.of(), List.of()));

    private final OraclePrices prices;
    private final QuotePolicy policy;
    private final Map<Long, ChainClient> clients;
    private final Map<Long, Address> gateways;
    private final Clock clock;
    private final Map<Long, Long> handlerGas = new ConcurrentHashMap<>();

    public OracleQuotes(OraclePrices prices, QuotePolicy policy, Map<Long, ChainClient> clients, Map<Long, Address> gateways,
                        Clock clock) {
        this.prices = prices;
        this.policy = policy;
        this.clients = Map.copyOf(clients);
        this.gateways = Map.copyOf(gateways);
        this.clock = clock;
    }

    @Override
    public CompletionStage<Requirement> requirement(long from, long to) {
        return handlerGas(to).thenApply(gas -> {
            QuoteResult result = Quoter.quote(prices.current(), policy, from, to, gas, clock.instant());
            if (result instanceof QuoteResult.Quote q) {
                return (Requirement) new Requirement.Quoted(q.fee(), gas);
            }
            QuoteResult.Refused refused = (QuoteResult.Refused) result;
            return new Requirement.Unavailable(refused.refusal() + ": " + refused.detail());
        }).exceptionally(error -> new Requirement.Unavailable("the handler gas limit of chain " + to
                + "'s gateway could not be read: " + (error.getCause() != null ? error.getCause() : error)));
    }

    private CompletionStage<Long> handlerGas(long chain) {
        Long known = handlerGas.get(chain);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        ChainClient client = clients.get(chain);
        Address gateway = gateways.get(chain);
        if (client == null || gateway == null) {
            return CompletableFuture.failedFuture(new IllegalStateException("chain " + chain + " is not one of this node's"));
        }
        return client.call(CallRequest.to(gateway, HANDLER_GAS_LIMIT_CALL)).thenApply(hex -> {
            long gas = new BigInteger(hex.startsWith("0x") ? hex.substring(2) : hex, 16).longValueExact();
            handlerGas.put(chain, gas);
            return gas;
        });
    }
}
