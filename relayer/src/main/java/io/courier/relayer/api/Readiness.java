package io.courier.relayer.api;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * A readiness verdict per dependency: {@code "cassandra"} and {@code "chain:<id>"} (others may be added). The
 * node is ready when every dependency is ok; a {@code Readiness} with no dependency is ready.
 */
public record Readiness(Map<String, Check> dependencies) {

    public Readiness {
        dependencies = Collections.unmodifiableMap(new TreeMap<>(Objects.requireNonNull(dependencies, "dependencies")));
    }

    /** The verdict on one dependency: ok, or the error that makes it not ready. */
    public record Check(boolean ok, String error) {
        /** The dependency is usable. */
        public static final Check OK = new Check(true, null);

        public Check {
            if (!ok && (error == null || error.isBlank())) {
                throw new IllegalArgumentException("a failed check needs an error");
            }
            if (ok) {
                error = null;
            }
        }

        public static Check error(String error) {
            return new Check(false, error);
        }
    }

    public boolean ready() {
        return dependencies.values().stream().allMatch(Check::ok);
    }

    /** This verdict and {@code other}'s together ({@code other} wins on a name both have). */
    public Readiness and(Readiness other) {
        TreeMap<String, Check> all = new TreeMap<>(dependencies);
        all.putAll(other.dependencies);
        return new Readiness(all);
    }
}
