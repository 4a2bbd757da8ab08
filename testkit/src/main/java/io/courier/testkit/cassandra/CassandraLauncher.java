package io.courier.testkit.cassandra;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;

/**
 * Main class of the Cassandra child JVM that {@code LocalCassandra} starts: it arms a watchdog, then runs
 * {@code org.apache.cassandra.service.CassandraDaemon.main} in the same JVM (so the PID stays Cassandra's own).
 *
 * <p>Why: a Cassandra node must not outlive the test JVM that started it, even when that JVM dies by
 * {@code kill -9} and no shutdown hook runs. The child's stdin is a pipe whose only writer is the parent JVM;
 * the kernel closes it however the parent ends, so a read of stdin returning EOF means "parent gone". The
 * watchdog then exits the node: {@code System.exit} runs Cassandra's shutdown hook (drain, about 4 s), and
 * {@link Runtime#halt} follows if that hangs for 30 s. EOF also arrives when the parent stops the node on
 * purpose ({@code Process.destroy} sends SIGTERM, then closes the pipe); the JVM is then already shutting down
 * and the watchdog leaves that shutdown alone.
 *
 * <p>Only the JDK is used here: this class sits first on Cassandra's classpath and must not drag any testkit
 * dependency into the server. The delegate main class can be changed with
 * {@code -Dcourier.cassandra.launcher.main=...} (used by the watchdog's own test, not by LocalCassandra).
 */
public final class CassandraLauncher {

    /** The class whose {@code main} runs once the watchdog is armed. */
    public static final String DELEGATE_PROPERTY = "courier.cassandra.launcher.main";
    static final String CASSANDRA_MAIN = "org.apache.cassandra.service.CassandraDaemon";
    /** Exit status when the parent went away: 128 + SIGHUP, as a shell would report a hung-up child. */
    static final int PARENT_GONE_STATUS = 129;
    private static final long HALT_AFTER_MILLIS = 30_000;

    private CassandraLauncher() {}

    public static void main(String[] args) throws Throwable {
        Thread watchdog = new Thread(() -> exitWhenParentGone(System.in), "courier-parent-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();

        String delegate = System.getProperty(DELEGATE_PROPERTY, CASSANDRA_MAIN);
        Method main = Class.forName(delegate).getMethod("main", String[].class);
        try {
            main.invoke(null, (Object) args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    /** Blocks until {@code in} reaches EOF (or fails), then ends this JVM unless it is already ending. */
    static void exitWhenParentGone(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // the parent never writes; anything it does write is ignored
            }
        } catch (IOException e) {
            // a broken pipe means the same as EOF
        }
        if (shuttingDown()) {
            return; // a SIGTERM from the parent got here first: its shutdown is under way, with no halt timer
        }
        System.err.println("courier: parent JVM gone (stdin closed), stopping this node");
        Thread halter = new Thread(() -> {
            try {
                Thread.sleep(HALT_AFTER_MILLIS);
            } catch (InterruptedException ignored) {
                // halt now
            }
            Runtime.getRuntime().halt(PARENT_GONE_STATUS);
        }, "courier-halt");
        halter.setDaemon(true);
        halter.start();
        System.exit(PARENT_GONE_STATUS);
    }

    /** The JDK refuses new shutdown hooks once shutdown has begun; that is the only public way to ask. */
    private static boolean shuttingDown() {
        Thread probe = new Thread(() -> {});
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        } catch (IllegalStateException e) {
            return true;
        }
    }
}
