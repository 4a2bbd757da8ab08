package io.courier.relayer.node;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.ValidatorSignature;
import io.courier.relayer.attest.Attester;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import io.courier.relayer.handoff.AttestRequests;
import io.courier.relayer.handoff.CheckpointRequests;
import io.courier.relayer.handoff.DeliveryRequests;
import io.courier.relayer.monitor.StuckMonitor;
import io.courier.relayer.price.PriceWatcher;
import io.courier.relayer.submit.Submitter;
import io.courier.relayer.watch.ChainWatcher;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.AskPattern;
import org.apache.pekko.actor.typed.javadsl.Behaviors;

/**
 * The root actor: spawns the attester, one submitter per destination, one watcher per chain and the
 * long-horizon monitor and the price poller. Each child is
 * supervised on its own (restart with backoff), so one chain that fails does not stop the others.
 */
public final class NodeGuardian {

    private NodeGuardian() {}

    /** How to build each child once the refs it needs exist. */
    public record Blueprint(
            List<ChainSettings> chains,
            Function<DeliveryRequests, Attester.Wiring> attester,
            SubmitterBlueprint submitter,
            BiFunction<ChainSettings, AttestRequests, ChainWatcher.Wiring> watcher,
            StuckMonitor.Wiring monitor,
            StuckMonitor.Board stuckBoard,
            PriceWatcher.Wiring prices,
            PriceWatcher.Board priceBoard,
            int localValidatorKeys) {}

    /** A destination's submitter, given the attester's two doors: attestation requests and checkpoint signing. */
    @FunctionalInterface
    public interface SubmitterBlueprint {
        Submitter.Wiring wiring(ChainSettings chain, AttestRequests attester, CheckpointRequests checkpoints);
    }

    /** How long a submitter waits for the attester's checkpoint signatures before it delivers per-message signatures. */
    private static final Duration CHECKPOINT_ASK_TIMEOUT = Duration.ofSeconds(30);

    public static Behavior<Void> create(Blueprint blueprint) {
        return Behaviors.setup(ctx -> {
            // the attester hands work to the submitters and they to it: the attester gets a map filled below
            Map<Long, ActorRef<Submitter.Command>> submitters = new ConcurrentHashMap<>();
            DeliveryRequests delivery = (dstChainId, id) -> {
                ActorRef<Submitter.Command> submitter = submitters.get(dstChainId);
                if (submitter != null) {
                    submitter.tell(new Submitter.Ready(id));
                }
            };
            ActorRef<Attester.Command> attester = ctx.spawn(Attester.create(blueprint.attester().apply(delivery)), "attester");
            AttestRequests toAttester = new AttestRequests() {
                @Override
                public void attest(io.courier.finality.Transfer finalized) {
                    attester.tell(new Attester.Attest(finalized));
                }

                @Override
                public void attestVouched(io.courier.finality.Transfer finalized) {
                    attester.tell(new Attester.Attest(finalized, true));
                }
            };
            int localSigners = blueprint.localValidatorKeys();
            CheckpointRequests checkpoints = new CheckpointRequests() {
                @Override
                public CompletionStage<List<ValidatorSignature>> sign(List<CrossChainMessage> range, String dstGateway) {
                    return AskPattern.<Attester.Command, List<ValidatorSignature>>ask(attester,
                            replyTo -> new Attester.SignCheckpoint(range, dstGateway, replyTo), CHECKPOINT_ASK_TIMEOUT,
                            ctx.getSystem().scheduler());
                }

                @Override
                public int signers() {
                    return localSigners;
                }
            };
            Map<Long, ActorRef<Submitter.Command>> spawned = new HashMap<>();
            for (ChainSettings chain : blueprint.chains()) {
                spawned.put(chain.chainId(), ctx.spawn(Submitter.create(blueprint.submitter().wiring(chain, toAttester, checkpoints)),
                        "submitter-" + chain.chainId()));
            }
            submitters.putAll(spawned);
            for (ChainSettings chain : blueprint.chains()) {
                ctx.spawn(ChainWatcher.create(chain, blueprint.watcher().apply(chain, toAttester)), "watcher-" + chain.chainId());
            }
            ctx.spawn(StuckMonitor.create(blueprint.monitor(), blueprint.stuckBoard()), "stuck-monitor");
            ctx.spawn(PriceWatcher.create(blueprint.prices(), blueprint.priceBoard()), "price-watcher");
            return Behaviors.empty();
        });
    }
}
