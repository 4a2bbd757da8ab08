package io.courier.relayer.monitor;

import io.courier.chain.message.MessageId;
import io.courier.finality.StuckRule;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransferStore;
import io.courier.relayer.stage.StageDeadline;
import io.courier.relayer.status.StuckTransfers;
import io.courier.relayer.telemetry.CourierMetrics;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.SupervisorStrategy;
import org.apache.pekko.actor.typed.javadsl.AbstractBehavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.Receive;

/**
 * The long-horizon monitor: on a timer it walks every destination's day-bucketed work index of open transfers
 * (so work and memory follow open transfers, not history), and reports the stuck ones — non-terminal and older
 * than their route's SLA — as gauges, as the {@code ?stuck=true} list, and with one log line when a transfer
 * becomes stuck. Time comes from the injected clock, so tests can cross days.
 *
 * <p>An UNDERPAID transfer waits for its user (a {@code payForGas} top-up), not for Courier: it is never stuck, whatever
 * its age, and is counted apart ({@code courier_transfers_underpaid{route}}) so an operator sees how many wait on dApps.
 */
public final class StuckMonitor extends AbstractBehavior<StuckMonitor.Command> {

    public sealed interface Command {}

    private enum Walk implements Command { INSTANCE }

    private record Walked(List<Transfer> open, Throwable error) implements Command {}

    /** What the monitor needs. */
    public record Wiring(List<Long> destinations, TransferStore transfers, StuckRule rule, Duration interval,
                         int lookbackDays, int limitPerDestination, CourierMetrics metrics, Clock clock) {}

    /** Holds the last walk's stuck list for the API: readers never wait for the actor. */
    public static final class Board implements StuckTransfers {
        private final AtomicReference<List<Transfer>> stuck = new AtomicReference<>(List.of());

        @Override
        public List<Transfer> current() {
            return stuck.get();
        }
    }

    public static Behavior<Command> create(Wiring wiring, Board board) {
        Behavior<Command> behavior = Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
            timers.startTimerWithFixedDelay(Walk.INSTANCE, Duration.ofSeconds(1), wiring.interval());
            return new StuckMonitor(ctx, wiring, board);
        }));
        return Behaviors.supervise(behavior).onFailure(SupervisorStrategy.restart());
    }

    private final Wiring w;
    private final Board board;
    private final Set<MessageId> reported = new HashSet<>();
    private final Set<String> labelled = new HashSet<>();
    private boolean walking;

    private StuckMonitor(ActorContext<Command> ctx, Wiring wiring, Board board) {
        super(ctx);
        ctx.setLoggerName(StuckMonitor.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
        this.w = wiring;
        this.board = board;
    }

    @Override
    public Receive<Command> createReceive() {
        return newReceiveBuilder()
                .onMessageEquals(Walk.INSTANCE, this::onWalk)
                .onMessage(Walked.class, this::onWalked)
                .build();
    }

    private Behavior<Command> onWalk() {
        if (walking) {
            return this;
        }
        walking = true;
        LocalDate today = LocalDate.ofInstant(w.clock().instant(), ZoneOffset.UTC);
        List<CompletableFuture<List<Transfer>>> walks = new ArrayList<>();
        for (long dst : w.destinations()) {
            walks.add(w.transfers().open(dst, today.minusDays(w.lookbackDays()), today.plusDays(1), w.limitPerDestination())
                    .toCompletableFuture());
        }
        CompletableFuture<List<Transfer>> all = CompletableFuture.allOf(walks.toArray(CompletableFuture[]::new))
                .thenApply(x -> walks.stream().flatMap(f -> f.join().stream()).toList());
        getContext().pipeToSelf(StageDeadline.within(all, Duration.ofSeconds(120), "walking open transfers"), Walked::new);
        return this;
    }

    private Behavior<Command> onWalked(Walked walked) {
        walking = false;
        if (walked.error() != null) {
            getContext().getLog().warn("stuck monitor: walking open transfers failed, next walk retries: {}", walked.error().toString());
            return this;
        }
        Instant now = w.clock().instant();
        Map<String, Integer> stuckGauge = new HashMap<>();
        Map<String, Integer> ageGauge = new HashMap<>();
        Map<String, Integer> underpaidGauge = new HashMap<>();
        List<Transfer> stuck = new ArrayList<>();
        Set<MessageId> stillStuck = new HashSet<>();
        for (Transfer t : walked.open()) {
            if (t.status().isTerminal()) {
                continue; // index row not yet cleaned up
            }
            if (t.status() == TransferStatus.UNDERPAID) {
                underpaidGauge.merge(t.route(), 1, Integer::sum); // waits for its user: counted apart, never stuck
                continue;
            }
            Duration age = w.rule().age(t, now);
            ageGauge.merge(t.route() + "|" + StuckRule.AgeBucket.of(age).label(), 1, Integer::sum);
            if (w.rule().isStuck(t, now)) {
                stuck.add(t);
                stillStuck.add(t.id());
                stuckGauge.merge(t.route() + "|" + t.status().name(), 1, Integer::sum);
                if (reported.add(t.id())) {
                    getContext().getLog().warn("transfer {} on route {} is STUCK in {} for {} (SLA {}); source tx {}",
                            t.id(), t.route(), t.status(), age, w.rule().sla(t.route()), t.source().txHash());
                }
            }
        }
        reported.retainAll(stillStuck);
        // zero the series seen before so a cleared route drops to 0 rather than keeping its last value
        for (String key : labelled) {
            String[] parts = key.split("\\|", 3);
            if (parts[0].equals("stuck")) {
                w.metrics().transfersStuck.labelValues(parts[1], parts[2]).set(0);
            } else if (parts[0].equals("underpaid")) {
                w.metrics().transfersUnderpaid.labelValues(parts[1]).set(0);
            } else {
                w.metrics().transfersOpenByAge.labelValues(parts[1], parts[2]).set(0);
            }
        }
        stuckGauge.forEach((key, n) -> {
            String[] parts = key.split("\\|", 2);
            w.metrics().transfersStuck.labelValues(parts[0], parts[1]).set(n);
            labelled.add("stuck|" + key);
        });
        ageGauge.forEach((key, n) -> {
            String[] parts = key.split("\\|", 2);
            w.metrics().transfersOpenByAge.labelValues(parts[0], parts[1]).set(n);
            labelled.add("age|" + key);
        });
        underpaidGauge.forEach((route, n) -> {
            w.metrics().transfersUnderpaid.labelValues(route).set(n);
            labelled.add("underpaid|" + route + "|");
        });
        stuck.sort(Comparator.comparing(Transfer::createdAt));
        board.stuck.set(List.copyOf(stuck));
        return this;
    }
}
