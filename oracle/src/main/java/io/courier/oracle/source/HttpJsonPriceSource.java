package io.courier.oracle.source;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.courier.oracle.PriceObservation;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/**
 * A price from an HTTP JSON API: {@code GET url}, the number at {@code pointer} (RFC 6901, e.g.
 * {@code /ethereum/usd}) in USD, dated when it was received. The URL's query string may hold an API key: it never
 * appears in a message, a log or a metric ({@link #redacted()} is what is shown).
 */
public final class HttpJsonPriceSource implements PriceSource {

    private static final ObjectMapper JSON = new ObjectMapper();
    /** A price API's answer is a few hundred bytes; a larger body is refused rather than parsed. */
    static final int MAX_BODY_BYTES = 64 * 1024;

    private final String asset;
    private final String name;
    private final HttpClient http;
    private final URI url;
    private final JsonPointer pointer;
    private final Duration timeout;
    private final Clock clock;

    public HttpJsonPriceSource(String asset, String name, HttpClient http, URI url, String pointer, Duration timeout, Clock clock) {
        this.asset = Objects.requireNonNull(asset, "asset");
        this.name = Objects.requireNonNull(name, "name");
        this.http = Objects.requireNonNull(http, "http");
        this.url = Objects.requireNonNull(url, "url");
        this.pointer = JsonPointer.compile(Objects.requireNonNull(pointer, "pointer"));
        this.timeout = Objects.requireNonNull(timeout, "timeout");
        this.clock = Objects.requireNonNull(clock, "clock");
        if (!"http".equals(url.getScheme()) && !"https".equals(url.getScheme())) {
            throw new IllegalArgumentException("http price source " + name + " of " + asset + ": the URL must be http(s)");
        }
    }

    @Override
    public String asset() {
        return asset;
    }

    @Override
    public String name() {
        return name;
    }

    /** The URL without its query and fragment: what messages show. */
    public String redacted() {
        return url.getScheme() + "://" + url.getRawAuthority().replaceFirst("^.*@", "") + (url.getRawPath() == null ? "" : url.getRawPath())
                + (url.getRawQuery() == null ? "" : "?…");
    }

    @Override
    public CompletionStage<PriceObservation> observe() {
        HttpRequest request = HttpRequest.newBuilder(url).timeout(timeout).header("Accept", "application/json").GET().build();
        return http.sendAsync(request, HttpResponse.BodyHandlers.ofByteArray())
                .handle((response, error) -> {
                    if (error != null) {
                        throw failure("request failed: " + scrub(PriceSource.describe(error)), null);
                    }
                    return observation(response.statusCode(), response.body(), clock.instant());
                });
    }

    private PriceObservation observation(int status, byte[] body, Instant receivedAt) {
        if (status != 200) {
            throw failure("HTTP " + status, null);
        }
        if (body.length > MAX_BODY_BYTES) {
            throw failure("answer of " + body.length + " bytes is over " + MAX_BODY_BYTES, null);
        }
        JsonNode node;
        try {
            node = JSON.readTree(body).at(pointer);
        } catch (IOException e) {
            throw failure("answer is not JSON", null);
        }
        BigDecimal usd;
        if (node.isNumber()) {
            usd = node.decimalValue();
        } else if (node.isTextual()) {
            try {
                usd = new BigDecimal(node.textValue().trim());
            } catch (NumberFormatException e) {
                throw failure("the text at " + pointer + " is not a number", null);
            }
        } else {
            throw failure(node.isMissingNode() ? "nothing at " + pointer : "the value at " + pointer + " is not a number", null);
        }
        return new PriceObservation(asset, name,
                usd.movePointRight(PriceObservation.USD_DECIMALS).setScale(0, RoundingMode.DOWN).toBigIntegerExact(), receivedAt);
    }

    /** An exception's text with the full URL and its query removed, should a library have put them in. */
    private String scrub(String text) {
        String out = text.replace(url.toString(), redacted());
        return url.getRawQuery() == null ? out : out.replace(url.getRawQuery(), "…");
    }

    private CompletionException failure(String what, Throwable cause) {
        return new CompletionException(new PriceSourceException("http price source " + name + " of " + asset + " ("
                + redacted() + "): " + what, cause));
    }

    @Override
    public String toString() {
        return "HttpJsonPriceSource[" + asset + ", " + name + ", " + redacted() + "]";
    }
}
