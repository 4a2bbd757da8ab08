package io.courier.demo;

import io.courier.relayer.cli.CourierCli;

/** {@code ./courier} in a source checkout: the node's commands plus {@code demo}. */
public final class DemoCli {

    private DemoCli() {}

    public static void main(String[] args) {
        System.exit(CourierCli.commandLine().addSubcommand("demo", new DemoCommand()).execute(args));
    }
}
