package io.courier.relayer.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine;

/**
 * {@code courier}: run a node, check a config, operate a chain. The local demo adds its own {@code demo} command
 * from the demo module (see {@link #commandLine()}), so a node installed by an operator carries none of it.
 */
@Command(name = "courier", mixinStandardHelpOptions = true, versionProvider = BuildVersion.class,
        description = "Cross-chain message and token relayer.",
        subcommands = {RunCommand.class, ConfigCommand.class, ChainCommand.class, TransferCommand.class})
public final class CourierCli implements Runnable {

    @Override
    public void run() {
        new CommandLine(this).usage(System.out);
    }

    /**
     * The command line of the node's commands, for a launcher that adds more (the demo): every command lists the exit
     * codes in its {@code --help}, and a failure while running is reported in a line or two (exit 1), not as a stack
     * trace (the node's log has the trace).
     */
    public static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new CourierCli()).setCaseInsensitiveEnumValuesAllowed(true);
        cli.setExecutionExceptionHandler((e, commandLine, parsed) -> {
            commandLine.getErr().println("error: " + describe(e));
            commandLine.getErr().flush();
            return ExitCodes.FAILURE;
        });
        documentExitCodes(cli);
        return cli;
    }

    /** Adds the exit-code list to {@code cli}'s help and its subcommands' (call again after adding commands). */
    public static void documentExitCodes(CommandLine cli) {
        java.util.Map<String, String> codes = new java.util.LinkedHashMap<>();
        for (String line : ExitCodes.LIST) {
            int colon = line.indexOf(':');
            codes.put(line.substring(0, colon), line.substring(colon + 1));
        }
        cli.getCommandSpec().usageMessage().exitCodeListHeading("Exit codes:%n").exitCodeList(codes);
        cli.getSubcommands().values().forEach(CourierCli::documentExitCodes);
    }

    /** The message and its causes', each once: what an operator needs to act, without the frames. */
    static String describe(Throwable e) {
        StringBuilder text = new StringBuilder();
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
            if (seen.add(message) && (text.length() == 0 || !text.toString().contains(message))) {
                text.append(text.length() == 0 ? "" : "; caused by: ").append(message);
            }
        }
        return text.toString();
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }
}
