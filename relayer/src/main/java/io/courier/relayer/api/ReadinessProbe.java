package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Answers {@code /readyz}: whether each dependency of the node (Cassandra, every chain) is usable now. It must not
 * block; {@link HealthRoutes} gives it a deadline and treats a late or failed answer as not ready.
 */
@FunctionalInterface
public interface ReadinessProbe {

    CompletionStage<Readiness> check();

    /** Every probe's verdicts together (the probes run concurrently). */
    static ReadinessProbe all(List<ReadinessProbe> probes) {
        List<ReadinessProbe> copy = List.copyOf(probes);
        return () -> {
            CompletionStage<Readiness> result = CompletableFuture.completedFuture(new Readiness(new LinkedHashMap<>()));
            for (ReadinessProbe probe : copy) {
                result = result.thenCombine(probe.check(), Readiness::and);
            }
            return result;
        };
    }

    /**
     * {@code "chain:<id>"} for every chain of {@code source}: ok when the chain is healthy and not halted, else
     * the reason.
     */
    static ReadinessProbe chains(ChainStatusSource source) {
        Objects.requireNonNull(source, "source");
        return () -> source.chains().thenApply(chains -> {
            LinkedHashMap<String, Readiness.Check> checks = new LinkedHashMap<>();
            for (ChainStatus chain : chains) {
                Readiness.Check check;
                if (chain.halted()) {
                    check = Readiness.Check.error("halted: " + chain.haltReason());
                } else if (!chain.healthy()) {
                    check = Readiness.Check.error("unhealthy: RPC not answering or watcher not running");
                } else {
                    check = Readiness.Check.OK;
                }
                checks.put("chain:" + chain.chainId(), check);
            }
            return new Readiness(checks);
        });
    }
}
