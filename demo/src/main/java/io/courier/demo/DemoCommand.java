package io.courier.demo;

import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code courier demo}: the whole system on this machine, with live token transfers. */
@Command(name = "demo", mixinStandardHelpOptions = true, description = {
        "Start two local chains (Ganache), a local Cassandra, deploy Courier's contracts, run a node with its",
        "API and metrics, send token transfers both ways and show them moving through their states.",
        "Runs until Ctrl-C, or with --exit-when-done until the transfers are delivered and verified on chain."})
public final class DemoCommand implements Callable<Integer> {

    @Option(names = "--transfers", description = "Transfers to send (both directions); 0 = one every few seconds until Ctrl-C. Default: ${DEFAULT-VALUE}")
    int transfers = 0;

    @Option(names = "--exit-when-done", description = "Exit 0 once every transfer is DELIVERED and verified on chain, non-zero on timeout.")
    boolean exitWhenDone;

    @Option(names = "--timeout", description = "With --exit-when-done: give up after this many seconds. Default: ${DEFAULT-VALUE}")
    long timeoutSeconds = 300;

    @Option(names = "--api-port", description = "Port of the status API and /metrics (a free one if taken). Default: ${DEFAULT-VALUE}")
    int apiPort = 8080;

    @Option(names = "--confirmations", description = "Source confirmations before a block counts as final. Default: ${DEFAULT-VALUE}")
    int confirmations = 3;

    @Option(names = "--observability", description = "Also start an OTLP receiver for the node's traces and a Prometheus scraping it; print a trace at exit.")
    boolean observability;

    @Override
    public Integer call() throws Exception {
        if (exitWhenDone && transfers <= 0) {
            System.err.println("--exit-when-done needs --transfers N (N > 0)");
            return 2;
        }
        if (transfers < 0 || transfers > 10_000) {
            System.err.println("--transfers must be between 0 and 10000");
            return 2;
        }
        if (observability) { // Prometheus must know the port before the node takes it: it is chosen here
            int port = DemoObservability.freeOr(apiPort);
            Demo.Options options = new Demo.Options(transfers, exitWhenDone, Duration.ofSeconds(timeoutSeconds), port, confirmations);
            try (DemoObservability o = DemoObservability.start(port, System.out)) {
                return new Demo(options, System.out).run();
            }
        }
        Demo.Options options = new Demo.Options(transfers, exitWhenDone, Duration.ofSeconds(timeoutSeconds), apiPort, confirmations);
        return new Demo(options, System.out).run();
    }
}
