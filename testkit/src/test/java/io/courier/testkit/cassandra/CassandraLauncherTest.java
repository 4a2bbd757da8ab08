package io.courier.testkit.cassandra;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The orphan guard, without Cassandra: a JVM started through the launcher must end when its stdin closes,
 * which is what the kernel does to the pipe when the parent JVM dies, {@code kill -9} included.
 */
class CassandraLauncherTest {

    /** Stands in for CassandraDaemon: runs until something ends the JVM. */
    public static final class RunForever {
        public static void main(String[] args) throws InterruptedException {
            System.out.println("running");
            Thread.sleep(Long.MAX_VALUE);
        }
    }

    @Test
    void childJvmExitsWhenItsParentsPipeCloses() throws Exception {
        String classpath = location(CassandraLauncher.class) + File.pathSeparator + location(RunForever.class);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process child = new ProcessBuilder(List.of(java, "-XX:TieredStopAtLevel=1", "-cp", classpath,
                "-D" + CassandraLauncher.DELEGATE_PROPERTY + "=" + RunForever.class.getName(),
                CassandraLauncher.class.getName()))
                .redirectErrorStream(true)
                .start();
        try {
            // the delegate runs, and the watchdog leaves it alone while the pipe is open
            assertThat(new String(child.getInputStream().readNBytes("running".length()))).isEqualTo("running");
            assertThat(child.waitFor(300, TimeUnit.MILLISECONDS)).isFalse();

            child.getOutputStream().close(); // the parent "dies"

            assertThat(child.waitFor(10, TimeUnit.SECONDS)).as("child exits after stdin EOF").isTrue();
            assertThat(child.exitValue()).isEqualTo(CassandraLauncher.PARENT_GONE_STATUS);
        } finally {
            child.destroyForcibly();
        }
    }

    private static Path location(Class<?> type) throws Exception {
        return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
    }
}
