package io.courier.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.relayer.node.CourierNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * What the tests read from a node's HTTP API, the way an operator or a dApp would. Every answer is checked against
 * the node's {@code openapi.yaml} ({@link OpenApiContract}): one that breaks the document fails the test that read it.
 */
final class NodeApi {

    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ObjectMapper json = new ObjectMapper();

    private NodeApi() {}

    static HttpResponse<String> get(String url) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(url)).build());
    }

    /** Sends {@code request} and checks the answer against the document. */
    static HttpResponse<String> send(HttpRequest request) throws Exception {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        conforms(response);
        return response;
    }

    /** Fails when {@code response} breaks openapi.yaml (for answers read with another client). */
    static void conforms(HttpResponse<String> response) {
        java.util.List<String> violations = OpenApiContract.shared().violations(response.request().method(),
                response.request().uri(), response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
                response.body());
        if (!violations.isEmpty()) {
            throw new AssertionError("the node's answer breaks openapi.yaml:\n  " + String.join("\n  ", violations)
                    + "\nbody: " + response.body());
        }
    }

    static JsonNode getJson(String url) throws Exception {
        return json.readTree(get(url).body());
    }

    /** One chain of {@code /v1/chains}. */
    static JsonNode chain(CourierNode node, long id) throws Exception {
        JsonNode chains = getJson(node.apiUrl() + "/v1/chains").path("chains");
        for (JsonNode c : chains) {
            if (c.path("chainId").asLong() == id) {
                return c;
            }
        }
        throw new AssertionError("chain " + id + " missing from /v1/chains: " + chains);
    }

    /** The sum of a metric's samples whose labels contain {@code labelFragment} (e.g. {@code chain="x"}). */
    static double metric(CourierNode node, String name, String labelFragment) throws Exception {
        return get(node.apiUrl() + "/metrics").body().lines()
                .filter(l -> l.startsWith(name + "{") && l.contains(labelFragment))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
                .sum();
    }
}
