package io.courier.demo;

import io.courier.relayer.cli.CourierCli;

/** {@code ./courier} in a source checkout: the node's commands plus {@code demo}. */
public final class DemoCli {

    private DemoCli() {}

    public static void main(String[] args) {
        picocli.CommandLine cli = CourierCli.commandLine().addSubcommand("demo", new DemoCommand());
        CourierCli.documentExitCodes(cli); // again: the demo command is added after the others were documented
        System.exit(cli.execute(args));
    }
}
