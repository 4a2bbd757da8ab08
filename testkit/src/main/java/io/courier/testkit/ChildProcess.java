package io.courier.testkit;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A process this JVM started and must not leave behind: output goes to a log file, a shutdown hook
 * kills it if the owner forgets, and {@link #stop} / {@link #kill} give the two ways a real part dies
 * (SIGTERM with a grace period, SIGKILL).
 */
public final class ChildProcess implements AutoCloseable {

    private final String name;
    private final Process process;
    private final Path logFile;
    private final Thread shutdownHook;

    private ChildProcess(String name, Process process, Path logFile) {
        this.name = name;
        this.process = process;
        this.logFile = logFile;
        this.shutdownHook = new Thread(() -> process.destroyForcibly(), "reap-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    /** Starts {@code command} with stdout and stderr appended to {@code logFile}. */
    /** The executable {@code command} as the shell would find it on {@code PATH}; {@code null} when there is none. */
    public static String onPath(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            Path p = Path.of(dir, command);
            if (java.nio.file.Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    public static ChildProcess start(String name, List<String> command, Path workDir, Path logFile) {
        return start(name, command, workDir, logFile, java.util.Map.of());
    }

    /** As {@link #start(String, List, Path, Path)}, with {@code environment} added to this process's. */
    public static ChildProcess start(String name, List<String> command, Path workDir, Path logFile,
                                     java.util.Map<String, String> environment) {
        try {
            Files.createDirectories(logFile.toAbsolutePath().getParent());
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
            builder.environment().putAll(environment);
            // stdin stays a pipe: the watchdogs of our children read EOF when this JVM dies, even by SIGKILL
            builder.redirectInput(ProcessBuilder.Redirect.PIPE);
            return new ChildProcess(name, builder.start(), logFile);
        } catch (IOException e) {
            throw new LocalPartException(name + ": cannot start " + String.join(" ", command) + ": " + e.getMessage(), e);
        }
    }

    public String name() {
        return name;
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path logFile() {
        return logFile;
    }

    /** The last lines of the log, for error messages. */
    public String logTail(int lines) {
        try {
            List<String> all = Files.readAllLines(logFile);
            return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
        } catch (IOException e) {
            return "(log " + logFile + " unreadable: " + e.getMessage() + ")";
        }
    }

    /** SIGTERM, then SIGKILL if it has not exited within {@code grace}. Waits for the exit. */
    public void stop(Duration grace) {
        if (process.isAlive()) {
            process.destroy();
            try {
                if (!process.waitFor(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                    process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                process.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
        forget();
    }

    /** SIGKILL, as a crash would: no shutdown work runs in the child. Waits for the exit. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        forget();
    }

    private void forget() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // the hook runs anyway; nothing to do
        }
    }

    @Override
    public void close() {
        stop(Duration.ofSeconds(10));
    }
}
