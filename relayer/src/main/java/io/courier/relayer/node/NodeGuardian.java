package io.courier.relayer.node;

import io.courier.relayer.attest.Attester;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.monitor.StuckMonitor;
import io.courier.relayer.submit.Submitter;
import io.courier.relayer.watch.ChainWatcher;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root actor: spawns the attester, one submitter per destination, one watcher per chain and the
 * long-horizon monitor. Each child is
 * supervised on its own (restart with backoff), so one chain that fails does not stop the others.
 */
public final class NodeGuardian {

    private NodeGuardian() {}

    /** How to build each child once the refs it needs exist. */
    public record Blueprint(
            List<ChainSettings> chains,
            Function<Map<Long, ActorRef<Submitter.Command>>, Attester.Wiring> attester,
            java.util.function.BiFunction<ChainSettings, ActorRef<Attester.Command>, Submitter.Wiring> submitter,
            java.util.function.BiFunction<ChainSettings, ActorRef<Attester.Command>, ChainWatcher.Wiring> watcher,
            StuckMonitor.Wiring monitor,
            StuckMonitor.Board stuckBoard) {}

    public static Behavior<Void> create(Blueprint blueprint) {
        return Behaviors.setup(ctx -> {
            // the attester needs the submitters and the submitters the attester: hand the attester a map filled below
            Map<Long, ActorRef<Submitter.Command>> submitters = new java.util.concurrent.ConcurrentHashMap<>();
            ActorRef<Attester.Command> attester = ctx.spawn(Attester.create(blueprint.attester().apply(submitters)), "attester");
            Map<Long, ActorRef<Submitter.Command>> spawned = new HashMap<>();
            for (ChainSettings chain : blueprint.chains()) {
                spawned.put(chain.chainId(), ctx.spawn(Submitter.create(blueprint.submitter().apply(chain, attester)),
                        "submitter-" + chain.chainId()));
            }
            submitters.putAll(spawned);
            for (ChainSettings chain : blueprint.chains()) {
                ctx.spawn(ChainWatcher.create(chain, blueprint.watcher().apply(chain, attester)), "watcher-" + chain.chainId());
            }
            ctx.spawn(StuckMonitor.create(blueprint.monitor(), blueprint.stuckBoard()), "stuck-monitor");
            return Behaviors.empty();
        });
    }
}
