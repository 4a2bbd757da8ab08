package io.courier.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.courier.chain.message.BlockHash;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.TxHash;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.relayer.api.ApiJson;
import io.courier.relayer.api.PayloadDescriber;
import io.courier.relayer.api.TransferView;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** The contract check can fail: answers that break openapi.yaml in each way it checks are caught; real ones pass. */
class OpenApiContractTest {

    private static final OpenApiContract CONTRACT = OpenApiContract.shared();
    private static final String ID = "0x" + "ab".repeat(32);
    private static final String JSON = "application/json";
    private static final String PROBLEM = "application/problem+json";

    /** A transfer as the node writes it: the real view through the API's own JSON configuration. */
    private static String transferJson() {
        CrossChainMessage m = new CrossChainMessage(1001, "0x" + "11".repeat(20), 3, 1002, "0x" + "22".repeat(20),
                "0x" + "33".repeat(20), "hi".getBytes(StandardCharsets.UTF_8));
        Transfer t = Transfer.observed(m, new SourceRef(TxHash.fromHex("0x" + "aa".repeat(32)), 5,
                BlockHash.fromHex("0x" + "bb".repeat(32)), 0), 2, Instant.parse("2025-03-01T10:00:00Z"));
        return new String(ApiJson.shared().bytes(TransferView.of(t, PayloadDescriber.NONE)), StandardCharsets.UTF_8);
    }

    private static java.util.List<String> check(String target, int status, String type, String body) {
        return CONTRACT.violations("GET", URI.create("http://127.0.0.1:1" + target), status, type, body);
    }

    @Test
    void aRealTransferConforms() {
        assertThat(check("/v1/transfers/" + ID, 200, JSON, transferJson())).isEmpty();
    }

    @Test
    void anEmptyListAndALastPageConformToTheListingsSchema() {
        // both shapes of /v1/transfers without `next` are a TransferList and a TransferPage at once
        assertThat(check("/v1/transfers?stuck=true", 200, JSON, "{\"transfers\":[]}")).isEmpty();
        assertThat(check("/v1/transfers?address=0x" + "22".repeat(20) + "&limit=1", 200, JSON,
                "{\"transfers\":[" + transferJson() + "]}")).isEmpty();
        assertThat(check("/v1/transfers?stuck=true", 200, JSON, "{\"transfers\":[],\"next\":5}")).isNotEmpty();
    }

    @Test
    void aMissingRequiredMemberAnExtraMemberOrAWrongTypeIsCaught() throws Exception {
        var mapper = ApiJson.shared().mapper();
        ObjectNode missing = (ObjectNode) mapper.readTree(transferJson());
        missing.remove("status");
        ObjectNode extra = (ObjectNode) mapper.readTree(transferJson());
        extra.put("surprise", 1);
        ObjectNode wrong = (ObjectNode) mapper.readTree(transferJson());
        wrong.put("status", "TELEPORTED");
        ObjectNode badTime = (ObjectNode) mapper.readTree(transferJson());
        badTime.put("createdAt", "yesterday");

        assertThat(check("/v1/transfers/" + ID, 200, JSON, missing.toString())).singleElement().asString().contains("status");
        assertThat(check("/v1/transfers/" + ID, 200, JSON, extra.toString())).singleElement().asString().contains("surprise");
        assertThat(check("/v1/transfers/" + ID, 200, JSON, wrong.toString())).isNotEmpty();
        assertThat(check("/v1/transfers/" + ID, 200, JSON, badTime.toString())).isNotEmpty();
    }

    @Test
    void anUndocumentedStatusContentTypeOrQueryParameterIsCaught() {
        String problem = "{\"type\":\"about:blank\",\"title\":\"Conflict\",\"status\":409}";
        assertThat(check("/v1/transfers/" + ID, 409, PROBLEM, problem)).singleElement().asString().contains("409");
        assertThat(check("/v1/transfers/" + ID, 200, "text/plain", transferJson())).singleElement().asString().contains("text/plain");
        assertThat(check("/v1/transfers/" + ID + "?pretty=1", 200, JSON, transferJson())).singleElement().asString().contains("pretty");
    }

    @Test
    void problemsAreCheckedToo() {
        assertThat(check("/v1/transfers/" + ID, 404, PROBLEM,
                "{\"type\":\"urn:courier:problem:transfer-not-found\",\"title\":\"Transfer not found\",\"status\":404}")).isEmpty();
        assertThat(check("/v1/transfers/" + ID, 404, PROBLEM, "{\"title\":\"Transfer not found\",\"status\":404}"))
                .singleElement().asString().contains("type");
        // no route: a plain problem is still a problem
        assertThat(check("/nowhere", 404, PROBLEM, "{\"type\":\"about:blank\",\"title\":\"Not Found\",\"status\":404}")).isEmpty();
        assertThat(check("/nowhere", 200, JSON, "{}")).singleElement().asString().contains("not in the document");
    }

    @Test
    void aSelfRelayAnswerIsCheckedAgainstItsSchema() {
        String ok = "{\"messageId\":\"" + ID + "\",\"status\":\"ATTESTED\",\"destination\":{\"chainId\":1002,\"gateway\":\"0x"
                + "12".repeat(20) + "\"},\"threshold\":1,\"signatures\":[{\"validator\":\"0x" + "01".repeat(20) + "\",\"signature\":\"0x"
                + "ef".repeat(65) + "\"}],\"execute\":{\"function\":\"execute\",\"chainId\":1002,\"to\":\"0x" + "12".repeat(20)
                + "\",\"data\":\"0xabcdef01\"}}";
        assertThat(check("/v1/transfers/" + ID + "/attestation", 200, JSON, ok)).isEmpty();
        assertThat(check("/v1/transfers/" + ID + "/attestation", 200, JSON, ok.replace("0xabcdef01", "abcdef01"))).isNotEmpty();
    }
}
