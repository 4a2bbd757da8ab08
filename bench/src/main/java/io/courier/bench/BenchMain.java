package io.courier.bench;

import java.io.PrintStream;
import java.util.Arrays;

/**
 * {@code ./courier bench <what>}: measurements a reader can repeat on their own machine. Each starts what it needs
 * (local chains) and stops it again; results go to stdout, one {@code bench <what>: ...} line per figure.
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        PrintStream out = System.out;
        String what = args.length == 0 ? "" : args[0];
        switch (what) {
            case "gas" -> GasBench.run(out, Arrays.copyOfRange(args, 1, args.length));
            case "api" -> ApiBench.run(out, Arrays.copyOfRange(args, 1, args.length));
            case "fees", "drain" -> {
                // they measure the submitter's fee policy and throughput, which the batched submitter (issue 10, part 1 and 3) brings
                System.err.println("courier bench " + what + ": not yet: it needs the batched submitter (issue 10); see bench/RESULTS.md");
                System.exit(2);
            }
            default -> {
                System.err.println("usage: courier bench gas    gas per message, Courier's paths against one Web3j execute per message");
                System.err.println("       courier bench api    GET /v1/transfers/{id} against /healthz under wrk, and relay latency with and without"
                        + " that load [--transfers N (2000)] [--seconds S (20)] [--deliveries K (6)] [--java-load]");
                System.exit(what.isEmpty() || what.equals("--help") ? 0 : 64);
            }
        }
    }
}
