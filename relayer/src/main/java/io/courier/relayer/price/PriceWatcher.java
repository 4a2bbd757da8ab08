package io.courier.relayer.price;

import io.courier.oracle.AggregatedPrice;
import io.courier.oracle.AggregationPolicy;
import io.courier.oracle.Aggregator;
import io.courier.oracle.PriceBook;
import io.courier.oracle.SourceReading;
import io.courier.oracle.source.PriceSource;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.OraclePrices;
import io.courier.relayer.telemetry.CourierMetrics;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The price poller: on a timer it reads every source of every asset at once (each bounded by the source timeout, a
 * failure becoming a failing reading), aggregates each asset ({@link Aggregator}) and publishes the book on its
 * {@link Board} and in the {@code courier_oracle_*} metrics. One poll at a time; the reads come back through
 * {@code pipeToSelf}, so the actor never blocks and its state is touched only in its own messages.
 */
public final class PriceWatcher extends AbstractBehavior<PriceWatcher.Command> {

    public sealed interface Command {}

    /** Poll now (the timer sends it; tests too). */
    public enum Poll implements Command { INSTANCE }

    private record Polled(Map<String, List<SourceReading>> readings, Throwable error) implements Command {}

    /** One asset: its sources and how they are judged. */
    public record Asset(String name, AggregationPolicy policy, List<PriceSource> sources) {
        public Asset {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(policy, "policy");
            sources = List.copyOf(sources);
        }
    }

    public record Wiring(List<Asset> assets, Duration interval, Duration sourceTimeout, CourierMetrics metrics, Clock clock) {
        public Wiring {
            assets = List.copyOf(assets);
        }
    }

    /** Holds the latest book for the API. */
    public static final class Board implements OraclePrices {
        private final AtomicReference<PriceBook> book = new AtomicReference<>(PriceBook.EMPTY);

        @Override
        public PriceBook current() {
            return book.get();
        }
    }

    public static Behavior<Command> create(Wiring wiring, Board board) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Poll.INSTANCE, Duration.ZERO, wiring.interval());
            return new PriceWatcher(ctx, wiring, board);
        }));
        return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart());
    }

    /** Without the timer: polls only when told {@link Poll} (tests). */
    public static Behavior<Command> manual(Wiring wiring, Board board) {
        return Behaviors.setup(ctx -> new PriceWatcher(ctx, wiring, board));
    }

    private final Wiring w;
    private final Board board;
    private boolean polling;

    private PriceWatcher(ActorContext<Command> ctx, Wiring wiring, Board board) {
        super(ctx);
        ctx.setLoggerName(PriceWatcher.class);
        this.w = wiring;
        this.board = board;
        w.assets().forEach(a -> w.metrics().declareOracleAsset(a.name(), a.sources().stream().map(PriceSource::name).toList(),
                a.policy().minSources()));
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Poll.INSTANCE, this::onPoll)
                .onMessage(Polled.class, this::onPolled)
                .build();
    }

    private Behavior<Command> onPoll() {
        if (polling) {
            return this;
        }
        polling = true;
        Map<String, List<CompletableFuture<SourceReading>>> reads = new LinkedHashMap<>();
        for (Asset asset : w.assets()) {
            List<CompletableFuture<SourceReading>> own = new ArrayList<>();
            for (PriceSource source : asset.sources()) {
                // a source that does not answer in time fails this poll alone, not its asset or the others
                own.add(StageDeadline.within(source.read(), w.sourceTimeout(), "price source " + source.name() + " of " + asset.name())
                        .toCompletableFuture()
                        .exceptionally(e -> new SourceReading.Failed(asset.name(), source.name(), PriceSource.describe(e))));
            }
            reads.put(asset.name(), own);
        }
        CompletableFuture<Map<String, List<SourceReading>>> all = CompletableFuture
                .allOf(reads.values().stream().flatMap(List::stream).toArray(CompletableFuture[]::new))
                .thenApply(x -> {
                    Map<String, List<SourceReading>> done = new LinkedHashMap<>();
                    reads.forEach((asset, futures) -> done.put(asset, futures.stream().map(CompletableFuture::join).toList()));
                    return done;
                });
        getContext().pipeToSelf(StageDeadline.within(all, w.sourceTimeout().multipliedBy(2), "polling price sources"), Polled::new);
        return this;
    }

    private Behavior<Command> onPolled(Polled polled) {
        polling = false;
        if (polled.error() != null) {
            getContext().getLog().warn("price poll failed, the next one retries: {}", polled.error().toString());
            return this;
        }
        PriceBook book = board.current();
        for (Asset asset : w.assets()) {
            List<SourceReading> readings = polled.readings().getOrDefault(asset.name(), List.of());
            AggregatedPrice aggregate = Aggregator.aggregate(asset.name(), readings, asset.policy(), w.clock().instant());
            w.metrics().oracle(asset.name(), readings, aggregate);
            if (aggregate instanceof AggregatedPrice.NoPrice none && !(book.get(asset.name()).orElse(null) instanceof AggregatedPrice.NoPrice)) {
                getContext().getLog().warn("no price of {}: {}; rejected: {}", asset.name(), none.detail(), none.rejected());
            }
            book = book.with(aggregate);
        }
        board.book.set(book);
        return this;
    }
}
