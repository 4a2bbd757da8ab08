package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.NotUsed;
import org.apache.pekko.http.javadsl.marshalling.sse.EventStreamMarshalling;
import org.apache.pekko.http.javadsl.model.AttributeKeys;
import org.apache.pekko.http.javadsl.model.RemoteAddress;
import org.apache.pekko.http.javadsl.model.sse.ServerSentEvent;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.stream.javadsl.Source;

/**
 * {@code /v1/transfers}: one transfer by message id, its history, a server-sent-events stream of its status
 * changes, and the transfers of a source transaction.
 * Reads only, through {@link TransferQueries}; every handler composes the query's {@code CompletionStage}
 * ({@code onSuccess}) and never waits on it.
 */
public final class TransferRoutes extends ApiDirectives {

    public static final String TRANSFER = "/v1/transfers/{messageId}";
    public static final String HISTORY = "/v1/transfers/{messageId}/history";
    public static final String EVENTS = "/v1/transfers/{messageId}/events";
    public static final String EVENTS_BY_SOURCE_TX = "/v1/transfers/events";
    public static final String BY_SOURCE_TX = "/v1/transfers";
    public static final String STUCK = "/v1/transfers?stuck";
    public static final String BY_ADDRESS = "/v1/transfers?address";

    private static final List<String> NONE = List.of();
    private static final int MAX_STUCK = 500;
    private static final int MAX_PAGE = 100;
    private static final int DEFAULT_PAGE = 20;

    /**
     * How often the events feed reads a followed transfer, how long a stream may stay open, its heartbeat interval,
     * how many streams the node holds open in all and per client address (beyond either: 429), and how long a
     * stream of a transfer (or source transaction) the node does not know yet waits for it to appear.
     */
    public record EventSettings(Duration poll, Duration maxOpen, Duration heartbeat, int maxStreams, int maxStreamsPerClient,
                                Duration unknownWait) {
        public static final EventSettings DEFAULT = new EventSettings(Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(15), 1_000, 16, Duration.ofMinutes(30));

        public EventSettings(Duration poll, Duration maxOpen, Duration heartbeat, int maxStreams, int maxStreamsPerClient) {
            this(poll, maxOpen, heartbeat, maxStreams, maxStreamsPerClient, DEFAULT.unknownWait());
        }

        public EventSettings(Duration poll, Duration maxOpen, Duration heartbeat) {
            this(poll, maxOpen, heartbeat, DEFAULT.maxStreams(), DEFAULT.maxStreamsPerClient());
        }
    }

    /** Reads of the feed in flight at once: a slice of the API session's budget, the rest stays for requests. */
    static final int FEED_PARALLELISM = 8;

    private final TransferQueries queries;
    private final PayloadDescriber payloads;
    private final EventSettings events;
    private final EventStreamPermits permits;
    private final TransferFeed feed;
    private TransferPayments payments; // optional: the payment member of GET /v1/transfers/{id} when the node wires it
    private final java.util.Map<Transfer, org.apache.pekko.http.javadsl.model.HttpResponse> renderedImmutable =
            new java.util.WeakHashMap<>();

    public TransferRoutes(TransferQueries queries, PayloadDescriber payloads, ApiJson json) {
        this(queries, payloads, json, EventSettings.DEFAULT);
    }

    public TransferRoutes(TransferQueries queries, PayloadDescriber payloads, ApiJson json, EventSettings events) {
        super(json);
        this.queries = Objects.requireNonNull(queries, "queries");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.events = Objects.requireNonNull(events, "events");
        this.permits = new EventStreamPermits(events.maxStreams(), events.maxStreamsPerClient());
        this.feed = new TransferFeed(queries, events.poll(), TransferFeed.Ticker.daemon(), FEED_PARALLELISM);
    }

