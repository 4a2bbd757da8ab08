package io.courier.relayer.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} works on every command (it used to print "Missing required option" for {@code run}). */
class CourierCliTest {

    private record Result(int code, String out, String err) {}

    private static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = CourierCli.commandLine();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int code = cli.execute(args);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void everyCommandAnswersHelpWithItsUsageAndExitCodeZero() {
        for (List<String> command : List.<List<String>>of(List.of(), List.of("run"), List.of("config"),
                List.of("config", "validate"), List.of("chain"), List.of("chain", "status"), List.of("chain", "resume"))) {
            String[] args = java.util.stream.Stream.concat(command.stream(), java.util.stream.Stream.of("--help"))
                    .toArray(String[]::new);
            Result r = run(args);
            assertThat(r.code()).as("exit code of %s --help", command).isZero();
            assertThat(r.out()).as("usage of %s", command).contains("Usage: courier" + (command.isEmpty() ? "" : " " + String.join(" ", command)));
            assertThat(r.err()).as("errors of %s --help", command).doesNotContain("Missing required");
        }
    }

    @Test
    void aMissingRequiredOptionIsStillAnErrorWithoutHelp() {
        Result r = run("run");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("Missing required option").contains("--config");
    }

    @Test
    void theVersionIsPrinted() {
        Result r = run("--version");
        assertThat(r.code()).isZero();
        assertThat(r.out()).startsWith("courier ");
    }
}
