package io.courier.relayer.price;

import io.courier.chain.CallRequest;
import io.courier.chain.ChainClient;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.oracle.PriceBook;
import io.courier.oracle.QuotePolicy;
import io.courier.oracle.QuoteResult;
import io.courier.oracle.Quoter;
import io.courier.oracle.onchain.GasData;
import io.courier.oracle.onchain.GasOracleAbi;
import io.courier.oracle.onchain.MoveBound;
import io.courier.oracle.onchain.UpdateDecision;
import io.courier.oracle.onchain.UpdatePolicy;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.OraclePrices;
import io.courier.relayer.telemetry.CourierMetrics;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;
import org.web3j.crypto.Credentials;
import org.web3j.crypto.Hash;
import org.web3j.crypto.RawTransaction;
import org.web3j.crypto.TransactionEncoder;
import org.web3j.utils.Numeric;

/**
 * The GasOracle updater role (issue 11 part 3): on a timer, for each source chain with a {@code GasOracle}, it builds
 * every route's target from the node's prices ({@link Quoter}: the inputs {@code GET /v1/quote} uses), reads what the
 * contract holds and its bound, lets {@link UpdateDecision} choose, and sends one {@code update} transaction with the
 * destinations to push, signed by the updater's own key. One round per chain at a time: a round reads, decides and
 * sends; later ticks poll its receipt; only then may the next round start (so its nonce and the contract's values are
 * what the previous round left). Everything chain-bound comes back through {@code pipeToSelf}: the actor never
 * blocks, and its state is touched only in its own messages.
 */
public final class GasOracleUpdater extends AbstractBehavior<GasOracleUpdater.Command> {

    public sealed interface Command {}

    /** Start a round on each idle chain, poll the receipt of each sent one (the timer sends it; tests too). */
    public enum Tick implements Command { INSTANCE }

    private record RoundDone(long chainId, Round round, Throwable error) implements Command {}

    private record ReceiptRead(long chainId, TxHash tx, Optional<TxReceipt> receipt, Throwable error) implements Command {}

    /** A source chain whose GasOracle this node keeps priced; {@code name} labels its metrics, as every chain's. */
    public record Target(long chainId, String name, ChainClient client, Address gasOracle) {
        public Target {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(client, "client");
            Objects.requireNonNull(gasOracle, "gasOracle");
        }
    }

    /**
     * @param names       every quoted chain's name by id: a destination's name labels its {@code destination} in
     *                    {@code courier_oracle_updates_total}, as a source's {@link Target#name()} labels {@code chain}
     * @param key         the updater's own key (the GasOracle's {@code updater}); never a validator's or the submitter's
     * @param maxGasLimit an update whose estimate (plus a fifth) exceeds this is not sent
     * @param timeout     how long a round's reads and send, or its wait for a receipt, may take before it is dropped
     */
    public record Wiring(List<Target> chains, Map<Long, String> names, Credentials key, QuotePolicy quotes, OraclePrices prices,
                         UpdatePolicy policy, Duration interval, Duration timeout, long maxGasLimit, CourierMetrics metrics, Clock clock) {
        public Wiring {
            chains = List.copyOf(chains);
            names = Map.copyOf(names);
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(quotes, "quotes");
            for (long chainId : quotes.chains()) {
                if (!names.containsKey(chainId)) {
                    // refused at start: its counters could not be declared, nor its pushes counted
                    throw new IllegalArgumentException("gas oracle updater: quoted chain " + chainId + " has no name to label"
                            + " courier_oracle_updates_total{destination} with; names known: " + names);
                }
            }
        }

        /** The destinations a round on {@code source} prices: every other quoted chain, in id order. */
        List<Long> destinations(long source) {
            return quotes.chains().stream().filter(dst -> dst != source).sorted().toList();
        }
    }

    /** What a round ended with: nothing to push, or a transaction sent for {@code pushes} (by destination). */
    private sealed interface Round {}

    private record Held(Map<Long, String> skipped) implements Round {}

    private record Sent(TxHash tx, Map<Long, UpdateDecision.Push> pushes, Map<Long, String> skipped) implements Round {}

    /** A chain's round in flight: reading/sending, or waiting for {@code tx}'s receipt since {@code sentAt}. */
    private sealed interface Busy {}

    private record Running(Instant since) implements Busy {}

    private record Mining(Sent sent, Instant since) implements Busy {}

