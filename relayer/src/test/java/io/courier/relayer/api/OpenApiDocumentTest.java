package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.courier.finality.TransferStatus;
import io.courier.relayer.api.ApiServer.Reply;
import io.courier.relayer.status.ChainStatus;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.lang.reflect.RecordComponent;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The OpenAPI document is served, parses as YAML, and describes every route and exactly the members the API writes:
 * each schema's properties are compared with the record components of the Java view it documents, so a field added
 * to a view without documenting it (or documented but gone) fails here. Every {@code $ref} resolves. What real
 * answers look like is checked against the document by the end-to-end suite ({@code OpenApiContract}).
 */
class OpenApiDocumentTest {

    private static String text;
    private static JsonNode document;
    private static ApiServer server;

    @BeforeAll
    static void load() throws Exception {
        text = new String(OpenApiRoutes.load(), StandardCharsets.UTF_8);
        document = new ObjectMapper(new YAMLFactory()).readTree(text);
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
        assertThat(reply.text()).isEqualTo(text);
        assertThat(document.path("openapi").asText()).isEqualTo("3.1.0");
    }

    @Test
    void describesEveryRoute() {
        assertThat(keys(document.path("paths"))).containsExactlyInAnyOrder(TransferRoutes.TRANSFER, TransferRoutes.HISTORY,
                TransferRoutes.EVENTS, TransferRoutes.EVENTS_BY_SOURCE_TX, TransferRoutes.BY_SOURCE_TX, AttestationRoutes.ATTESTATION, ChainRoutes.CHAINS,
                HealthRoutes.HEALTHZ, HealthRoutes.READYZ, MetricsRoutes.METRICS, OpenApiRoutes.OPENAPI, QuoteRoutes.QUOTE,
                AdminRoutes.RESUME_CHAIN, AdminRoutes.RETRY_TRANSFER, AdminRoutes.PARK_TRANSFER, AdminRoutes.UNPARK_TRANSFER);
        for (String admin : List.of(AdminRoutes.RESUME_CHAIN, AdminRoutes.RETRY_TRANSFER, AdminRoutes.PARK_TRANSFER,
                AdminRoutes.UNPARK_TRANSFER)) {
            JsonNode post = document.path("paths").path(admin).path("post");
            assertThat(post.isObject()).as(admin).isTrue();
            assertThat(post.path("security").toString()).as(admin).contains("adminToken");
        }
        for (String action : List.of(AdminRoutes.RETRY_TRANSFER, AdminRoutes.PARK_TRANSFER, AdminRoutes.UNPARK_TRANSFER)) {
            JsonNode responses = document.path("paths").path(action).path("post").path("responses");
            assertThat(keys(responses)).as(action).contains("200", "400", "401", "403", "404", "409");
            assertThat(document.path("paths").path(action).path("post").path("requestBody").path("required").asBoolean()).isTrue();
        }
        // the query forms of /v1/transfers are one path: each form's key parameter is documented on it
        Set<String> params = new LinkedHashSet<>();
        document.path("paths").path(TransferRoutes.BY_SOURCE_TX).path("get").path("parameters")
                .forEach(p -> params.add(p.path("name").asText()));
        assertThat(params).contains(TransferRoutes.STUCK.substring(TransferRoutes.STUCK.indexOf('?') + 1),
                TransferRoutes.BY_ADDRESS.substring(TransferRoutes.BY_ADDRESS.indexOf('?') + 1), "sourceTx", "chain",
                "status", "limit", "cursor");
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
                new Doc("SelfRelay", AttestationRoutes.AttestationView.class),
                new Doc("SelfRelayDestination", AttestationRoutes.Destination.class),
                new Doc("ValidatorSignature", AttestationRoutes.SignatureView.class),
                new Doc("GatewayCall", AttestationRoutes.GatewayCall.class),
                new Doc("Delivery", DeliveryEvidence.DeliveryView.class),
                new Doc("DeliverySignature", DeliveryEvidence.CarriedSignature.class),
                new Doc("CheckpointEvidence", DeliveryEvidence.CheckpointView.class),
                new Doc("MerkleStep", DeliveryEvidence.ProofStep.class),
                new Doc("TransferActionRequest", AdminRoutes.ActionRequest.class),
                new Doc("TransferActionResult", AdminRoutes.ActionResult.class),
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
    void describesEveryStageAndEveryStatusInOrderAsAppendOnly() {
        List<String> statuses = Arrays.stream(TransferStatus.values()).map(Enum::name).toList();
        assertThat(propertiesOf("Stages")).containsExactlyInAnyOrderElementsOf(
                statuses.stream().map(s -> s.toLowerCase(Locale.ROOT)).toList());
        JsonNode status = schema("TransferStatus");
        List<String> documented = new ArrayList<>();
        status.path("enum").forEach(v -> documented.add(v.asText()));
        // append-only: the document lists them in declaration order, so an addition anywhere but the end shows
        assertThat(documented).containsExactlyElementsOf(statuses);
        assertThat(status.path("description").asText()).startsWith("Append-only");
    }

    @Test
    void describesTheProblemMembersAndEveryProblemType() throws Exception {
        assertThat(propertiesOf("Problem")).containsExactlyInAnyOrder("type", "title", "status", "detail",
                "instance", "parameter", "correlationId", "notReady", "dependencies", "reason", "asset", "rejected",
                "transferStatus", "allowed");
        String types = schema("Problem").path("properties").path("type").path("description").asText();
        List<String> constants = new ArrayList<>();
        for (Field f : Problem.class.getFields()) {
            if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
                constants.add((String) f.get(null));
            }
        }
        assertThat(constants).contains(Problem.NOT_ATTESTED, Problem.ABOUT_BLANK);
        for (String type : constants) {
            assertThat(types).as(type).contains("`" + type + "`");
        }
    }

    @Test
    void everyReferenceResolves() {
        List<String> broken = new ArrayList<>();
        walk(document, node -> {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String pointer = ref.asText();
                if (!pointer.startsWith("#/") || document.at(pointer.substring(1)).isMissingNode()) {
                    broken.add(pointer);
                }
            }
        });
        assertThat(broken).isEmpty();
    }

    private static void walk(JsonNode node, java.util.function.Consumer<JsonNode> visit) {
        if (node.isObject()) {
            visit.accept(node);
        }
        node.forEach(child -> walk(child, visit));
    }

    private static JsonNode schema(String name) {
        JsonNode schema = document.path("components").path("schemas").path(name);
        assertThat(schema.isObject()).as("schema " + name).isTrue();
        return schema;
    }

    private static Set<String> propertiesOf(String name) {
        JsonNode properties = schema(name).path("properties");
        assertThat(properties.isObject()).as("properties of " + name).isTrue();
        return keys(properties);
    }

    private static Set<String> keys(JsonNode object) {
        Set<String> keys = new LinkedHashSet<>();
        object.fieldNames().forEachRemaining(keys::add);
        return keys;
    }
}
