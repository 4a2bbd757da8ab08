package io.courier.relayer.cli;

import io.courier.relayer.config.ConfigException;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.config.NodeConfigLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Optional;

/** Loads a node config for a command; an invalid one is printed (path and problem) and the command exits 2. */
final class ConfigFile {

    static final int INVALID = ExitCodes.USAGE;

    private ConfigFile() {}

    static Optional<NodeConfig> load(Path file) {
        return load(file, new PrintWriter(System.err, true));
    }

    static Optional<NodeConfig> load(Path file, PrintWriter err) {
        try {
            return Optional.of(NodeConfigLoader.fromEnvironment().load(file));
        } catch (ConfigException e) {
            err.println("invalid config: " + e.getMessage());
            return Optional.empty();
        } catch (com.typesafe.config.ConfigException e) {
            // HOCON syntax, or a ${VAR} the environment does not set: its message names the file, line and variable
            err.println("invalid config: " + e.getMessage());
            return Optional.empty();
        }
    }

    /**
     * A config a node can start with: loaded, and holding what {@code run} needs beyond the loader's checks
     * (the submitter key, which the chain commands do without).
     */
    static Optional<NodeConfig> loadForRun(Path file, PrintWriter err) {
        Optional<NodeConfig> loaded = load(file, err);
        if (loaded.isPresent() && loaded.get().submitter().key().isEmpty()) {
            err.println("invalid config: courier.submitter.key-file: not set, and neither is COURIER_SUBMITTER_KEY;"
                    + " a node cannot pay for destination transactions without it");
            return Optional.empty();
        }
        return loaded;
    }
}
