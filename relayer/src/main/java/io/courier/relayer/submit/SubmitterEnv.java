package io.courier.relayer.submit;

import io.courier.chain.message.Address;
import io.courier.relayer.config.NodeConfig.SubmitterSettings;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * What both phases of a submitter share: its actor context and timers, the wiring, and what is derived from it once (the
 * gateway port, the fee quotes, the signer). Immutable.
 */
final class SubmitterEnv {

    private static final Duration STEP_DEADLINE = Duration.ofSeconds(60);

    final ActorContext<Submitter.Command> ctx;
    final TimerScheduler<Submitter.Command> timers;
    final Submitter.Wiring w;
    final SubmitterSettings s;
    final ChainSigner account;
    final Address signer;
    final DestinationGateway gateway;
    final FeeQuotes fees;

    SubmitterEnv(ActorContext<Submitter.Command> ctx, TimerScheduler<Submitter.Command> timers, Submitter.Wiring w) {
        ctx.setLoggerName(Submitter.class); // detected from the stack, the name can come out as ActorCell (kept at WARN)
        this.ctx = ctx;
        this.timers = timers;
        this.w = w;
        this.s = w.settings();
        this.account = new ChainSigner(w.chainId(), w.signer());
        this.signer = account.address();
        this.gateway = new ChainGateway(w.client(), w.gateway(), signer);
        this.fees = new FeeQuotes(w.client(), w.fees());
    }

    /** {@code stage}, failed when it does not finish within the step deadline ({@code what} names it). */
    <T> CompletionStage<T> within(CompletionStage<T> stage, String what) {
        return w.deadlines().within(stage, STEP_DEADLINE, what);
    }

    CompletionStage<NonceRecovery.Plan> readNoncePlan() {
        return NonceManager.readPlan(w.client(), w.submissions(), w.transfers(), w.chainId(), signer);
    }
}
