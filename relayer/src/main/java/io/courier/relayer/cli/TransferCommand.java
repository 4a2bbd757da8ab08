package io.courier.relayer.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.relayer.config.NodeConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code courier transfer retry|park|unpark ID --reason "..."}: an operator action on one transfer, through the running
 * node's admin API ({@code POST /v1/admin/transfers/{id}/...}) with its admin token, so the node that relays the
 * transfer makes the move (and records it in the history) exactly as for any other client of that API.
 */
@Command(name = "transfer", mixinStandardHelpOptions = true, description = "Operator actions on one transfer, through the node's admin API.",
        subcommands = {TransferCommand.Retry.class, TransferCommand.Park.class, TransferCommand.Unpark.class})
final class TransferCommand {

    private static final ObjectMapper JSON = new ObjectMapper();

    abstract static class Action implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "ID", description = "The transfer's message id (0x + 64 hex digits).")
        String id;

        @Option(names = "--reason", required = true, description = "Why; recorded in the transfer's history.")
        String reason;

        @Option(names = "--config", description = "The node's config file: its API address and admin token.")
        Path config;

        @Option(names = "--url", description = "The node's API, e.g. http://127.0.0.1:8080 (instead of the config's courier.api host and port).")
        URI url;

        @Option(names = "--token-file", description = "A file holding the admin token (instead of the config's, or COURIER_ADMIN_TOKEN).")
        Path tokenFile;

        @Option(names = "--timeout", defaultValue = "30s", description = "How long to wait for the node's answer (default ${DEFAULT-VALUE}).",
                converter = DurationConverter.class)
        Duration timeout;

        @Spec
        CommandSpec spec;

        abstract String action();

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (!id.matches("0[xX][0-9a-fA-F]{64}")) {
                err.println("invalid message id '" + id + "': expected 0x and 64 hex digits");
                return ExitCodes.USAGE;
            }
            if (reason.isBlank()) {
                err.println("--reason must not be blank: it is recorded in the transfer's history");
                return ExitCodes.USAGE;
            }
            Optional<NodeConfig> node = Optional.empty();
            if (config != null) {
                node = ConfigFile.load(config, err);
                if (node.isEmpty()) {
                    return ExitCodes.USAGE;
                }
            }
            if (url == null && node.isEmpty()) {
                err.println("say which node: --config FILE (its courier.api address) or --url URL");
                return ExitCodes.USAGE;
            }
            Optional<String> token = token(node, err);
            if (token == null) {
                return ExitCodes.USAGE;
            }
            if (token.isEmpty()) {
                err.println("no admin token: set courier.api.admin-token-file in the config, COURIER_ADMIN_TOKEN, or --token-file");
                return ExitCodes.USAGE;
            }
            URI base = url != null ? url : apiOf(node.get().api());
            URI target = URI.create(base.toString().replaceAll("/+$", "") + "/v1/admin/transfers/" + id.toLowerCase() + "/" + action());
            HttpRequest request = HttpRequest.newBuilder(target)
                    .timeout(timeout)
                    .header("Authorization", "Bearer " + token.get())
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(java.util.Map.of("reason", reason.strip()))))
                    .build();
            HttpResponse<String> response;
            try {
                response = HttpClient.newBuilder().connectTimeout(timeout).build().send(request, HttpResponse.BodyHandlers.ofString());
            } catch (IOException e) {
                err.println("the node at " + base + " did not answer: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
                return ExitCodes.FAILURE;
            }
            JsonNode body = parse(response.body());
            if (response.statusCode() == 200 && body != null) {
                out.printf("transfer %s: %s -> %s (%s by %s: %s)%n", body.path("messageId").asText(), body.path("previousStatus").asText(),
                        body.path("status").asText(), action(), body.path("by").asText(), body.path("reason").asText());
                out.flush();
                return ExitCodes.OK;
            }
            // a problem: its detail says what and, for a wrong state, where the transfer is and what is allowed
            String detail = body == null ? response.body() : body.path("detail").asText(body.path("title").asText(response.body()));
            err.println(action() + " refused by the node (" + response.statusCode() + "): " + detail);
            return ExitCodes.FAILURE;
        }

        /** The token, or empty when none is configured; {@code null} after reporting an unreadable token file. */
        private Optional<String> token(Optional<NodeConfig> node, PrintWriter err) {
            if (tokenFile != null) {
                try {
                    return Optional.of(Files.readString(tokenFile).trim()).filter(t -> !t.isEmpty());
                } catch (IOException e) {
                    err.println("cannot read --token-file " + tokenFile + ": " + e.getMessage());
                    return null;
                }
            }
            if (node.isPresent()) {
                return node.get().api().adminToken().map(NodeConfig.Secret::hex);
            }
            return Optional.ofNullable(System.getenv("COURIER_ADMIN_TOKEN")).map(String::trim).filter(t -> !t.isEmpty());
        }

        private static JsonNode parse(String body) {
            try {
                return body == null || body.isBlank() ? null : JSON.readTree(body);
            } catch (IOException e) {
                return null;
            }
        }
    }

    /** The URL the node's API answers on, from where it listens (a wildcard address is reached on loopback). */
    static URI apiOf(NodeConfig.ApiSettings api) {
        String host = api.host();
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            host = "127.0.0.1";
        } else if (host.contains(":") && !host.startsWith("[")) {
            host = "[" + host + "]";
        }
        return URI.create("http://" + host + ":" + api.port());
    }

    @Command(name = "retry", mixinStandardHelpOptions = true,
            description = "Try a FAILED or UNDELIVERABLE transfer again (it goes back to ATTESTED and is delivered again).")
    static final class Retry extends Action {
        @Override
        String action() {
            return "retry";
        }
    }

    @Command(name = "park", mixinStandardHelpOptions = true,
            description = "Stop all work on a transfer (from FINALIZED, UNDERPAID, ATTESTED, FAILED or UNDELIVERABLE; never SUBMITTED).")
    static final class Park extends Action {
        @Override
        String action() {
            return "park";
        }
    }

    @Command(name = "unpark", mixinStandardHelpOptions = true,
            description = "Resume work on a parked transfer: it goes back to the status it was parked from.")
    static final class Unpark extends Action {
        @Override
        String action() {
            return "unpark";
        }
    }

    /** {@code 30s}, {@code 2m}, {@code 500ms}: the same units as the config. */
    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            return com.typesafe.config.ConfigFactory.parseString("d = " + value).getDuration("d");
        }
    }
}
