package io.courier.relayer.cli;

import io.courier.relayer.config.NodeConfig;
import io.courier.relayer.node.CourierNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code courier run --config FILE}: a node against real endpoints and a Cassandra cluster, until stopped. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a relayer node until SIGTERM/Ctrl-C.")
final class RunCommand implements Callable<Integer> {

    @Option(names = "--config", required = true, description = "HOCON file layered over reference.conf")
    Path config;

    @Override
    public Integer call() throws Exception {
        Optional<NodeConfig> loaded = ConfigFile.loadForRun(config, new java.io.PrintWriter(System.err, true));
        if (loaded.isEmpty()) {
            return ConfigFile.INVALID;
        }
        NodeConfig nodeConfig = loaded.get();
        CourierNode node = CourierNode.start(nodeConfig, Clock.systemUTC());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            node.close();
            stopped.countDown();
        }, "courier-shutdown"));
        System.out.println("courier node " + nodeConfig.nodeName() + " running; API " + node.apiUrl());
        stopped.await();
        return 0;
    }
}
