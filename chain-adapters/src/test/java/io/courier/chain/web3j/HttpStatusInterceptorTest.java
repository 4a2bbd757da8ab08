package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import io.courier.chain.RpcCall;

import io.courier.chain.ChainRpcException;

import static org.assertj.core.api.Assertions.assertThat;

import io.courier.chain.ChainRpcException.Kind;
import io.courier.chain.web3j.RpcErrorClassifier.EndpointImpact;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Retry-After parsing and the classification of the HTTP failures the interceptor raises. */
class HttpStatusInterceptorTest {

    private final FakeTime time = new FakeTime();
    private final RpcErrorClassifier classifier = new RpcErrorClassifier();

    @ParameterizedTest(name = "\"{0}\" -> {1} ms")
    @CsvSource(delimiter = '|', nullValues = "none", textBlock = """
            120                            | 120000
            0.5                            | 500
            ' 7 '                          | 7000
            0                              | none
            -3                             | none
            soon                           | none
            ''                             | none
            99999999                       | 3600000
            """)
    void retryAfterInSeconds(String header, Long expectedMillis) {
        Duration parsed = HttpStatusInterceptor.parseRetryAfter(header, time.clock());
        assertThat(parsed == null ? null : parsed.toMillis()).isEqualTo(expectedMillis);
    }

    @Test
    void retryAfterAsAnHttpDate() {
        // FakeTime's wall clock is 2026-01-01T00:00:01Z
        assertThat(HttpStatusInterceptor.parseRetryAfter("Thu, 01 Jan 2026 00:00:31 GMT", time.clock()))
                .isEqualTo(Duration.ofSeconds(30));
        assertThat(HttpStatusInterceptor.parseRetryAfter("Wed, 31 Dec 2025 23:59:00 GMT", time.clock())).isNull();
        assertThat(HttpStatusInterceptor.parseRetryAfter("Thu, 01 Jan 2026 09:00:00 GMT", time.clock()))
                .isEqualTo(HttpStatusInterceptor.MAX_RETRY_AFTER);
        assertThat(HttpStatusInterceptor.parseRetryAfter(null, time.clock())).isNull();
    }

    @Test
    void a429CarriesItsRetryAfterIntoTheFailure() {
        RpcFailure failure = classifier.classify(new CompletionException(
                new HttpStatusException(429, Duration.ofSeconds(2), "{\"error\":\"too many\"}")));
        assertThat(failure.kind()).isEqualTo(Kind.RATE_LIMITED);
        assertThat(failure.httpStatus()).isEqualTo(429);
        assertThat(failure.retryAfter()).isEqualTo(Duration.ofSeconds(2));
        assertThat(failure.detail()).contains("HTTP 429").contains("Retry-After 2000 ms");
        assertThat(classifier.impactOnEndpoint(failure)).isEqualTo(EndpointImpact.FAILED);
    }

    @ParameterizedTest(name = "HTTP {0} -> {1}, {2}")
    @CsvSource(delimiter = '|', textBlock = """
            503 | TRANSIENT       | FAILED
            502 | TRANSIENT       | FAILED
            408 | TIMEOUT         | FAILED
            401 | INVALID_REQUEST | FAILED
            403 | INVALID_REQUEST | FAILED
            404 | INVALID_REQUEST | FAILED
            400 | INVALID_REQUEST | ANSWERED
            """)
    void httpStatusesAreClassifiedAndJudged(int status, Kind kind, EndpointImpact impact) {
        RpcFailure failure = classifier.classify(new HttpStatusException(status, null, "nope"));
        assertThat(failure.kind()).isEqualTo(kind);
        assertThat(classifier.impactOnEndpoint(failure)).isEqualTo(impact);
    }

    @Test
    void aJsonRpcErrorInsideA400IsReadByItsMessage() {
        RpcFailure failure = classifier.classify(new HttpStatusException(400, null,
                "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-32005,\"message\":\"query returned more than 10000 results\"}}"));
        assertThat(failure.kind()).isEqualTo(Kind.RANGE_TOO_LARGE);
    }

    @Test
    void theChainRpcExceptionExposesRetryAfter() {
        RpcFailure failure = new RpcFailure(Kind.RATE_LIMITED, "429", null, null, 429, Duration.ofSeconds(3));
        ChainRpcException e = new ChainRpcException("c", 1, RpcCall.of("eth_call"), failure, 1, null);
        assertThat(e.retryAfter()).hasValue(Duration.ofSeconds(3));
        assertThat(new RpcFailure(Kind.RATE_LIMITED, "", null, null, 429, Duration.ZERO).retryAfter()).isNull();
    }
}
