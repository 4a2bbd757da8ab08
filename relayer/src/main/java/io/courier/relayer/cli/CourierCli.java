package io.courier.relayer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code courier}: run a node, check a config, operate a chain. The local demo adds its own {@code demo} command
 * from the demo module (see {@link #commandLine()}), so a node installed by an operator carries none of it.
 */
@Command(name = "courier", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Cross-chain message and token relayer.",
        subcommands = {RunCommand.class, ConfigCommand.class, ChainCommand.class})
public final class CourierCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /** The command line of the node's commands, for a launcher that adds more (the demo). */
    public static CommandLine commandLine() {
        return new CommandLine(new CourierCli()).setCaseInsensitiveEnumValuesAllowed(true);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