    public static Behavior<Command> create(Wiring wiring) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            // the first round one interval in: the price poller, started with the node, has had its first poll by then
            timers.startTimerWithFixedDelay(Tick.INSTANCE, wiring.interval(), wiring.interval());
            return new GasOracleUpdater(ctx, wiring);
        }));
        return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart());
    }

    /** Without the timer: works only when told {@link Tick} (tests). */
    public static Behavior<Command> manual(Wiring wiring) {
        return Behaviors.setup(ctx -> new GasOracleUpdater(ctx, wiring));
    }

    private final Wiring w;
    private final Address updater;
    private final Map<Long, Target> targets = new LinkedHashMap<>();
    private final Map<Long, Busy> busy = new HashMap<>();
    /** Per chain, the destinations last skipped and why: logged when it changes, not every round. */
    private final Map<Long, Map<Long, String>> lastSkipped = new HashMap<>();

    private GasOracleUpdater(ActorContext<Command> ctx, Wiring wiring) {
        super(ctx);
        ctx.setLoggerName(GasOracleUpdater.class);
        this.w = wiring;
        this.updater = Address.fromHex(wiring.key().getAddress());
        w.chains().forEach(t -> {
            targets.put(t.chainId(), t);
            w.metrics().declareOracleUpdater(t.name(), w.destinations(t.chainId()).stream().map(w.names()::get).toList());
        });
        ctx.getLog().info("gas oracle updater {} keeps {} priced", updater,
                w.chains().stream().map(t -> t.chainId() + " (" + t.gasOracle() + ")").toList());
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Tick.INSTANCE, this::onTick)
                .onMessage(RoundDone.class, this::onRoundDone)
                .onMessage(ReceiptRead.class, this::onReceipt)
                .build();
    }

    private Behavior<Command> onTick() {
        Instant now = w.clock().instant();
        PriceBook book = w.prices().current();
        for (Target t : targets.values()) {
            Busy b = busy.get(t.chainId());
            if (b == null) {
                busy.put(t.chainId(), new Running(now));
                getContext().pipeToSelf(StageDeadline.within(round(t, book, now), w.timeout(), "gas oracle round on chain " + t.chainId()),
                        (round, error) -> new RoundDone(t.chainId(), round, error));
            } else if (b instanceof Mining m) {
                if (Duration.between(m.since(), now).compareTo(w.timeout()) > 0) {
                    // dropped, not forgotten: the next round reads the contract again and decides afresh
                    getContext().getLog().warn("chain {}: gas oracle update {} not mined within {}; reading the contract again",
                            t.chainId(), m.sent().tx(), w.timeout());
                    busy.remove(t.chainId());
                    continue;
                }
                getContext().pipeToSelf(t.client().receipt(m.sent().tx()),
                        (receipt, error) -> new ReceiptRead(t.chainId(), m.sent().tx(), receipt, error));
            }
        }
        return this;
    }

    /**
     * One chain's round, off the actor: targets from {@code book} (taken in the actor), the contract's values and bound,
     * the decision, and, when anything is to be pushed, the pre-flight, signing and sending of one update.
     */
    private CompletionStage<Round> round(Target t, PriceBook book, Instant now) {
        Map<Long, GasData> wanted = new LinkedHashMap<>();
        Map<Long, String> skipped = new LinkedHashMap<>();
        w.destinations(t.chainId()).forEach(dst -> {
            QuoteResult q = Quoter.quote(book, w.quotes(), t.chainId(), dst, 0, now);
            if (q instanceof QuoteResult.Quote quote) {
                try {
                    wanted.put(dst, GasData.of(quote));
                } catch (IllegalArgumentException e) {
                    skipped.put(dst, "its values do not fit the contract: " + e.getMessage());
                }
            } else {
                skipped.put(dst, ((QuoteResult.Refused) q).detail());
            }
        });
        if (wanted.isEmpty()) {
            return CompletableFuture.completedFuture(new Held(skipped));
        }
        ChainClient client = t.client();
        CompletionStage<MoveBound> bound = client.call(CallRequest.to(t.gasOracle(), GasOracleAbi.maxFactorBps()))
                .thenApply(a -> new MoveBound(GasOracleAbi.decodeWord(a, "maxFactorBps()").longValueExact()));
        List<CompletableFuture<Map.Entry<Long, Optional<UpdateDecision.OnChain>>>> reads = new ArrayList<>();
        wanted.keySet().forEach(dst -> reads.add(client.call(CallRequest.to(t.gasOracle(), GasOracleAbi.gasData(dst)))
                .thenApply(a -> Map.entry(dst, GasOracleAbi.decodeGasData(a))).toCompletableFuture()));
        return bound.thenCombine(CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)), (b, x) -> b).thenCompose(b -> {
            Map<Long, UpdateDecision.Push> pushes = new LinkedHashMap<>();
            for (CompletableFuture<Map.Entry<Long, Optional<UpdateDecision.OnChain>>> read : reads) {
                Map.Entry<Long, Optional<UpdateDecision.OnChain>> held = read.join();
                if (UpdateDecision.decide(held.getValue(), wanted.get(held.getKey()), w.policy(), b, now) instanceof UpdateDecision.Push p) {
                    pushes.put(held.getKey(), p);
                }
            }
            if (pushes.isEmpty()) {
                return CompletableFuture.completedFuture((Round) new Held(skipped));
            }
            Map<Long, GasData> values = new LinkedHashMap<>();
            pushes.forEach((dst, p) -> values.put(dst, p.values()));
            return send(t, GasOracleAbi.update(values)).thenApply(tx -> (Round) new Sent(tx, pushes, skipped));
        });
    }

    /** Pre-flight (a revert such as {@code NotUpdater} fails here, costing nothing), then sign and send at the pending nonce. */
    private CompletionStage<TxHash> send(Target t, String data) {
        ChainClient client = t.client();
        CallRequest call = CallRequest.to(t.gasOracle(), data).from(updater);
        return client.estimateGas(call).thenCompose(estimate -> {
            BigInteger limit = estimate.add(estimate.divide(BigInteger.valueOf(5)));
            if (limit.compareTo(BigInteger.valueOf(w.maxGasLimit())) > 0) {
                throw new IllegalStateException("chain " + t.chainId() + ": gas oracle update needs " + limit
                        + " gas, above courier.oracle.updater.max-gas-limit " + w.maxGasLimit());
            }
            return client.nonce(updater, true).thenCombine(client.gasPrice(), (nonce, gasPrice) -> {
                RawTransaction tx = RawTransaction.createTransaction(BigInteger.valueOf(nonce), gasPrice, limit, t.gasOracle().toHex(),
                        BigInteger.ZERO, data);
                return Numeric.toHexString(TransactionEncoder.signMessage(tx, t.chainId(), w.key()));
            });
        }).thenCompose(raw -> client.sendRawTransaction(raw).thenApply(h -> TxHash.fromHex(Hash.sha3(raw))));
    }

    private Behavior<Command> onRoundDone(RoundDone done) {
        if (done.error() != null) {
            busy.remove(done.chainId());
            getContext().getLog().warn("chain {}: gas oracle round failed, the next tick retries: {}", done.chainId(),
                    describe(done.error()));
            return this;
        }
        Map<Long, String> skipped = done.round() instanceof Sent s ? s.skipped() : ((Held) done.round()).skipped();
        if (!skipped.equals(lastSkipped.put(done.chainId(), skipped)) && !skipped.isEmpty()) {
            getContext().getLog().warn("chain {}: gas oracle not updated for destinations {}", done.chainId(), skipped);
        }
        if (done.round() instanceof Sent sent) {
            busy.put(done.chainId(), new Mining(sent, w.clock().instant()));
            getContext().getLog().info("chain {}: gas oracle update {} sent for {}", done.chainId(), sent.tx(), describe(sent.pushes()));
        } else {
            busy.remove(done.chainId());
        }
        return this;
    }

    private Behavior<Command> onReceipt(ReceiptRead read) {
        if (!(busy.get(read.chainId()) instanceof Mining m) || !m.sent().tx().equals(read.tx())) {
            return this; // an answer for a round already dropped
        }
        if (read.error() != null || read.receipt().isEmpty()) {
            return this; // not mined yet, or the endpoint failed: the next tick asks again
        }
        TxReceipt receipt = read.receipt().get();
        busy.remove(read.chainId());
        String chain = targets.get(read.chainId()).name();
        receipt.feePaid().ifPresent(wei -> w.metrics().oracleUpdateGasSpent.labelValues(chain).inc(wei.doubleValue()));
        if (receipt.succeeded()) {
            m.sent().pushes().forEach((dst, p) -> w.metrics().oracleUpdates.labelValues(chain, w.names().get(dst), p.reason().label()).inc());
            getContext().getLog().info("chain {}: gas oracle updated in block {} by {} ({} gas)", read.chainId(), receipt.blockNumber(),
                    read.tx(), receipt.gasUsed());
        } else {
            getContext().getLog().warn("chain {}: gas oracle update {} reverted in block {} (values moved on chain between the read"
                    + " and the send, or the updater was replaced); the next round reads again", read.chainId(), read.tx(),
                    receipt.blockNumber());
        }
        return this;
    }

    private static String describe(Map<Long, UpdateDecision.Push> pushes) {
        List<String> parts = new ArrayList<>();
        pushes.forEach((dst, p) -> parts.add(dst + ": " + p.reason().label() + (p.partial() ? " (bounded step)" : "")
                + " gasPrice " + p.values().gasPrice() + " ratio " + p.values().tokenRatio()));
        return String.join(", ", parts);
    }

    private static String describe(Throwable e) {
        Throwable cause = e instanceof java.util.concurrent.CompletionException && e.getCause() != null ? e.getCause() : e;
        return cause.toString();
    }
}
