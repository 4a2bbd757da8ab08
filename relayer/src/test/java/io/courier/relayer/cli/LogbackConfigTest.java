package io.courier.relayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeAndTimeBasedRollingPolicy;
import ch.qos.logback.core.status.Status;
import ch.qos.logback.core.util.FileSize;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's shipped {@code logback.xml} (not the tests' logback-test.xml), configured into a private logger context
 * with the properties the launcher sets: a capped rolling file, text by default, JSON lines on request.
 */
class LogbackConfigTest {

    @TempDir
    Path dir;

    private LoggerContext configure(Map<String, String> properties) throws Exception {
        URL xml = LogbackConfigTest.class.getResource("/logback.xml");
        assertThat(xml).as("the node's logback.xml on the classpath").isNotNull();
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new ch.qos.logback.classic.util.LogbackMDCAdapter()); // what the SLF4J binding sets up
        properties.forEach(context::putProperty);
        JoranConfigurator configurator = new JoranConfigurator();
        configurator.setContext(context);
        configurator.doConfigure(xml);
        List<String> problems = new ArrayList<>();
        for (Status s : context.getStatusManager().getCopyOfStatusList()) {
            if (s.getLevel() >= Status.WARN) {
                problems.add(s.getMessage());
            }
        }
        assertThat(problems).as("logback warnings and errors while configuring").isEmpty();
        return context;
    }

    private static List<Appender<?>> appenders(LoggerContext context) {
        List<Appender<?>> all = new ArrayList<>();
        context.getLogger(Logger.ROOT_LOGGER_NAME).iteratorForAppenders().forEachRemaining(all::add);
        return all;
    }

    @Test
    void theFileRollsBySizeWithAHistoryAndATotalCap() throws Exception {
        LoggerContext context = configure(Map.of("courier.log.dir", dir.toString(), "courier.log.max-file-size", "5MB",
                "courier.log.max-history", "3", "courier.log.total-size-cap", "50MB"));
        try {
            RollingFileAppender<?> file = appenders(context).stream().filter(a -> a instanceof RollingFileAppender)
                    .map(a -> (RollingFileAppender<?>) a).findFirst().orElseThrow(() -> new AssertionError("no rolling file appender"));
            assertThat(file.getFile()).isEqualTo(dir.resolve("courier.log").toString());
            SizeAndTimeBasedRollingPolicy<?> policy = (SizeAndTimeBasedRollingPolicy<?>) file.getRollingPolicy();
            assertThat(policy.getFileNamePattern()).isEqualTo(dir + "/courier.%d{yyyy-MM-dd}.%i.log.gz");
            assertThat(policy.getMaxHistory()).isEqualTo(3);
            // FileSize has no equals: compare bytes
            assertThat(fileSize(policy, "maxFileSize")).isEqualTo(FileSize.valueOf("5MB").getSize());
            assertThat(fileSize(policy, "totalSizeCap")).isEqualTo(FileSize.valueOf("50MB").getSize());
        } finally {
            context.stop();
        }
    }

    @Test
    void byDefaultTheFileHoldsHumanLinesAndTheCapsAreSet() throws Exception {
        LoggerContext context = configure(Map.of("courier.log.dir", dir.toString()));
        context.getLogger("io.courier.test").info("delivered {} to chain {}", "0xabc", 1002);
        SizeAndTimeBasedRollingPolicy<?> policy = (SizeAndTimeBasedRollingPolicy<?>) appenders(context).stream()
                .filter(a -> a instanceof RollingFileAppender).map(a -> ((RollingFileAppender<?>) a).getRollingPolicy())
                .findFirst().orElseThrow();
        assertThat(fileSize(policy, "maxFileSize")).isEqualTo(FileSize.valueOf("100MB").getSize());
        assertThat(fileSize(policy, "totalSizeCap")).isEqualTo(FileSize.valueOf("2GB").getSize());
        assertThat(policy.getMaxHistory()).isEqualTo(14);
        context.stop();

        assertThat(Files.readString(dir.resolve("courier.log")))
                .contains("INFO  [").contains("io.courier.test - delivered 0xabc to chain 1002");
        assertThat(dir.resolve("courier.json")).doesNotExist();
    }

    @Test
    void jsonFormatWritesOneJsonObjectALineAndNoTextFile() throws Exception {
        LoggerContext context = configure(Map.of("courier.log.dir", dir.toString(), "courier.log.format", "json"));
        context.getLogger("io.courier.test").info("delivered {} to chain {}", "0xabc", 1002);
        context.getLogger("io.courier.test").warn("second \"quoted\" line");
        assertThat(appenders(context)).extracting(Appender::getName).containsExactlyInAnyOrder("CONSOLE", "FILE");
        context.stop();

        List<String> lines = Files.readAllLines(dir.resolve("courier.json"));
        assertThat(lines).hasSize(2);
        ObjectMapper json = new ObjectMapper();
        JsonNode first = json.readTree(lines.get(0));
        assertThat(first.path("level").asText()).isEqualTo("INFO");
        assertThat(first.path("loggerName").asText()).isEqualTo("io.courier.test");
        assertThat(first.path("formattedMessage").asText()).isEqualTo("delivered 0xabc to chain 1002");
        assertThat(first.path("timestamp").isNumber()).isTrue();
        assertThat(json.readTree(lines.get(1)).path("formattedMessage").asText()).isEqualTo("second \"quoted\" line");
        assertThat(dir.resolve("courier.log")).doesNotExist();
    }

    private static long fileSize(SizeAndTimeBasedRollingPolicy<?> policy, String field) throws Exception {
        // the policy exposes setters only; its fields are what the config set
        Class<?> type = policy.getClass();
        while (type != null) {
            for (java.lang.reflect.Field f : type.getDeclaredFields()) {
                if (f.getName().equals(field)) {
                    f.setAccessible(true);
                    return ((FileSize) f.get(policy)).getSize();
                }
            }
            type = type.getSuperclass();
        }
        throw new AssertionError(policy.getClass() + " has no field " + field);
    }
}
