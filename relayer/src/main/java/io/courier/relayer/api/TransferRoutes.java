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
import java.util.concurrent.atomic.AtomicReference;
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
    public static final String BY_SOURCE_TX = "/v1/transfers";
    public static final String STUCK = "/v1/transfers?stuck";
    public static final String BY_ADDRESS = "/v1/transfers?address";

    private static final List<String> NONE = List.of();
    private static final int MAX_STUCK = 500;
    private static final int MAX_PAGE = 100;
    private static final int DEFAULT_PAGE = 20;

    /**
     * How often an events stream reads the transfer, how long it may stay open, its heartbeat interval, and how
     * many streams the node holds open in all and per client address (beyond either: 429).
     */
    public record EventSettings(Duration poll, Duration maxOpen, Duration heartbeat, int maxStreams, int maxStreamsPerClient) {
        public static final EventSettings DEFAULT = new EventSettings(Duration.ofSeconds(1), Duration.ofHours(1),
                Duration.ofSeconds(15), 1_000, 16);

        public EventSettings(Duration poll, Duration maxOpen, Duration heartbeat) {
            this(poll, maxOpen, heartbeat, DEFAULT.maxStreams(), DEFAULT.maxStreamsPerClient());
        }
    }

    private final TransferQueries queries;
    private final PayloadDescriber payloads;
    private final EventSettings events;
    private final EventStreamPermits permits;

    public TransferRoutes(TransferQueries queries, PayloadDescriber payloads, ApiJson json) {
        this(queries, payloads, json, EventSettings.DEFAULT);
    }

    public TransferRoutes(TransferQueries queries, PayloadDescriber payloads, ApiJson json, EventSettings events) {
        super(json);
        this.queries = Objects.requireNonNull(queries, "queries");
        this.payloads = Objects.requireNonNull(payloads, "payloads");
        this.events = Objects.requireNonNull(events, "events");
        this.permits = new EventStreamPermits(events.maxStreams(), events.maxStreamsPerClient());
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
                path(PathMatchers.segment(), rawId -> template(TRANSFER, () -> get(() ->
                        strictQuery(NONE, NONE, q -> transfer(ApiParams.messageId("messageId", rawId)))))),
                path(PathMatchers.segment().slash("history"), rawId -> template(HISTORY, () -> get(() ->
                        strictQuery(NONE, NONE, q -> history(ApiParams.messageId("messageId", rawId)))))),
                path(PathMatchers.segment().slash("events"), rawId -> template(EVENTS, () -> get(() ->
                        strictQuery(NONE, NONE, q -> events(ApiParams.messageId("messageId", rawId))))))
        )));
    }

    private Route transfer(MessageId id) {
        return onSuccess(queries.find(id), found -> found
                .map(t -> complete(json.ok(TransferView.of(t, payloads))))
                .orElseGet(() -> completeProblem(notFound(id))));
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
     * {@code text/event-stream}: a {@code status} event with the transfer (as {@code GET /v1/transfers/{id}}) at
     * once and whenever it has changed (read every {@code poll}: changes within one poll arrive as one); it ends
     * after DELIVERED or REORGED, after FAILED (which waits for a person: a retry is a new stream), or after
     * {@code maxOpen} (the client reconnects). Each stream reads its one transfer every {@code poll}; an unknown
     * id is a 404 problem, not a stream; beyond the node's or the client's stream cap the answer is 429.
     */
    private Route events(MessageId id) {
        // the peer's own address, not X-Forwarded-For: a header would let one client pose as many
        return extractRequest(request -> onSuccess(queries.find(id), found -> {
            if (found.isEmpty()) {
                return completeProblem(notFound(id));
            }
            String client = request.getAttribute(AttributeKeys.remoteAddress)
                    .flatMap(RemoteAddress::getAddress).map(java.net.InetAddress::getHostAddress).orElse("unknown");
            Optional<EventStreamPermits.Permit> permit = permits.acquire(client);
            if (permit.isEmpty()) {
                return respondWithHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("Retry-After", "30"),
                        () -> completeProblem(Problem.of(Problem.ABOUT_BLANK, "Too Many Requests", 429,
                                "too many open event streams (at most " + permits.maxPerClient() + " per client and "
                                        + permits.maxTotal() + " in all): close one, or poll GET /v1/transfers/" + id.toHex())));
            }
            Source<ServerSentEvent, NotUsed> stream = changes(id, found.get())
                    .watchTermination((mat, done) -> {
                        done.whenComplete((ok, error) -> permit.get().release());
                        return mat;
                    });
            return completeOK(stream, EventStreamMarshalling.toEventStream());
        }));
    }

    private Source<ServerSentEvent, NotUsed> changes(MessageId id, Transfer first) {
        AtomicReference<Transfer> last = new AtomicReference<>(); // one per stream: this Source is built per request
        Source<Transfer, NotUsed> later = Source.tick(events.poll(), events.poll(), id)
                .mapAsync(1, queries::find)
                .mapConcat(t -> t.map(List::of).orElse(List.of()))
                .mapMaterializedValue(cancellable -> NotUsed.getInstance());
        return Source.single(first).concat(later)
                .filter(t -> {
                    Transfer before = last.getAndSet(t);
                    return before == null || before.status() != t.status() || !before.updatedAt().equals(t.updatedAt());
                })
                .takeWhile(t -> !t.status().isTerminal() && t.status() != TransferStatus.FAILED
                        && t.status() != TransferStatus.UNDELIVERABLE, true)
                .takeWithin(events.maxOpen())
                .map(t -> ServerSentEvent.create(new String(json.bytes(TransferView.of(t, payloads)),
                        java.nio.charset.StandardCharsets.UTF_8), "status"))
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
