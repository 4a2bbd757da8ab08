package io.courier.relayer.cli;

/**
 * The exit codes of every {@code courier} command (README "Exit codes"), so scripts can tell a mistake in what they
 * asked for from a failure while doing it.
 */
final class ExitCodes {

    /** Done. */
    static final int OK = 0;
    /** The command failed while running: the node refused the action, an endpoint did not answer, the node stopped. */
    static final int FAILURE = 1;
    /** The command was given wrong: unknown option, missing argument, an invalid config (picocli's own usage code). */
    static final int USAGE = 2;

    /** For {@code --help}: one line per code. */
    static final String[] LIST = {
        "0:done",
        "1:failed while running (the node refused the action or did not answer, a chain endpoint failed, the node stopped on an error)",
        "2:usage or config error (unknown option, missing argument, invalid config file)"};

    private ExitCodes() {}
}
