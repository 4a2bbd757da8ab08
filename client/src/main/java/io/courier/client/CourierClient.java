package io.courier.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * A client of a Courier node's status API (the routes of its {@code openapi.yaml}), on the JDK's {@link HttpClient}.
 * Thread-safe; one per node is enough, closed when the application stops.
 *
 * <pre>{@code
 * CourierClient courier = CourierClient.create("http://relayer.example:8080");
 * Transfer done = courier.awaitDelivered(messageId, Duration.ofMinutes(5));
 * }</pre>
 *
 * <p>Errors the node answers are {@link CourierApiException}s carrying its problem ({@code type}, {@code detail});
 * I/O failures are {@link UncheckedIOException}s.
 */
public final class CourierClient implements AutoCloseable {

    private final URI base;
    private final HttpClient http;
    private final Duration requestTimeout;
    private final Duration retryInterval;
    private final ObjectMapper json = JsonMapper.builder()
            .addModule(new JavaTimeModule())
            .enable(DeserializationFeature.READ_UNKNOWN_ENUM_VALUES_USING_DEFAULT_VALUE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** Reads event streams: a blocking read per open stream, off the caller's and HttpClient's threads. */
    private final ExecutorService streams = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "courier-client-events");
        t.setDaemon(true);
        return t;
    });

    private CourierClient(Builder b) {
        this.base = URI.create(b.base.toString().replaceAll("/+$", ""));
        this.http = b.http != null ? b.http : HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build();
        this.requestTimeout = b.requestTimeout;
        this.retryInterval = b.retryInterval;
    }

    /** A client of the node at {@code baseUrl} (e.g. {@code http://127.0.0.1:8080}), with the defaults. */
    public static CourierClient create(String baseUrl) {
        return builder(URI.create(baseUrl)).build();
    }

    public static Builder builder(URI baseUrl) {
        return new Builder(baseUrl);
    }

    /** Options: an own {@link HttpClient}, the per-request timeout, the pause before {@link #awaitDelivered} asks again. */
    public static final class Builder {
        private final URI base;
        private HttpClient http;
        private Duration requestTimeout = Duration.ofSeconds(10);
        private Duration retryInterval = Duration.ofSeconds(1);

        private Builder(URI base) {
            this.base = Objects.requireNonNull(base, "base URL");
        }

        public Builder httpClient(HttpClient client) {
            this.http = Objects.requireNonNull(client, "client");
            return this;
        }

        /** How long a plain request may take until its answer's headers (default 10 s). */
        public Builder requestTimeout(Duration timeout) {
            this.requestTimeout = Objects.requireNonNull(timeout, "timeout");
            return this;
        }

        /**
         * How long {@link #awaitDelivered} waits before asking again after the node did not know the transfer yet,
         * after a stream closed, or after a failed request (default 1 s).
         */
        public Builder retryInterval(Duration interval) {
            this.retryInterval = Objects.requireNonNull(interval, "interval");
            return this;
        }

        public CourierClient build() {
            return new CourierClient(this);
        }
    }

    // ── reads ─────────────────────────────────────────────────────────────────────────────────────────

    /** The transfer with this message id ({@code 0x} + 64 hex digits), or empty when the node knows none. */
    public Optional<Transfer> transfer(String messageId) {
        try {
            return Optional.of(get(transferPath(messageId), Transfer.class));
        } catch (CourierApiException e) {
            if (e.status() == 404 && "urn:courier:problem:transfer-not-found".equals(e.type())) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The transfers sent by source transaction {@code txHash} on chain {@code chainId}, by log index (maybe none). */
    public List<Transfer> bySourceTx(long chainId, String txHash) {
        return get("/v1/transfers?sourceTx=" + encode(txHash) + "&chain=" + chainId, TransferList.class).transfers();
    }

    /**
     * One page of the transfers {@code address} sent or receives, newest first.
     *
     * @param status only transfers in this status; null for all
     * @param limit  the page size, 1 to 100
     * @param cursor the previous page's {@link TransferPage#next()}; null for the first page
     */
    public TransferPage byAddress(String address, TransferStatus status, int limit, String cursor) {
        StringBuilder path = new StringBuilder("/v1/transfers?address=").append(encode(address)).append("&limit=").append(limit);
        if (status != null) {
            path.append("&status=").append(status.name());
        }
        if (cursor != null) {
            path.append("&cursor=").append(encode(cursor));
        }
        return get(path.toString(), TransferPage.class);
    }

    /** Every transfer of {@code address} (in {@code status}, if not null), newest first, read a page at a time as consumed. */
    public Stream<Transfer> allByAddress(String address, TransferStatus status, int pageSize) {
        Iterator<Transfer> pages = new Iterator<>() {
            private Iterator<Transfer> current = List.<Transfer>of().iterator();
            private String next;
            private boolean started;

            @Override
            public boolean hasNext() {
                // a filtered page may be empty and still have a next one
                while (!current.hasNext() && (!started || next != null)) {
                    TransferPage page = byAddress(address, status, pageSize, next);
                    started = true;
                    next = page.next();
                    current = page.transfers().iterator();
                }
                return current.hasNext();
            }

            @Override
            public Transfer next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return current.next();
            }
        };
        return StreamSupport.stream(Spliterators.spliteratorUnknownSize(pages, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** The status changes of a transfer, oldest first. */
    public List<HistoryEntry> history(String messageId) {
        return get(transferPath(messageId) + "/history", History.class).history();
    }

    /**
     * What to send to deliver an attested transfer oneself ({@code GET /v1/transfers/{id}/attestation}). A transfer
     * not attested yet is a {@link CourierApiException} with status 409 ({@code urn:courier:problem:not-attested}).
     */
    public SelfRelay selfRelay(String messageId) {
        return get(transferPath(messageId) + "/attestation", SelfRelay.class);
    }

    // ── events ────────────────────────────────────────────────────────────────────────────────────────

    /** An open event stream: {@link #done()} completes when the node ends it (or fails); {@link #close()} ends it here. */
    public interface Subscription extends AutoCloseable {
        CompletableFuture<Void> done();

        /** The last event id the node sent, to resume from; null when it sent none. */
        String lastEventId();

        @Override
        void close();
    }

    /**
     * Opens {@code /v1/transfers/{id}/events} and hands each {@code status} event's transfer to {@code onStatus}, on
     * a thread of this client. The node sends the transfer at once and on every change, and ends the stream after a
     * status nothing follows; {@link Subscription#done()} then completes. An unknown id or a refused stream completes
     * it exceptionally with the node's {@link CourierApiException}.
     *
     * @param lastEventId sent as {@code Last-Event-ID} to resume a stream; null for a new one
     */
    public Subscription events(String messageId, String lastEventId, Consumer<Transfer> onStatus) {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(transferPath(messageId) + "/events"))
                .header("Accept", "text/event-stream").timeout(requestTimeout).GET();
        if (lastEventId != null) {
            request.header("Last-Event-ID", lastEventId);
        }
        AtomicReference<Stream<String>> body = new AtomicReference<>();
        AtomicBoolean closed = new AtomicBoolean();
        ServerSentEvents parser = new ServerSentEvents(event -> {
            if ("status".equals(event.event())) {
                onStatus.accept(read(event.data(), Transfer.class, "event of " + messageId));
            }
        });
        String what = "GET " + transferPath(messageId) + "/events";
        CompletableFuture<Void> done = http.sendAsync(request.build(), HttpResponse.BodyHandlers.ofLines())
                .thenAcceptAsync(response -> {
                    if (response.statusCode() != 200) {
                        String text;
                        try (Stream<String> lines = response.body()) {
                            text = String.join("\n", (Iterable<String>) lines::iterator);
                        }
                        throw problem(what, response.statusCode(), text);
                    }
                    body.set(response.body());
                    if (closed.get()) {
                        response.body().close();
                        return;
                    }
                    try (Stream<String> lines = response.body()) {
                        lines.forEach(line -> {
                            if (!closed.get()) {
                                parser.line(line);
                            }
                        });
                    } catch (UncheckedIOException e) {
                        if (!closed.get()) {
                            throw e;
                        }
                    }
                }, streams);
        return new Subscription() {
            @Override
            public CompletableFuture<Void> done() {
                return done;
            }

            @Override
            public String lastEventId() {
                return parser.lastEventId();
            }

            @Override
            public void close() {
                closed.set(true);
                Stream<String> lines = body.get();
                if (lines != null) {
                    lines.close(); // cancels the body's subscription: the reading thread's next read ends
                }
                done.cancel(true);
            }
        };
    }

    /**
     * Waits until the transfer is DELIVERED, following its event stream (reconnecting when the node ends it, and
     * asking again every retry interval while the node does not know the id yet, as right after sending). Returns the
     * delivered transfer.
     *
     * @throws NotDeliveredException the transfer reached REORGED, FAILED or UNDELIVERABLE: nothing more comes without
     *                               someone acting
     * @throws TimeoutException      not delivered within {@code timeout}
     * @throws CourierApiException   the node refused the request for good (a malformed id, say)
     */
    public Transfer awaitDelivered(String messageId, Duration timeout) throws TimeoutException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String resumeFrom = null;
        Transfer last = null;
        while (true) {
            BlockingQueue<Object> seen = new LinkedBlockingQueue<>();
            Subscription sub = events(messageId, resumeFrom, seen::add);
            sub.done().whenComplete((ok, error) -> seen.add(error == null ? END : error));
            try {
                while (true) {
                    long left = deadline - System.nanoTime();
                    Object next = left <= 0 ? null : seen.poll(left, TimeUnit.NANOSECONDS);
                    if (next == null) {
                        throw new TimeoutException("transfer " + messageId + " not DELIVERED within " + timeout
                                + (last == null ? " (never seen)" : "; last seen " + last.status()));
                    }
                    if (next instanceof Transfer t) {
                        last = t;
                        if (t.status() == TransferStatus.DELIVERED) {
                            return t;
                        }
                        if (t.status() == TransferStatus.REORGED || t.status().waitsForOperator()) {
                            throw new NotDeliveredException(t);
                        }
                        continue;
                    }
                    if (next instanceof Throwable error) {
                        Throwable cause = error instanceof CompletionException || error instanceof ExecutionException
                                ? error.getCause() : error;
                        // not known yet (the watcher has not indexed it), or the node briefly away: ask again; anything
                        // else the node said (a malformed id, ...) would only be said again
                        if (cause instanceof CourierApiException api && api.status() != 404 && api.status() < 500
                                && api.status() != 429) {
                            throw api;
                        }
                    }
                    break; // the stream ended or failed: open another after a pause
                }
            } finally {
                resumeFrom = sub.lastEventId() != null ? sub.lastEventId() : resumeFrom;
                sub.close();
            }
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("transfer " + messageId + " not DELIVERED within " + timeout
                        + (last == null ? " (never seen)" : "; last seen " + last.status()));
            }
            TimeUnit.NANOSECONDS.sleep(Math.min(left, retryInterval.toNanos()));
        }
    }

    private static final Object END = new Object();

    /** Ends the threads that read event streams (open streams end with them). The client is not used afterwards. */
    @Override
    public void close() {
        streams.shutdownNow();
    }

    // ── plumbing ──────────────────────────────────────────────────────────────────────────────────────

    private record TransferList(List<Transfer> transfers) {
        TransferList {
            transfers = transfers == null ? List.of() : List.copyOf(transfers);
        }
    }

    private record History(String messageId, List<HistoryEntry> history) {
        History {
            history = history == null ? List.of() : new ArrayList<>(history);
        }
    }

    private static String transferPath(String messageId) {
        return "/v1/transfers/" + encode(Objects.requireNonNull(messageId, "messageId"));
    }

    private static String encode(String value) {
        return URLEncoder.encode(Objects.requireNonNull(value), StandardCharsets.UTF_8);
    }

    private URI uri(String pathAndQuery) {
        return URI.create(base + pathAndQuery);
    }

    private <T> T get(String pathAndQuery, Class<T> type) {
        HttpRequest request = HttpRequest.newBuilder(uri(pathAndQuery)).header("Accept", "application/json")
                .timeout(requestTimeout).GET().build();
        HttpResponse<String> response;
        try {
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException("GET " + pathAndQuery + " failed: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during GET " + pathAndQuery, e);
        }
        if (response.statusCode() != 200) {
            throw problem("GET " + pathAndQuery, response.statusCode(), response.body());
        }
        return read(response.body(), type, "GET " + pathAndQuery);
    }

    private <T> T read(String text, Class<T> type, String what) {
        try {
            return json.readValue(text, type);
        } catch (IOException e) {
            throw new UncheckedIOException(what + ": the answer is not a " + type.getSimpleName() + ": " + e.getMessage(), e);
        }
    }

    private CourierApiException problem(String what, int status, String body) {
        try {
            JsonNode p = json.readTree(body);
            if (p != null && p.isObject() && p.hasNonNull("type")) {
                return new CourierApiException(what, status, p.path("type").asText(),
                        p.path("title").asText(null), p.path("detail").asText(null));
            }
        } catch (IOException notJson) {
            // a proxy's HTML page, say: reported as a plain HTTP error below
        }
        return new CourierApiException(what, status, "about:blank", "HTTP " + status,
                body == null || body.isBlank() ? null : body.substring(0, Math.min(200, body.length())));
    }
}