    public Route route() {
        return pathPrefix("v1", () -> pathPrefix("transfers", () -> concat(
                pathEnd(() -> parameterOptional("stuck", stuck -> parameterOptional("address", address -> stuck.isPresent()
                        ? template(STUCK, () -> get(() -> strictQuery(List.of("stuck"), List.of("limit"), this::stuck)))
                        : address.isPresent()
                        ? template(BY_ADDRESS, () -> get(() -> strictQuery(List.of("address"),
                                List.of("status", "limit", "cursor"), this::byAddress)))
                        : template(BY_SOURCE_TX, () -> get(() ->
                                strictQuery(List.of("sourceTx", "chain"), NONE, this::bySourceTx)))))),
                // before the id segment below, which would take "events" for a malformed message id
                path("events", () -> template(EVENTS_BY_SOURCE_TX, () -> get(() ->
                        strictQuery(List.of("sourceTx", "chain"), NONE, this::eventsBySourceTx)))),
                path(PathMatchers.segment(), rawId -> template(TRANSFER, () -> get(() ->
                        strictQuery(NONE, NONE, q -> transfer(ApiParams.messageId("messageId", rawId)))))),
                path(PathMatchers.segment().slash("history"), rawId -> template(HISTORY, () -> get(() ->
                        strictQuery(NONE, NONE, q -> history(ApiParams.messageId("messageId", rawId)))))),
                path(PathMatchers.segment().slash("events"), rawId -> template(EVENTS, () -> get(() ->
                        strictQuery(NONE, NONE, q -> events(ApiParams.messageId("messageId", rawId))))))
        )));
    }

    /** Adds the {@code payment} member to {@code GET /v1/transfers/{id}}. */
    public TransferRoutes withPayments(TransferPayments payments) {
        this.payments = payments;
        return this;
    }

    private Route transfer(MessageId id) {
        if (payments == null) {
            return onSuccess(queries.find(id), found -> found
                    .map(t -> complete(rendered(t)))
                    .orElseGet(() -> completeProblem(notFound(id))));
        }
        TransferPayments reads = payments;
        return onSuccess(queries.find(id).thenCompose(found -> {
            if (found.isEmpty()) {
                return java.util.concurrent.CompletableFuture.completedFuture(
                        java.util.Optional.<org.apache.pekko.http.javadsl.model.HttpResponse>empty());
            }
            Transfer t = found.get();
            java.util.Optional<org.apache.pekko.http.javadsl.model.HttpResponse> kept = renderedBefore(t);
            if (kept.isPresent()) {
                return java.util.concurrent.CompletableFuture.completedFuture(kept);
            }
            return reads.of(t).thenApply(payment -> java.util.Optional.of(rendered(t, TransferView.of(t, payloads).withPayment(payment))));
        }), response -> response.map(r -> complete(r)).orElseGet(() -> completeProblem(notFound(id))));
    }

    private java.util.Optional<org.apache.pekko.http.javadsl.model.HttpResponse> renderedBefore(Transfer t) {
        if (!CachedTransferQueries.IMMUTABLE.contains(t.status())) {
            return java.util.Optional.empty();
        }
        synchronized (renderedImmutable) {
            return java.util.Optional.ofNullable(renderedImmutable.get(t));
        }
    }

    private org.apache.pekko.http.javadsl.model.HttpResponse rendered(Transfer t, TransferView view) {
        org.apache.pekko.http.javadsl.model.HttpResponse r = json.ok(view);
        if (CachedTransferQueries.IMMUTABLE.contains(t.status())) {
            synchronized (renderedImmutable) {
                renderedImmutable.put(t, r);
            }
        }
        return r;
    }

    /**
     * The answer for {@code t}; for a transfer that cannot change, built once and kept as long as the transfer itself
     * is (weak keys: {@link CachedTransferQueries} holds the transfer, so its size bounds this map too). A Pekko
     * response with a strict entity is immutable and may be sent any number of times.
     */
    private org.apache.pekko.http.javadsl.model.HttpResponse rendered(Transfer t) {
        if (!CachedTransferQueries.IMMUTABLE.contains(t.status())) {
            return json.ok(TransferView.of(t, payloads));
        }
        synchronized (renderedImmutable) {
            org.apache.pekko.http.javadsl.model.HttpResponse r = renderedImmutable.get(t);
            if (r != null) {
                return r;
            }
        }
        org.apache.pekko.http.javadsl.model.HttpResponse r = json.ok(TransferView.of(t, payloads));
        synchronized (renderedImmutable) {
            renderedImmutable.put(t, r);
        }
        return r;
    }

    private Route history(MessageId id) {
        return onSuccess(queries.history(id), entries -> {
            if (!entries.isEmpty()) {
                return complete(json.ok(historyView(id, entries.stream().map(TransferView.HistoryEntry::of).toList())));
            }
            // every known transfer has at least its observation entry; tell "unknown" from "no rows yet"
            return onSuccess(queries.find(id), found -> found.isPresent()
                    ? complete(json.ok(historyView(id, List.of())))
                    : completeProblem(notFound(id)));
        });
    }

