package io.courier.relayer.cli;

import io.courier.relayer.config.ConfigException;
import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.config.NodeConfigLoader;
import java.nio.file.Path;
import java.util.Optional;

/** Loads a node config for a command; an invalid one is printed (path and problem) and the command exits 2. */
final class ConfigFile {

    static final int INVALID = 2;

    private ConfigFile() {}

    static Optional<NodeConfig> load(Path file) {
        try {
            return Optional.of(NodeConfigLoader.fromEnvironment().load(file));
        } catch (ConfigException e) {
            System.err.println("invalid config: " + e.getMessage());
            return Optional.empty();
        }
    }
}
