package io.courier.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code ./courier bench <what>}: measurements a reader can repeat on their own machine. Each starts what it needs
 * (local chains, for drain Cassandra and a node) and stops it again; results go to stdout, one {@code bench <what>: ...}
 * line per figure.
 */
public final class BenchMain {

    private BenchMain() {}

    /** A command line the benchmark cannot run with (exit 64), as against a run that failed (exit 1). */
    static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message);
        }
    }

    public static void main(String[] args) throws Exception {
        // bench's logback.xml comes first on the classpath, the node's (relayer) after it: logback would print its whole
        // configuration status to say so
        System.setProperty("logback.statusListenerClass", System.getProperty("logback.statusListenerClass",
                "ch.qos.logback.core.status.NopStatusListener"));
        PrintStream out = System.out;
        String what = args.length == 0 ? "" : args[0];
        String[] rest = args.length == 0 ? args : Arrays.copyOfRange(args, 1, args.length);
        try {
            switch (what) {
                case "gas" -> GasBench.run(out, rest);
                case "api" -> ApiBench.run(out, rest);
                case "fees" -> FeesBench.run(out, rest);
                case "drain" -> DrainBench.run(out, rest);
                default -> {
                    System.err.println("usage: courier bench gas      gas per message, Courier's paths against one Web3j execute per message");
                    System.err.println("       courier bench api      GET /v1/transfers/{id} against /healthz under wrk, and relay latency with and"
                            + " without that load [--transfers N (2000)] [--seconds S (20)] [--deliveries K (6)] [--api-threads T (the node's courier.api.threads)] [--java-load]");
                    System.err.println("       courier bench fees     paid per gas / (base fee + minimum tip) at inclusion, Courier's fee model "
                            + "against Web3j's DefaultGasProvider");
                    System.err.println("       courier bench drain [--messages N] [--timeout SECONDS]");
                    System.err.println("                              seconds until N messages are delivered: a Courier node against one Web3j "
                            + "execute per message");
                    System.exit(what.isEmpty() || what.equals("--help") ? 0 : 64);
                }
            }
        } catch (Usage usage) {
            System.err.println("courier bench " + what + ": " + usage.getMessage());
            System.exit(64);
        } catch (Exception failed) {
            // a benchmark that could not finish says why and exits non-zero; its partial figures are not printed
            System.err.println("courier bench " + what + ": failed: " + failed);
            failed.printStackTrace();
            System.exit(1);
        }
        // the node and the Cassandra driver may leave non-daemon threads behind after close
        System.exit(0);
    }
}
