package io.courier.relayer.cli;

import io.courier.relayer.config.NodeConfig;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code courier config validate --config FILE}: load and check a node config without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.", subcommands = ConfigCommand.Validate.class)
final class ConfigCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true, description = "Check a node config file; print what it configures (never secrets).")
    static final class Validate implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "HOCON file layered over reference.conf")
        Path config;

        @Override
        public Integer call() {
            Optional<NodeConfig> loaded = ConfigFile.load(config);
            if (loaded.isEmpty()) {
                return ConfigFile.INVALID;
            }
            NodeConfig c = loaded.get();
            System.out.printf("ok: node %s, %d chains, validator threshold %d of %d, %d local validator key(s), submitter key %s%n",
                    c.nodeName(), c.chains().size(), c.validator().threshold(), c.validator().set().size(),
                    c.validator().keys().size(), c.submitter().key().isPresent() ? "set" : "MISSING");
            c.chains().forEach(ch -> System.out.printf("  chain %d %s gateway %s finality %s, %d endpoint(s)%n",
                    ch.chainId(), ch.name(), ch.gateway(), ch.finality(), ch.rpcUrls().size()));
            return 0;
        }
    }
}