    /**
     * {@code text/event-stream} of one transfer: a {@code status} event per entry of its history (the transfer as
     * {@code GET /v1/transfers/{id}} shows it, as of that step), numbered by history position so {@code Last-Event-ID}
     * resumes after it. Without {@code Last-Event-ID} a known transfer starts with its current status; one the node
     * does not know yet (its source transaction just mined, say) keeps the stream open with heartbeats for at most
     * {@code unknownWait} and is sent from its first step once it appears, or ends with a {@code not-found} event.
     * The stream ends after DELIVERED or REORGED, after FAILED or UNDELIVERABLE (which wait for a person: a retry is
     * a new stream), or after {@code maxOpen} (the client reconnects). Streams are fed by the shared
     * {@link TransferFeed}: one read per followed transfer per {@code poll}, whatever the number of streams.
     */
    private Route events(MessageId id) {
        return extractRequest(request -> {
            Optional<String> lastEventId = request.getHeader("Last-Event-ID").map(h -> h.value());
            EventCursor.ofTransfer(id, lastEventId, false); // a malformed Last-Event-ID is a 400 before any read
            // the first read answers 503 when the store is overloaded, and tells a known transfer from a new one
            return onSuccess(queries.find(id), found -> {
                EventCursor cursor = EventCursor.ofTransfer(id, lastEventId, found.isPresent());
                return stream(request, new TransferFeed.ById(id), cursor, id.toHex(),
                        () -> notFound(id));
            });
        });
    }

    /** The same for every transfer of a source transaction; ends once all the node knows of are done. */
    private Route eventsBySourceTx(Map<String, String> query) {
        TxHash txHash = TxHash.fromHex(ApiParams.hash32("sourceTx", query.get("sourceTx")));
        long chain = ApiParams.chainId("chain", query.get("chain"));
        return extractRequest(request -> {
            Optional<String> lastEventId = request.getHeader("Last-Event-ID").map(h -> h.value());
            EventCursor.ofMany(lastEventId, java.util.Set.of()); // a malformed Last-Event-ID is a 400 before any read
            return onSuccess(queries.findBySourceTx(chain, txHash), found -> {
                EventCursor cursor = EventCursor.ofMany(lastEventId,
                        found.stream().map(Transfer::id).collect(java.util.stream.Collectors.toSet()));
                return stream(request, new TransferFeed.BySourceTx(chain, txHash), cursor,
                        "?sourceTx=" + txHash.toHex() + "&chain=" + chain,
                        () -> Problem.of(Problem.TRANSFER_NOT_FOUND, "Transfer not found", 404, "no transfer of source"
                                + " transaction " + txHash.toHex() + " on chain " + chain + " appeared within "
                                + events.unknownWait()));
            });
        });
    }

