package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatus;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.finality.TransferStatus;
import io.courier.relayer.api.ApiServer.Reply;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is served, and describes every route and exactly the members the API writes: each schema's
 * properties are compared with the record components of the Java view it documents, so a field added to a view
 * without documenting it (or documented but gone) fails here.
 *
 * <p>The document is read with a small reader for its own block layout (no YAML library on the classpath): a
 * schema is a 4-space-indented key under {@code components.schemas}, its properties the 8-space keys under its
 * {@code properties:}.
 */
class OpenApiDocumentTest {

    private static String document;
    private static ApiServer server;

    @BeforeAll
    static void load() {
        document = new String(OpenApiRoutes.load(), StandardCharsets.UTF_8);
        server = new ApiServer(new InMemoryTransferQueries());
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void isServedAsYaml() {
        Reply reply = server.get("/openapi.yaml");

        assertThat(reply.status()).isEqualTo(200);
        assertThat(reply.contentType()).startsWith("application/yaml");
        assertThat(reply.text()).isEqualTo(document).startsWith("openapi: 3.1.0\n");
    }

    @Test
    void describesEveryRoute() {
        Set<String> paths = keysAt(document.substring(document.indexOf("\npaths:\n"), document.indexOf("\ncomponents:\n")), 2);

        assertThat(paths).containsExactlyInAnyOrder(TransferRoutes.TRANSFER, TransferRoutes.HISTORY, TransferRoutes.EVENTS,
                TransferRoutes.EVENTS_BY_SOURCE_TX,
                TransferRoutes.BY_SOURCE_TX, ChainRoutes.CHAINS, HealthRoutes.HEALTHZ, HealthRoutes.READYZ,
                MetricsRoutes.METRICS, OpenApiRoutes.OPENAPI, QuoteRoutes.QUOTE);
    }

    @Test
    void describesExactlyTheMembersOfEveryView() {
        record Doc(String schema, Class<? extends Record> view) {}
        for (Doc doc : List.of(
                new Doc("Transfer", TransferView.class),
                new Doc("SourceRef", TransferView.Source.class),
                new Doc("Confirmations", TransferView.Confirmations.class),
                new Doc("TransferLinks", TransferView.Links.class),
                new Doc("TransferList", TransferView.ListView.class),
                new Doc("TransferPage", TransferView.PageView.class),
                new Doc("TransferHistory", TransferView.HistoryView.class),
                new Doc("HistoryEntry", TransferView.HistoryEntry.class),
                new Doc("ChainList", ChainRoutes.ChainList.class),
                new Doc("ChainStatus", ChainStatus.class),
                new Doc("Health", HealthRoutes.Health.class),
                new Doc("Ready", HealthRoutes.Ready.class),
                new Doc("Dependency", HealthRoutes.DependencyView.class),
                new Doc("Quote", QuoteRoutes.QuoteView.class),
                new Doc("QuotePrices", QuoteRoutes.Prices.class),
                new Doc("PriceUsed", QuoteRoutes.PriceUsed.class))) {
            Set<String> components = Arrays.stream(doc.view().getRecordComponents()).map(RecordComponent::getName)
                    .collect(Collectors.toSet());
            assertThat(propertiesOf(doc.schema())).as(doc.schema() + " vs " + doc.view().getSimpleName())
                    .containsExactlyInAnyOrderElementsOf(components);
        }
    }

    @Test
    void describesEveryStageAndStatus() {
        Set<String> stages = Arrays.stream(TransferStatus.values()).map(s -> s.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.toSet());
        assertThat(propertiesOf("Stages")).containsExactlyInAnyOrderElementsOf(stages);
        String statusEnum = "enum: [" + Arrays.stream(TransferStatus.values()).map(Enum::name)
                .collect(Collectors.joining(", ")) + "]";
        assertThat(document).contains(statusEnum);
    }

    @Test
    void describesTheProblemMembersAndEveryProblemType() {
        assertThat(propertiesOf("Problem")).containsExactlyInAnyOrder("type", "title", "status", "detail",
                "instance", "parameter", "correlationId", "notReady", "dependencies", "reason", "asset", "rejected");
        for (String type : List.of(Problem.INVALID_PARAMETER, Problem.MISSING_PARAMETER, Problem.UNEXPECTED_PARAMETER,
                Problem.TRANSFER_NOT_FOUND, Problem.NOT_READY, Problem.TIMEOUT, Problem.BUSY, Problem.INTERNAL_ERROR,
                Problem.ABOUT_BLANK, Problem.NO_PRICE)) {
            assertThat(document).as(type).contains("`" + type + "`");
        }
        assertThat(document).contains("application/problem+json");
    }

    /** The 8-space keys under {@code properties:} of schema {@code name}. */
    private static Set<String> propertiesOf(String name) {
        String schemas = document.substring(document.indexOf("\n  schemas:\n"));
        Matcher start = Pattern.compile("\n    " + Pattern.quote(name) + ":\n").matcher(schemas);
        assertThat(start.find()).as("schema " + name).isTrue();
        String rest = schemas.substring(start.end());
        Matcher next = Pattern.compile("\n    [A-Za-z]").matcher(rest);
        String section = next.find() ? rest.substring(0, next.start()) : rest;
        int props = section.indexOf("      properties:\n");
        assertThat(props).as("properties of " + name).isNotNegative();
        return keysAt(section.substring(props + "      properties:\n".length()), 8);
    }

    /** Keys indented exactly {@code indent} spaces, until the text dedents below that. */
    private static Set<String> keysAt(String text, int indent) {
        Set<String> keys = new LinkedHashSet<>();
        Pattern key = Pattern.compile("^ {" + indent + "}('?[^ '#][^:']*'?):");
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            int leading = line.length() - line.stripLeading().length();
            if (leading < indent && !keys.isEmpty()) {
                break;
            }
            Matcher m = key.matcher(line);
            if (m.find()) {
                keys.add(m.group(1).replace("'", ""));
            }
        }
        return keys;
    }
}
