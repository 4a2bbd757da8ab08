package io.courier.relayer.submit;

import io.courier.chain.GatewayCalldata;
import io.courier.relayer.submit.Submitter.Command;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.StashBuffer;

/**
 * A submitter's first phase: every unmined nonce of the signer is accounted for ({@link NonceRecovery}) and the gateway's
 * handler gas limit (and validator set, batching on) read before anything is signed, retried until it succeeds.
 * {@link Submitter.Ready} requests wait in the stash (the sweep finds any that overflow it). Timer ticks and late replies
 * of an earlier incarnation (same actor ref after a restart) are dropped: the running phase starts its own.
 */
final class LoadingPhase {

    /** What the running phase starts from. {@code validatorSet}: the gateway's, as its batched paths take it; empty when batching is off. */
    record Loaded(NonceRecovery.Plan plan, long handlerGasLimit, Optional<GatewayCalldata.ValidatorSet> validatorSet) {}

    private static final Duration LOAD_RETRY = Duration.ofSeconds(2);

    private LoadingPhase() {}

    static Behavior<Command> behavior(SubmitterEnv env, StashBuffer<Command> stash) {
        env.ctx.getSelf().tell(SubmitterReplies.LoadNonce.INSTANCE);
        return Behaviors.receive(Command.class)
                .onMessageEquals(SubmitterReplies.LoadNonce.INSTANCE, () -> {
                    load(env);
                    return Behaviors.same();
                })
                .onMessage(SubmitterReplies.NonceLoaded.class, done -> {
                    Optional<String> overCap = DeliveryCheck.handlerOverCap(done.loaded().handlerGasLimit(), env.s.maxGasLimit());
                    return overCap.isPresent() ? refusing(env, overCap.get())
                            : stash.unstashAll(new Submitter.Running(env, done.loaded()));
                })
                .onMessage(SubmitterReplies.StepFailed.class, failed -> {
                    if (failed.step() == SubmitterReplies.Step.LOAD_NONCE) {
                        env.ctx.getLog().warn("submitter {}: {} failed: {}", env.w.chainName(), failed.step().text,
                                Submitter.rootMessage(failed.error()));
                        env.timers.startSingleTimer(SubmitterReplies.LoadNonce.INSTANCE, LOAD_RETRY);
                    }
                    return Behaviors.same();
                })
                .onMessage(Submitter.Ready.class, ready -> {
                    if (!stash.isFull()) {
                        stash.stash(ready);
                    }
                    return Behaviors.same();
                })
                .onAnyMessage(other -> Behaviors.same())
                .build();
    }

    /**
     * No execute of this gateway can fit under the cap: every message would fail alike, so none is signed and no nonce
     * is taken. Transfers stay ATTESTED until an operator raises {@code max-gas-limit} (or redeploys the gateway with
     * a smaller handler gas) and restarts the node. Said once, as an error naming both numbers.
     */
    private static Behavior<Command> refusing(SubmitterEnv env, String reason) {
        env.ctx.getLog().error("submitter {} ({}): REFUSING to submit to this chain: {}. Nothing is signed for it until "
                + "submitter.max-gas-limit is raised (or the gateway's handler gas lowered) and the node restarted",
                env.w.chainName(), env.w.chainId(), reason);
        env.w.metrics().submissions.labelValues(env.w.chainName(), "refused_handler_over_cap").inc();
        return Behaviors.receive(Command.class).onAnyMessage(ignored -> Behaviors.same()).build();
    }

    private static void load(SubmitterEnv env) {
        // every unmined nonce of the signer is accounted for before anything new is signed: see NonceRecovery
        CompletionStage<Long> handlerGas = env.gateway.handlerGasLimit();
        // the batched paths carry the gateway's validator set in calldata, as the gateway stores it (ADR 008)
        CompletionStage<Optional<GatewayCalldata.ValidatorSet>> set = env.s.batch().enabled()
                ? env.gateway.validatorSet().thenApply(Optional::of)
                : CompletableFuture.completedFuture(Optional.empty());
        CompletionStage<Loaded> loaded = env.readNoncePlan().thenCombine(handlerGas, (plan, gas) -> new Loaded(plan, gas, Optional.empty()))
                .thenCombine(set, (l, vs) -> new Loaded(l.plan(), l.handlerGasLimit(), vs));
        env.ctx.pipeToSelf(env.within(loaded, "loading the nonce on " + env.w.chainName()),
                (l, e) -> e != null ? new SubmitterReplies.StepFailed(SubmitterReplies.Step.LOAD_NONCE, e) : new SubmitterReplies.NonceLoaded(l));
    }
}
