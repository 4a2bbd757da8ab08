package io.courier.relayer.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code courier}: run a node, run the local demo, check a config. */
@Command(name = "courier", mixinStandardHelpOptions = true, version = "courier 0.1.0",
        description = "Cross-chain message and token relayer.",
        subcommands = {RunCommand.class, DemoCommand.class, ConfigCommand.class, ChainCommand.class})
public final class CourierCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    public static void main(String[] args) {
        int code = new CommandLine(new CourierCli()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
        System.exit(code);
    }
}
