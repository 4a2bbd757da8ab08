package io.courier.relayer.cli;

import io.courier.relayer.config.NodeConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code courier config validate --config FILE}: load and check a node config without starting anything. */
@Command(name = "config", mixinStandardHelpOptions = true, description = "Configuration tools.", subcommands = ConfigCommand.Validate.class)
final class ConfigCommand {

    @Command(name = "validate", mixinStandardHelpOptions = true,
            description = "Check a node config file with the node's own loader, as `run` would; print what it configures"
                    + " (never secrets). Then read each chain's gateway validator set and compare it with courier.validator"
                    + " (a gateway that cannot be read is reported as not checked). Exits 2 naming the first invalid key,"
                    + " or when a gateway's validator set differs.")
    static final class Validate implements Callable<Integer> {
        @Option(names = "--config", required = true, description = "HOCON file layered over reference.conf")
        Path config;

        @Option(names = "--offline", description = "Do not contact the chains (no validator-set check).")
        boolean offline;

        @Option(names = "--chain-timeout", defaultValue = "5s", converter = TransferCommand.DurationConverter.class,
                description = "Longest wait for each gateway read (default ${DEFAULT-VALUE}).")
        java.time.Duration chainTimeout;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            Optional<NodeConfig> loaded = ConfigFile.loadForRun(config, spec.commandLine().getErr());
            if (loaded.isEmpty()) {
                return ConfigFile.INVALID;
            }
            NodeConfig c = loaded.get();
            // secrets by where they came from (a key name or a file), never by value
            out.printf("ok: %s is a valid node config%n", config);
            out.printf("  node %s%n", c.nodeName());
            out.printf("  cassandra %s, datacenter %s, keyspace %s%s%n",
                    c.cassandra().contactPoints().stream().map(a -> a.getHostString() + ":" + a.getPort()).collect(Collectors.joining(",")),
                    c.cassandra().localDatacenter(), c.cassandra().keyspace(),
                    c.cassandra().createKeyspace() ? " (created at start, replication " + c.cassandra().replicationFactor() + ")" : "");
            out.printf("  api %s:%d, admin token %s%n", c.api().host(), c.api().port(),
                    c.api().adminToken().map(t -> "from " + t.source()).orElse("not set (admin routes answer 403)"));
            out.printf("  validator threshold %d of %d, %d local key(s)%s%n", c.validator().threshold(), c.validator().set().size(),
                    c.validator().keys().size(), c.validator().keys().isEmpty() ? ""
                            : " from " + c.validator().keys().stream().map(NodeConfig.Secret::source).collect(Collectors.joining(", ")));
            out.printf("  submitter key from %s%n", c.submitter().key().orElseThrow().source());
            c.chains().forEach(ch -> out.printf("  chain %d %s gateway %s finality %s, %d endpoint(s)%n",
                    ch.chainId(), ch.name(), ch.gateway(), ch.finality(), ch.rpcUrls().size()));
            out.printf("  %d route SLA(s), default %s%n", c.monitor().slaByRoute().size(), c.monitor().defaultSla());
            out.printf("  api cors %s, max request %d bytes, request timeout %s%n",
                    c.api().http().corsAllowedOrigins().isEmpty() ? "off" : String.join(",", c.api().http().corsAllowedOrigins()),
                    c.api().http().maxRequestBytes(), c.api().http().requestTimeout());
            if (offline) {
                out.println("  validator sets of the gateways: not checked (--offline)");
                out.flush();
                return ExitCodes.OK;
            }
            // every gateway at once: an unreachable endpoint costs one timeout, not one per chain
            List<java.util.concurrent.CompletableFuture<GatewayValidatorCheck.Verdict>> checks = c.chains().stream()
                    .map(ch -> java.util.concurrent.CompletableFuture.supplyAsync(() -> GatewayValidatorCheck.check(ch, c.validator(), chainTimeout)))
                    .toList();
            boolean differs = false;
            for (java.util.concurrent.CompletableFuture<GatewayValidatorCheck.Verdict> check : checks) {
                GatewayValidatorCheck.Verdict v = check.join();
                (v.kind() == GatewayValidatorCheck.Kind.DIFFERS ? err : out).println("  " + v.line());
                differs |= v.kind() == GatewayValidatorCheck.Kind.DIFFERS;
            }
            out.flush();
            err.flush();
            return differs ? ExitCodes.USAGE : ExitCodes.OK;
        }
    }
}
