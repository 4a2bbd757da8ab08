package io.courier.testkit.rpc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link RpcProxy} does with one HTTP request: the HTTP-level faults first (down, rate limit, drop, timeout:
 * they hit the connection, so a batch suffers them as a whole), then, per JSON-RPC call, the call-level faults
 * (error, header not found, stale head), the block tag rewriting, one forward of whatever is left (a batch stays a
 * batch), and the merge of local and upstream answers back into the caller's order.
 *
 * <p>Requests that are not JSON-RPC (not JSON, an empty batch, a GET) are forwarded unchanged, and so is a call the
 * proxy has nothing to change: its bytes go upstream and the node's bytes come back, so the proxy is transparent
 * unless a test asks otherwise.
 */
final class ProxyHandler implements HttpHandler {

    private static final Logger log = LoggerFactory.getLogger(ProxyHandler.class);

    static final int INTERNAL_ERROR = -32603;
    static final int SERVER_ERROR = -32000;
    static final int LIMIT_EXCEEDED = -32005;

    private final RpcProxy proxy;
    private final Upstream upstream;
    private final ObjectMapper json;

    ProxyHandler(RpcProxy proxy, Upstream upstream, ObjectMapper json) {
        this.proxy = proxy;
        this.upstream = upstream;
        this.json = json;
    }

    /** One call of a request and what happens to it. */
    private static final class Slot {
        final JsonNode call;
        ObjectNode localReply; // answered by the proxy, never forwarded
        boolean changed;       // forwarded, but re-serialized (tags rewritten)
        boolean invent;        // a null block answer must be replaced by an invented block
        LogQuery logQuery;     // invented logs are merged into the answer of this eth_getLogs
        ResultRewriter rewriter; // rewrites the result before it is answered

        boolean lies() {
            return invent || logQuery != null || rewriter != null;
        }

        Slot(JsonNode call) {
            this.call = call;
        }
    }

    @Override
    public void handle(HttpExchange exchange) {
        try {
            serve(exchange);
        } catch (IOException e) {
            log.debug("RpcProxy {}: client connection failed: {}", proxy.url(), e.toString());
            exchange.close();
        } catch (RuntimeException e) {
            // the node is unreachable (UncheckedIOException from Upstream) or the proxy has a bug: a gateway error
            String what = e instanceof UncheckedIOException ? "upstream unavailable: " : "proxy failure: ";
            log.warn("RpcProxy {}: {}{}", proxy.url(), what, e.toString());
            try {
                send(exchange, 502, "application/json", errorBody(null, INTERNAL_ERROR, what + e.getMessage()), null);
            } catch (IOException | RuntimeException ignored) {
                exchange.close();
            }
        }
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        FaultPlan plan = proxy.plan();
        List<Slot> slots = parse(exchange.getRequestMethod(), body);
        boolean batch = firstNonBlank(body) == '[';

        if (plan.down()) {
            proxy.count(FaultKind.DOWN);
            send(exchange, 503, "text/plain; charset=utf-8", "503 Service Unavailable (RpcProxy down)\n".getBytes(StandardCharsets.UTF_8), null);
            return;
        }
        boolean targeted = plan.methods().isEmpty() || slots != null && slots.stream().anyMatch(s -> plan.appliesTo(method(s.call)));
        if (targeted && plan.rateLimited() && !proxy.admit()) {
            proxy.count(FaultKind.RATE_LIMIT);
            long seconds = (plan.retryAfter().toMillis() + 999) / 1000;
            send(exchange, 429, "application/json", errors(slots, batch, LIMIT_EXCEEDED, "rate limit exceeded"),
                    Map.of("Retry-After", Long.toString(seconds)));
            return;
        }
        if (targeted && proxy.draw(plan.dropRate())) {
            proxy.count(FaultKind.DROP);
            exchange.close(); // no status line, no headers: the client reads EOF on a request it has fully sent
            return;
        }
        if (targeted && proxy.draw(plan.timeoutRate())) {
            proxy.count(FaultKind.TIMEOUT);
            proxy.hold(exchange, plan.timeoutHold());
            return;
        }
        String path = exchange.getRequestURI().getRawPath()
                + (exchange.getRequestURI().getRawQuery() == null ? "" : "?" + exchange.getRequestURI().getRawQuery());
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        if (slots == null) {
            relay(exchange, upstream.forward(exchange.getRequestMethod(), path, contentType, body));
            proxy.countForwarded();
            return;
        }

        for (Slot slot : slots) {
            decide(slot, plan);
        }
        Lies lies = plan.lies();
        List<Slot> forwarded = slots.stream().filter(s -> s.localReply == null).toList();
        boolean anyLocal = forwarded.size() < slots.size();
        boolean anyChanged = forwarded.stream().anyMatch(s -> s.changed);
        boolean anyLie = slots.stream().anyMatch(Slot::lies);

        if (forwarded.isEmpty()) {
            answer(exchange, slots, batch, Map.of(), lies);
            return;
        }
        byte[] upstreamBody;
        if (!anyLocal && !anyChanged) {
            upstreamBody = body;
        } else if (batch) {
            ArrayNode calls = JsonNodeFactory.instance.arrayNode();
            forwarded.forEach(s -> calls.add(s.call));
            upstreamBody = json.writeValueAsBytes(calls);
        } else {
            upstreamBody = json.writeValueAsBytes(forwarded.get(0).call);
        }
        Upstream.Reply reply = upstream.forward(exchange.getRequestMethod(), path, contentType, upstreamBody);
        proxy.countForwarded();
        if (!anyLocal && !anyLie) {
            relay(exchange, reply);
            return;
        }
        JsonNode replies = reply.status() == 200 ? readOrNull(reply.body()) : null;
        Map<String, Deque<JsonNode>> byId = new HashMap<>();
        if (replies != null && batch && replies.isArray()) {
            replies.forEach(r -> byId.computeIfAbsent(idKey(r.get("id")), k -> new ArrayDeque<>()).add(r));
        } else if (replies != null && !batch && replies.isObject()) {
            byId.computeIfAbsent(idKey(replies.get("id")), k -> new ArrayDeque<>()).add(replies);
        } else {
            relay(exchange, reply); // the node refused the request as a whole: its answer is the truth
            return;
        }
        answer(exchange, slots, batch, byId, lies);
    }