    private Route stream(org.apache.pekko.http.javadsl.model.HttpRequest request, TransferFeed.Key key, EventCursor cursor,
                         String what, java.util.function.Supplier<Problem> notFound) {
        // the peer's own address, not X-Forwarded-For: a header would let one client pose as many
        String client = request.getAttribute(AttributeKeys.remoteAddress)
                .flatMap(RemoteAddress::getAddress).map(java.net.InetAddress::getHostAddress).orElse("unknown");
        Optional<EventStreamPermits.Permit> permit = permits.acquire(client);
        if (permit.isEmpty()) {
            return respondWithHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Retry-After", "30"),
                    () -> completeProblem(Problem.of(Problem.ABOUT_BLANK, "Too Many Requests", 429,
                            "too many open event streams (at most " + permits.maxPerClient() + " per client and "
                                    + permits.maxTotal() + " in all): close one, or poll GET /v1/transfers/" + what)));
        }
        Source<ServerSentEvent, NotUsed> stream = changes(key, cursor, notFound)
                .watchTermination((mat, done) -> {
                    done.whenComplete((ok, error) -> permit.get().release());
                    return mat;
                });
        return completeOK(stream, EventStreamMarshalling.toEventStream());
    }

    /** What reaches a stream: the feed's updates, and the end of the wait for an unknown transfer. */
    private sealed interface Signal permits Update, WaitOver {}

    private record Update(List<EventCursor.Snapshot> snapshots) implements Signal {}

    private record WaitOver() implements Signal {}

    /** Marks the end of a stream after its last event (never sent). */
    private static final ServerSentEvent END = ServerSentEvent.create("", "end");

    private Source<ServerSentEvent, NotUsed> changes(TransferFeed.Key key, EventCursor cursor,
                                                     java.util.function.Supplier<Problem> notFound) {
        // one queue per stream, fed by the shared feed; conflated, so a slow client holds one update (the newest,
        // which has every entry of the older ones) and the queue never fills
        Source<Signal, NotUsed> updates = Source.<Signal>queue(16)
                .mapMaterializedValue(queue -> feed.watch(key, snapshots -> queue.offer(new Update(snapshots))))
                .watchTermination((subscription, done) -> {
                    done.whenComplete((ok, error) -> subscription.cancel());
                    return NotUsed.getInstance();
                })
                .conflate((older, newer) -> newer);
        Source<Signal, NotUsed> signals = updates.merge(Source.<Signal>single(new WaitOver()).initialDelay(events.unknownWait()));
        return signals
                .mapConcat(signal -> {
                    if (signal instanceof WaitOver) {
                        if (cursor.appeared()) {
                            return List.<ServerSentEvent>of();
                        }
                        return List.of(ServerSentEvent.create(new String(json.bytes(notFound.get()),
                                java.nio.charset.StandardCharsets.UTF_8), "not-found"), END);
                    }
                    List<EventCursor.Snapshot> snapshots = ((Update) signal).snapshots();
                    List<ServerSentEvent> out = new java.util.ArrayList<>();
                    for (EventCursor.Frame f : cursor.next(snapshots)) {
                        TransferView view = TransferView.asOf(f.snapshot().transfer(), f.snapshot().entries(), f.index(), payloads);
                        out.add(ServerSentEvent.create(new String(json.bytes(view), java.nio.charset.StandardCharsets.UTF_8),
                                Optional.of("status"), Optional.of(f.eventId()), java.util.OptionalInt.empty()));
                    }
                    if (!snapshots.isEmpty() && snapshots.stream().allMatch(EventCursor.Snapshot::done)) {
                        out.add(END);
                    }
                    return out;
                })
                .takeWhile(e -> e != END)
                .takeWithin(events.maxOpen())
                .keepAlive(events.heartbeat(), ServerSentEvent::heartbeat);
    }

    private Route bySourceTx(Map<String, String> query) {
        TxHash txHash = TxHash.fromHex(ApiParams.hash32("sourceTx", query.get("sourceTx")));
        long chain = ApiParams.chainId("chain", query.get("chain"));
        return onSuccess(queries.findBySourceTx(chain, txHash), transfers -> complete(json.ok(
                new TransferView.ListView(transfers.stream().map(t -> TransferView.of(t, payloads)).toList()))));
    }

    private Route byAddress(Map<String, String> query) {
        Address address = Address.fromHex(ApiParams.address("address", query.get("address")));
        java.util.Optional<io.courier.finality.TransferStatus> status = java.util.Optional.ofNullable(query.get("status"))
                .map(s -> ApiParams.status("status", s));
        int limit = query.containsKey("limit") ? ApiParams.limit("limit", query.get("limit"), MAX_PAGE) : DEFAULT_PAGE;
        java.util.Optional<String> cursor = java.util.Optional.ofNullable(query.get("cursor")).map(c -> ApiParams.cursor("cursor", c));
        return onSuccess(queries.byAddress(address, status, limit, cursor), page -> complete(json.ok(new TransferView.PageView(
                page.transfers().stream().map(t -> TransferView.of(t, payloads)).toList(), page.next().orElse(null)))));
    }

    private Route stuck(Map<String, String> query) {
        if (!"true".equals(query.get("stuck"))) {
            throw ApiParams.invalid("stuck", "only 'true' is supported");
        }
        int limit = query.containsKey("limit") ? ApiParams.limit("limit", query.get("limit"), MAX_STUCK) : MAX_STUCK;
        return onSuccess(queries.stuck(limit), transfers -> complete(json.ok(
                new TransferView.ListView(transfers.stream().map(t -> TransferView.of(t, payloads)).toList()))));
    }

    private static TransferView.HistoryView historyView(MessageId id, List<TransferView.HistoryEntry> entries) {
        return new TransferView.HistoryView(id.toHex(), entries);
    }

    private static Problem notFound(MessageId id) {
        return Problem.of(Problem.TRANSFER_NOT_FOUND, "Transfer not found", 404,
                "no transfer with message id " + id.toHex() + " is known to this node");
    }
}
