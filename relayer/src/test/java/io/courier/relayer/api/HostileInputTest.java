package io.courier.relayer.api;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.courier.relayer.api.ApiServer.Reply;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests a careless or hostile client sends, written byte for byte on a socket (no client-side encoding or
 * normalisation): each must be answered with its 4xx as {@code application/problem+json} (never a 500, never HTML
 * or text/plain), even though the client asks for HTML.
 */
class HostileInputTest {

    private static final Fixtures.Stored KNOWN = Fixtures.delivered(1);
    private static final String HEX64 = "ab".repeat(32);
    private static final String ID = "0x" + HEX64;
    private static final String TX = "0x" + "cd".repeat(32);

    private static ApiServer server;

    @BeforeAll
    static void start() {
        server = new ApiServer(new InMemoryTransferQueries().put(KNOWN.transfer(), KNOWN.history()));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    static Stream<Arguments> hostileRequests() {
        return Stream.of(
                // path traversal and encodings
                req("encoded traversal", "GET", "/v1/transfers/..%2F..%2F..%2Fetc%2Fpasswd", 400),
                req("encoded traversal to history", "GET", "/v1/transfers/..%2F..%2Fhealthz/history", 400),
                req("plain traversal", "GET", "/v1/transfers/../../etc/passwd", 404),
                req("double-encoded traversal", "GET", "/v1/transfers/%252e%252e%252f", 400),
                req("NUL in the id", "GET", "/v1/transfers/" + ID + "%00", 400),
                req("NUL alone", "GET", "/v1/transfers/%00", 400),
                req("CR LF header injection", "GET", "/v1/transfers/%0d%0aSet-Cookie:%20a=b", 400),
                req("malformed percent-encoding in the path", "GET", "/v1/transfers/%zz", 400),
                req("backslashes", "GET", "/v1/transfers/..%5c..%5cwindows", 400),
                // size
                req("10 kB id", "GET", "/v1/transfers/0x" + "a".repeat(10_240), 414),
                req("10 kB query value", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=" + "9".repeat(10_240), 414),
                req("1 kB id (under the URI limit)", "GET", "/v1/transfers/0x" + "a".repeat(1_024), 400),
                // unicode
                req("fullwidth digits", "GET", "/v1/transfers/%EF%BC%90x" + HEX64, 400),
                req("arabic-indic digits", "GET", "/v1/transfers/0x" + "%D9%A3".repeat(64), 400),
                req("raw UTF-8 bytes in the request line", "GET", "/v1/transfers/0x" + "é".repeat(64), 400),
                req("emoji", "GET", "/v1/transfers/%F0%9F%92%A3", 400),
                // injection
                req("SQL injection in the id", "GET", "/v1/transfers/0x'%20OR%201=1--", 400),
                req("CQL injection in sourceTx", "GET",
                        "/v1/transfers?sourceTx=" + TX + "%27%3B%20DROP%20TABLE%20transfers%3B--&chain=1", 400),
                req("CQL injection in chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=1%20OR%201=1", 400),
                req("script in the id", "GET", "/v1/transfers/%3Cscript%3Ealert(1)%3C%2Fscript%3E", 400),
                // hex shape
                req("63 hex digits", "GET", "/v1/transfers/0x" + "a".repeat(63), 400),
                req("65 hex digits", "GET", "/v1/transfers/0x" + "a".repeat(65), 400),
                req("no 0x", "GET", "/v1/transfers/" + HEX64, 400),
                req("non-hex digits", "GET", "/v1/transfers/0x" + "g".repeat(64), 400),
                req("empty sourceTx", "GET", "/v1/transfers?sourceTx=&chain=1", 400),
                req("sourceTx of 63 digits", "GET", "/v1/transfers?sourceTx=0x" + "a".repeat(63) + "&chain=1", 400),
                // chain
                req("negative chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=-1", 400),
                req("zero chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=0", 400),
                req("exponent chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=1e9999", 400),
                req("chain of 2^63", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=9223372036854775808", 400),
                req("chain of 2^53 + 1", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=9007199254740993", 400),
                req("hex chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=0x1", 400),
                req("plus-signed chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=%2B1", 400),
                req("chain with spaces", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=%201", 400),
                req("fractional chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=1.0", 400),
                req("leading-zero chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=01", 400),
                req("empty chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=", 400),
                // parameter set
                req("duplicate chain", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=1&chain=1", 400),
                req("duplicate sourceTx", "GET", "/v1/transfers?sourceTx=" + TX + "&sourceTx=" + TX + "&chain=1", 400),
                req("missing chain", "GET", "/v1/transfers?sourceTx=" + TX, 400),
                req("no parameters", "GET", "/v1/transfers", 400),
                req("unknown extra parameter", "GET", "/v1/transfers?sourceTx=" + TX + "&chain=1&debug=true", 400),
                req("wrong-case parameter name", "GET", "/v1/transfers?SourceTx=" + TX + "&chain=1", 400),
                req("parameter on the transfer route", "GET", "/v1/transfers/" + KNOWN.id() + "?expand=all", 400),
                req("parameter without name", "GET", "/v1/transfers/" + KNOWN.id() + "?=x", 400),
                req("semicolon separator", "GET", "/v1/transfers?sourceTx=" + TX + ";chain=1", 400),
                req("malformed percent-encoding in the query", "GET", "/v1/transfers?sourceTx=%zz&chain=1", 400),
                req("parameter on /v1/chains", "GET", "/v1/chains?chain=1", 400),
                // routes and methods
                req("unknown route", "GET", "/v2/transfers", 404),
                req("admin probe", "GET", "/admin", 404),
                req("trailing slash", "GET", "/v1/transfers/", 404),
                req("empty segment", "GET", "/v1/transfers//history", 404),
                req("extra segment", "GET", "/v1/transfers/" + KNOWN.id() + "/history/all", 404),
                req("POST to a GET route", "POST", "/v1/transfers/" + KNOWN.id(), 405),
                req("DELETE a transfer", "DELETE", "/v1/transfers/" + KNOWN.id(), 405),
                req("PUT /healthz", "PUT", "/healthz", 405),
                req("OPTIONS /v1/chains", "OPTIONS", "/v1/chains", 405),
                req("absolute-form to another host", "GET", "http://evil.example/v1/transfers/" + ID, 400),
                req("asterisk target", "GET", "*", 404));
    }

    private static Arguments req(String name, String method, String target, int expected) {
        return Arguments.of(name, method, target, expected);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("hostileRequests")
    void isAnsweredWithAProblemNeverA500NorHtml(String name, String method, String target, int expected) {
        Reply reply = server.raw(method, target);

        assertThat(reply.status()).as(name + " " + ApiServer.abbreviate(target)).isEqualTo(expected);
        assertThat(reply.contentType()).as(name).isEqualTo("application/problem+json");
        JsonNode problem = reply.json();
        assertThat(problem.get("status").asInt()).as(name).isEqualTo(expected);
        assertThat(problem.get("type").asText()).as(name).isNotBlank();
        assertThat(problem.get("title").asText()).as(name).isNotBlank();
        assertThat(reply.text()).as(name).doesNotContain("<html", "<HTML", "Exception", "\tat ");
        assertThat(reply.text().length()).as(name + ": no echo of kilobytes of input").isLessThan(2_500);
    }

    @Test
    void theTableIsLargeEnough() {
        assertThat(hostileRequests().count()).isGreaterThanOrEqualTo(25);
    }

    @Test
    void aParameterProblemNamesTheParameter() {
        record Case(String target, String type, String parameter) {}
        for (Case c : List.of(
                new Case("/v1/transfers/0x12", Problem.INVALID_PARAMETER, "messageId"),
                new Case("/v1/transfers?sourceTx=0x12&chain=1", Problem.INVALID_PARAMETER, "sourceTx"),
                new Case("/v1/transfers?sourceTx=" + TX + "&chain=-1", Problem.INVALID_PARAMETER, "chain"),
                new Case("/v1/transfers?sourceTx=" + TX, Problem.MISSING_PARAMETER, "chain"),
                new Case("/v1/transfers?sourceTx=" + TX + "&chain=1&chain=2", Problem.UNEXPECTED_PARAMETER, "chain"),
                new Case("/v1/transfers?sourceTx=" + TX + "&chain=1&limit=5", Problem.UNEXPECTED_PARAMETER, "limit"))) {
            JsonNode problem = server.get(c.target()).json();
            assertThat(problem.get("type").asText()).as(c.target()).isEqualTo(c.type());
            assertThat(problem.get("parameter").asText()).as(c.target()).isEqualTo(c.parameter());
            assertThat(problem.get("detail").asText()).as(c.target()).contains(c.parameter());
            assertThat(problem.get("instance").asText()).as(c.target()).startsWith("/v1/transfers");
        }
    }

    @Test
    void aWrongMethodKeepsTheAllowHeader() {
        Reply reply = server.raw("POST", "/v1/transfers/" + KNOWN.id());

        assertThat(reply.status()).isEqualTo(405);
        assertThat(reply.headers().get("allow")).isEqualTo("GET");
        assertThat(reply.json().get("type").asText()).isEqualTo("about:blank");
        assertThat(reply.json().get("title").asText()).isEqualTo("Method Not Allowed");
    }

    @Test
    void noHostileRequestWasCountedAsA500() {
        hostileRequests().forEach(a -> server.raw((String) a.get()[1], (String) a.get()[2]));

        String metrics = server.get("/metrics").text();
        assertThat(metrics).contains("courier_api_requests_total").doesNotContain("code=\"500\"");
    }
}