    /** Decides the fate of one call: a local answer, or a forward (possibly rewritten). */
    private void decide(Slot slot, FaultPlan plan) {
        if (!(slot.call instanceof ObjectNode call) || !call.path("method").isTextual()) {
            return; // not a call we understand: the node answers it
        }
        String method = method(call);
        JsonNode id = call.get("id");
        Lies lies = plan.lies(); // lies ignore the method filter: each names the methods it touches
        slot.rewriter = lies.rewriters().get(method);
        boolean faulted = plan.appliesTo(method);
        if (faulted && proxy.draw(plan.errorRate())) {
            proxy.count(FaultKind.ERROR);
            slot.localReply = error(id, INTERNAL_ERROR, "internal error");
            return;
        }
        if (faulted && FaultPlan.HEADER_METHODS.contains(method) && proxy.draw(plan.headerNotFoundRate())) {
            proxy.count(FaultKind.HEADER_NOT_FOUND);
            slot.localReply = error(id, SERVER_ERROR, "header not found");
            return;
        }
        boolean block = "eth_getBlockByNumber".equals(method);
        long frozen = faulted ? plan.staleHeadAt() : -1;
        // the claimed head moves eth_blockNumber and the blocks by number only; every other method sees the real chain
        Lies.HeadClaim claim = block || "eth_blockNumber".equals(method) ? lies.headClaim() : null;
        TagView view = new TagView(frozen, claim == null ? 0 : claim.blocks());
        if ((frozen >= 0 || claim != null) && "eth_blockNumber".equals(method)) {
            long head = view.head();
            view.usedFrozen = frozen >= 0;
            count(view, claim != null);
            slot.localReply = result(id, JsonNodeFactory.instance.textNode(BlockTags.quantity(head)));
            return;
        }
        slot.changed = BlockTags.rewrite(call, view);
        long number = block ? BlockTags.requestedNumber(call) : -1;
        if (claim != null && number > view.base() && number <= view.head()) {
            count(view, true);
            // the first invented block follows the real head; a reverted chain has none there: then any parent will do
            String parent = number - 1 > view.base() ? null : upstream.blockHash(number - 1);
            slot.localReply = result(id, InventedBlock.claimed(number,
                    parent != null ? parent : InventedBlock.claimedHash(number - 1, claim), claim));
            return;
        }
        if (frozen >= 0 && number > frozen) {
            view.usedFrozen = true; // the stale node has not seen that block yet
            count(view, false);
            slot.localReply = result(id, NullNode.instance);
            return;
        }
        count(view, false);
        slot.invent = faulted && plan.wrongMissingBlock() && number >= 0;
        if (lies.logInventor() != null && "eth_getLogs".equals(method)) {
            slot.logQuery = logQuery(call, view);
            slot.changed |= slot.logQuery != null;
        }
    }

    private void count(TagView view, boolean ahead) {
        if (view.usedFrozen) {
            proxy.count(FaultKind.STALE_HEAD);
        }
        if (ahead) {
            proxy.count(FaultKind.HEAD_AHEAD);
        }
    }

