package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import static io.courier.chain.ChainRpcException.Kind.*;
import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.ChainRpcException.Kind;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.EnumSet;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.web3j.protocol.core.Response;
import org.web3j.protocol.exceptions.ClientConnectionException;

class RpcErrorClassifierTest {

    private final RpcErrorClassifier classifier = new RpcErrorClassifier();

    @Test
    void onlyTransportTroubleIsRetried() {
        EnumSet<Kind> retried = EnumSet.noneOf(Kind.class);
        for (Kind kind : Kind.values()) {
            if (classifier.isRetriable(kind)) {
                retried.add(kind);
            }
        }
        assertThat(retried).containsExactlyInAnyOrder(TRANSIENT, TIMEOUT, RATE_LIMITED);
    }

    @ParameterizedTest(name = "[{0}] {1} -> {2}")
    @CsvSource(delimiter = '|', textBlock = """
            -32000 | VM Exception while processing transaction: revert                                  | REVERTED
            3      | execution reverted: not allowed                                                     | REVERTED
            -32603 | execution reverted                                                                  | REVERTED
            -32700 | the tx doesn't have the correct nonce. account has nonce of: 1 tx has nonce of: 0   | NONCE_TOO_LOW
            -32000 | nonce too low                                                                       | NONCE_TOO_LOW
            -32000 | already known                                                                       | ALREADY_KNOWN
            -32010 | Transaction with the same hash was already imported.                                | ALREADY_KNOWN
            -32000 | known transaction: 0xabc                                                            | ALREADY_KNOWN
            -32000 | replacement transaction underpriced                                                 | UNDERPRICED
            -32000 | max fee per gas less than block base fee                                            | UNDERPRICED
            -32000 | insufficient funds for gas * price + value                                          | INSUFFICIENT_FUNDS
            -32005 | query returned more than 10000 results                                              | RANGE_TOO_LARGE
            -32602 | block range is too wide                                                             | RANGE_TOO_LARGE
            -32000 | exceed maximum block range: 5000                                                    | RANGE_TOO_LARGE
            -32600 | Log response size exceeded. You can make eth_getLogs requests with up to a 2K block range | RANGE_TOO_LARGE
            -32005 | daily request count exceeded, request rate limited                                  | RATE_LIMITED
            -32005 | limit exceeded                                                                      | RATE_LIMITED
            -32000 | header not found                                                                    | TRANSIENT
            -32603 | internal error                                                                      | TRANSIENT
            -32603 | something broke                                                                     | TRANSIENT
            -32601 | the method eth_foo does not exist/is not available                                  | INVALID_REQUEST
            -32700 | The method eth_foo does not exist/is not available                                  | INVALID_REQUEST
            -32602 | invalid argument 0: hex string has length 3, want 40 for common.Address             | INVALID_REQUEST
            -32700 | Cannot wrap string value "0xzz" as a json-rpc type                                   | INVALID_REQUEST
            -32000 | some new complaint nobody has seen                                                  | REJECTED
            -32000 | intrinsic gas too low                                                               | TX_REJECTED
            -32000 | intrinsic gas too low: have 21000, want 1623764                                      | TX_REJECTED
            -32000 | oversized data                                                                      | TX_REJECTED
            -32000 | exceeds block gas limit                                                             | TX_REJECTED
            -32000 | gas limit reached                                                                   | TX_REJECTED
            -32000 | invalid transaction v, r, s values                                                  | TX_REJECTED
            -32000 | invalid sender                                                                      | TX_REJECTED
            """)
    void jsonRpcErrors(int code, String message, Kind expected) {
        assertThat(classifier.classify(new Response.Error(code, message)).kind()).isEqualTo(expected);
    }

    @Test
    void revertCarriesTheDataInEitherShape() {
        Response.Error ganacheCall = new Response.Error(-32000, "VM Exception while processing transaction: revert");
        ganacheCall.setData("\"0xDEADBEEF\"");
        assertThat(classifier.classify(ganacheCall).revertData()).isEqualTo("0xdeadbeef");

        Response.Error ganacheEstimate = new Response.Error(-32000, "VM Exception while processing transaction: revert");
        ganacheEstimate.setData("{\"hash\":null,\"programCounter\":13,\"result\":\"0x08c379a0\",\"reason\":null,\"message\":\"revert\"}");
        assertThat(classifier.classify(ganacheEstimate).revertData()).isEqualTo("0x08c379a0");

        Response.Error withoutData = new Response.Error(3, "execution reverted");
        assertThat(classifier.classify(withoutData).revertData()).isNull();
        assertThat(classifier.classify(withoutData).rpcCode()).isEqualTo(3);
    }

    @Test
    void onlyRevertsCarryRevertData() {
        Response.Error nonce = new Response.Error(-32000, "nonce too low");
        nonce.setData("\"0x1234\"");
        assertThat(classifier.classify(nonce).revertData()).isNull();
    }

    @Test
    void transportExceptions() {
        assertThat(classifier.classify(new ConnectException("Connection refused")).kind()).isEqualTo(TRANSIENT);
        assertThat(classifier.classify(new IOException("unexpected end of stream")).kind()).isEqualTo(TRANSIENT);
        assertThat(classifier.classify(new TimeoutException()).kind()).isEqualTo(TIMEOUT);
        assertThat(classifier.classify(new SocketTimeoutException("Read timed out")).kind()).isEqualTo(TIMEOUT);
        assertThat(classifier.classify(new InterruptedIOException("timeout")).kind()).isEqualTo(TIMEOUT);
        assertThat(classifier.classify(new AsyncLimiter.RejectedException("full")).kind()).isEqualTo(OVERLOADED);
        assertThat(classifier.classify(new IllegalStateException("bug")).kind()).isEqualTo(BAD_RESPONSE);
    }

    @Test
    void wrappedExceptionsAreUnwrapped() {
        assertThat(classifier.classify(new CompletionException(new TimeoutException())).kind()).isEqualTo(TIMEOUT);
    }

    @ParameterizedTest
    @CsvSource({"429, RATE_LIMITED", "408, TIMEOUT", "500, TRANSIENT", "502, TRANSIENT", "503, TRANSIENT",
            "401, INVALID_REQUEST", "403, INVALID_REQUEST", "404, INVALID_REQUEST"})
    void httpStatusesAsWeb3jReportsThem(int status, Kind expected) {
        ClientConnectionException e = new ClientConnectionException("Invalid response received: " + status + "; <html>nope</html>");
        assertThat(classifier.classify(e).kind()).isEqualTo(expected);
    }

    @Test
    void aJsonRpcErrorInsideAnHttp400IsReadByItsMessage() {
        ClientConnectionException e = new ClientConnectionException("Invalid response received: 400; "
                + "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32602,\"message\":\"query returned more than 10000 results\"}}");
        assertThat(classifier.classify(e).kind()).isEqualTo(RANGE_TOO_LARGE);
        assertThat(classifier.classify(new ClientConnectionException("Invalid response received: 429; rate limit")).kind())
                .isEqualTo(RATE_LIMITED);
    }

    @Test
    void stackTracesInNodeMessagesAreCut() {
        String huge = "internal error\n" + "    at something (file.js:1:2)\n".repeat(100);
        RpcFailure failure = classifier.classify(new Response.Error(-32603, huge));
        assertThat(failure.detail()).hasSizeLessThan(330).doesNotContain("\n");
    }
}
