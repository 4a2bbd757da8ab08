package io.courier.chain.web3j;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Objects;
import java.util.regex.Pattern;
import okhttp3.Interceptor;
import okhttp3.Response;

/**
 * An OkHttp application interceptor on each pooled endpoint's own client: a non-2xx answer becomes an
 * {@link HttpStatusException} carrying the status, the {@code Retry-After} header (seconds or an HTTP date) and
 * the start of the body. web3j's {@code HttpService} would otherwise report only
 * {@code "Invalid response received: 429; <body>"} and drop the headers. The exception is an
 * {@link IOException}, so it leaves {@code HttpService.performIO} unchanged and fails the request's future.
 */
final class HttpStatusInterceptor implements Interceptor {

    /** A provider asking for more than this is still honoured, for this long. */
    static final Duration MAX_RETRY_AFTER = Duration.ofHours(1);

    private static final long MAX_BODY_BYTES = 16 * 1024;
    private static final Pattern SECONDS = Pattern.compile("\\d{1,9}(\\.\\d{1,9})?");

    private final Clock clock;

    HttpStatusInterceptor(Clock clock) {
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    @Override
    public Response intercept(Chain chain) throws IOException {
        Response response = chain.proceed(chain.request());
        if (response.isSuccessful()) {
            return response;
        }
        try (response) {
            String body = response.peekBody(MAX_BODY_BYTES).string();
            throw new HttpStatusException(response.code(), parseRetryAfter(response.header("Retry-After"), clock), body);
        }
    }

    /**
     * {@code Retry-After} as a delay from now: delta-seconds ({@code 120}; a fraction is accepted) or an HTTP date
     * ({@code Wed, 21 Oct 2015 07:28:00 GMT}). Null when absent, unreadable, zero or in the past; at most
     * {@link #MAX_RETRY_AFTER}.
     */
    static Duration parseRetryAfter(String value, Clock clock) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        Duration delay;
        if (SECONDS.matcher(text).matches()) {
            delay = Duration.ofNanos(new BigDecimal(text).movePointRight(9).longValue());
        } else {
            try {
                Instant at = DateTimeFormatter.RFC_1123_DATE_TIME.parse(text, Instant::from);
                delay = Duration.between(clock.instant(), at);
            } catch (DateTimeParseException unreadable) {
                return null;
            }
        }
        if (delay.isNegative() || delay.isZero()) {
            return null;
        }
        return delay.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : delay;
    }
}