    /**
     * The filter of an {@code eth_getLogs} call with its range pinned to numbers, in the call as forwarded too: the
     * inventor is told the very range the node answers, even if the chain moves meanwhile. {@code null} if the
     * filter is not one the proxy understands (the node gives its own error).
     */
    private LogQuery logQuery(ObjectNode call, TagView view) {
        if (!(call.get("params") instanceof ArrayNode params) || params.isEmpty() || !(params.get(0) instanceof ObjectNode filter)) {
            return null;
        }
        if (!filter.path("blockHash").isTextual()) {
            for (String field : new String[] {"fromBlock", "toBlock"}) {
                JsonNode value = filter.get(field);
                String tag = value == null || value.isNull() ? "latest" : value.asText("");
                if (BlockTags.parseQuantity(tag) < 0) {
                    long number = switch (tag) {
                        case "earliest" -> 0;
                        case "latest", "pending", "safe", "finalized" -> view.base(); // as the node reads them (Ganache: latest)
                        default -> -1;
                    };
                    if (number < 0) {
                        return null;
                    }
                    filter.put(field, BlockTags.quantity(number));
                }
            }
        }
        return LogQuery.parse(filter);
    }

    /**
     * Resolves the tags of one call: {@code safe}/{@code finalized} at their depths, {@code latest} when stale or
     * claimed ahead. The real head is learned once per call, so every tag of it reads the same head.
     */
    private final class TagView implements BlockTags.Resolver {
        private final long frozen;
        private final long ahead;
        private long base = -1;
        boolean usedFrozen;

        TagView(long frozen, long ahead) {
            this.frozen = frozen;
            this.ahead = ahead;
        }

        /** The head the node really has (or the frozen one of a stale view). */
        long base() {
            if (frozen >= 0) {
                return frozen;
            }
            if (base < 0) {
                base = upstream.head();
            }
            return base;
        }

        /** The head this call is told. */
        long head() {
            return base() + ahead;
        }

        @Override
        public String resolve(String tag) {
            String number = switch (tag) {
                case "latest" -> frozen >= 0 || ahead > 0 ? BlockTags.quantity(head()) : null;
                case "finalized" -> below(proxy.finalizedDepthOrNone());
                case "safe" -> below(proxy.safeDepthOrNone());
                default -> null;
            };
            usedFrozen |= number != null && frozen >= 0;
            return number;
        }

        private String below(int depth) {
            if (depth < 0 && frozen < 0 && ahead == 0) {
                return null; // not emulated: the node answers with its own view (Ganache: the latest block)
            }
            return BlockTags.quantity(Math.max(0, head() - Math.max(0, depth)));
        }
    }

    /** Sends the answers in the order of the calls: local ones, and the node's matched by id, each with its lies. */
    private void answer(HttpExchange exchange, List<Slot> slots, boolean batch, Map<String, Deque<JsonNode>> byId, Lies lies)
            throws IOException {
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        for (Slot slot : slots) {
            JsonNode reply = slot.localReply;
            if (reply == null) {
                Deque<JsonNode> matching = byId.get(idKey(slot.call.get("id")));
                reply = matching == null ? null : matching.poll();
            }
            if (reply == null) {
                continue; // a notification (no id): JSON-RPC answers nothing
            }
            if (reply instanceof ObjectNode object && object.has("result")) {
                reply = lie(slot, object, lies);
            }
            out.add(reply);
        }
        byId.values().forEach(out::addAll); // answers the proxy could not match stay visible
        byte[] body = batch ? json.writeValueAsBytes(out)
                : out.isEmpty() ? new byte[0] : json.writeValueAsBytes(out.get(0));
        send(exchange, 200, "application/json", body, null);
    }

    /**
     * Tells the lies of one successful answer: an invented block, invented logs, then the rewriter (which sees what
     * the others made). A test's inventor or rewriter that fails turns this answer alone into {@code -32603}: the
     * other calls of a batch, and the proxy, go on.
     */
    private JsonNode lie(Slot slot, ObjectNode reply, Lies lies) {
        if (slot.invent && reply.get("result").isNull()) {
            proxy.count(FaultKind.WRONG_MISSING_BLOCK);
            reply.set("result", InventedBlock.at(BlockTags.requestedNumber((ObjectNode) slot.call), proxy.random()));
        }
        String method = method(slot.call);
        try {
            if (slot.logQuery != null && reply.get("result") instanceof ArrayNode logs && lies.logInventor() != null) {
                mergeInventedLogs(slot.logQuery, logs, lies);
            }
            if (slot.rewriter != null) {
                JsonNode before = reply.get("result");
                JsonNode original = before.deepCopy();
                JsonNode params = slot.call.has("params") ? slot.call.get("params").deepCopy() : JsonNodeFactory.instance.arrayNode();
                JsonNode after = slot.rewriter.rewrite(params, before);
                if (after == null || after.isMissingNode()) {
                    throw new IllegalStateException("the rewriter answered " + (after == null ? "null" : "a missing node")
                            + " (return NullNode for a JSON null)");
                }
                json.writeValueAsBytes(after); // a value that cannot be written fails here, not in the whole answer
                if (!after.equals(original)) {
                    proxy.count(FaultKind.REWRITTEN_RESULT);
                }
                reply.set("result", after);
            }
            return reply;
        } catch (IOException | RuntimeException e) {
            proxy.count(FaultKind.LIE_FAILED);
            log.warn("RpcProxy {}: the lie for {} (id {}) failed, answering an error: {}", proxy.url(), method,
                    slot.call.get("id"), e.toString());
            return error(slot.call.get("id"), INTERNAL_ERROR, "RpcProxy: the lie for " + method + " failed: " + e);
        }
    }

    /** Adds the inventor's logs that match the query, then sorts the answer by block number and log index. */
    private void mergeInventedLogs(LogQuery query, ArrayNode logs, Lies lies) {
        List<InventedLog> invented = lies.logInventor().apply(query);
        if (invented == null) {
            throw new IllegalStateException("the log inventor answered null (List.of() for no logs)");
        }
        List<JsonNode> merged = new ArrayList<>();
        logs.forEach(merged::add);
        int added = 0;
        for (InventedLog entry : invented) {
            if (query.matches(Objects.requireNonNull(entry, "the log inventor answered a null log"))) {
                merged.add(entry.toJson());
                added++;
            }
        }
        if (added == 0) {
            return;
        }
        merged.sort(Comparator.comparingLong((JsonNode l) -> BlockTags.parseQuantity(l.path("blockNumber").asText("")))
                .thenComparingLong(l -> BlockTags.parseQuantity(l.path("logIndex").asText(""))));
        logs.removeAll();
        logs.addAll(merged);
        proxy.count(FaultKind.INVENTED_LOG);
    }

    /** The calls of a JSON-RPC request (one for a single call), or {@code null} if it is not one. */
    private List<Slot> parse(String httpMethod, byte[] body) {
        if (!"POST".equals(httpMethod) || body.length == 0) {
            return null;
        }
        JsonNode tree = readOrNull(body);
        List<Slot> slots = new ArrayList<>();
        if (tree instanceof ObjectNode) {
            slots.add(new Slot(tree));
        } else if (tree instanceof ArrayNode array && !array.isEmpty()) {
            array.forEach(call -> slots.add(new Slot(call)));
        } else {
            return null;
        }
        return slots;
    }

    private JsonNode readOrNull(byte[] body) {
        try {
            return json.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static int firstNonBlank(byte[] body) {
        for (byte b : body) {
            if (!Character.isWhitespace(b)) {
                return b;
            }
        }
        return -1;
    }

    private static String method(JsonNode call) {
        return call.path("method").asText("");
    }

    private static String idKey(JsonNode id) {
        return id == null ? "null" : id.toString();
    }

    private static ObjectNode envelope(JsonNode id) {
        ObjectNode reply = JsonNodeFactory.instance.objectNode();
        reply.put("jsonrpc", "2.0");
        reply.set("id", id == null ? NullNode.instance : id);
        return reply;
    }

    private static ObjectNode result(JsonNode id, JsonNode result) {
        ObjectNode reply = envelope(id);
        reply.set("result", result);
        return reply;
    }

    static ObjectNode error(JsonNode id, int code, String message) {
        ObjectNode reply = envelope(id);
        ObjectNode error = reply.putObject("error");
        error.put("code", code);
        error.put("message", message);
        return reply;
    }

    /** One error per call (an array for a batch), for answers that refuse a whole HTTP request. */
    private byte[] errors(List<Slot> slots, boolean batch, int code, String message) throws IOException {
        if (slots == null) {
            return errorBody(null, code, message);
        }
        ArrayNode out = JsonNodeFactory.instance.arrayNode();
        slots.forEach(s -> out.add(error(s.call.get("id"), code, message)));
        return batch ? json.writeValueAsBytes(out) : json.writeValueAsBytes(out.get(0));
    }

    private byte[] errorBody(JsonNode id, int code, String message) throws IOException {
        return json.writeValueAsBytes(error(id, code, message));
    }

    private static void relay(HttpExchange exchange, Upstream.Reply reply) throws IOException {
        send(exchange, reply.status(), reply.contentType(), reply.body(), null);
    }

    private static void send(HttpExchange exchange, int status, String contentType, byte[] body, Map<String, String> headers)
            throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        if (headers != null) {
            headers.forEach(exchange.getResponseHeaders()::set);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        } finally {
            exchange.close();
        }
    }
}
