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
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        List<Slot> forwarded = slots.stream().filter(s -> s.localReply == null).toList();
        boolean anyLocal = forwarded.size() < slots.size();
        boolean anyChanged = forwarded.stream().anyMatch(s -> s.changed);
        boolean anyInvent = slots.stream().anyMatch(s -> s.invent);

        if (forwarded.isEmpty()) {
            answer(exchange, slots, batch, Map.of());
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
        if (!anyLocal && !anyInvent) {
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
        answer(exchange, slots, batch, byId);
    }

    /** Decides the fate of one call: a local answer, or a forward (possibly rewritten). */
    private void decide(Slot slot, FaultPlan plan) {
        if (!(slot.call instanceof ObjectNode call) || !call.path("method").isTextual()) {
            return; // not a call we understand: the node answers it
        }
        String method = method(call);
        JsonNode id = call.get("id");
        if (!plan.appliesTo(method)) {
            slot.changed = BlockTags.rewrite(call, new TagView(-1));
            return;
        }
        if (proxy.draw(plan.errorRate())) {
            proxy.count(FaultKind.ERROR);
            slot.localReply = error(id, INTERNAL_ERROR, "internal error");
            return;
        }
        if (FaultPlan.HEADER_METHODS.contains(method) && proxy.draw(plan.headerNotFoundRate())) {
            proxy.count(FaultKind.HEADER_NOT_FOUND);
            slot.localReply = error(id, SERVER_ERROR, "header not found");
            return;
        }
        boolean block = "eth_getBlockByNumber".equals(method);
        long frozen = plan.staleHeadAt();
        if (frozen >= 0 && "eth_blockNumber".equals(method)) {
            proxy.count(FaultKind.STALE_HEAD);
            slot.localReply = result(id, JsonNodeFactory.instance.textNode(BlockTags.quantity(frozen)));
            return;
        }
        if (frozen >= 0 && block && BlockTags.requestedNumber(call) > frozen) {
            proxy.count(FaultKind.STALE_HEAD); // the stale node has not seen that block yet
            slot.localReply = result(id, NullNode.instance);
        } else {
            TagView view = new TagView(frozen);
            slot.changed = BlockTags.rewrite(call, view);
            if (view.usedFrozen) {
                proxy.count(FaultKind.STALE_HEAD);
            }
        }
        slot.invent = plan.wrongMissingBlock() && block && BlockTags.requestedNumber(call) >= 0;
    }

    /** Resolves the tags of one call: {@code safe}/{@code finalized} at their depths, {@code latest} when stale. */
    private final class TagView implements BlockTags.Resolver {
        private final long frozen;
        boolean usedFrozen;

        TagView(long frozen) {
            this.frozen = frozen;
        }

        @Override
        public String resolve(String tag) {
            return switch (tag) {
                case "latest" -> frozen >= 0 ? frozenHead() : null;
                case "finalized" -> below(proxy.finalizedDepthOrNone());
                case "safe" -> below(proxy.safeDepthOrNone());
                default -> null;
            };
        }

        private String frozenHead() {
            usedFrozen = true;
            return BlockTags.quantity(frozen);
        }

        private String below(int depth) {
            if (depth < 0 && frozen < 0) {
                return null; // not emulated: the node answers with its own view (Ganache: the latest block)
            }
            long latest = frozen >= 0 ? frozen : upstream.head();
            usedFrozen |= frozen >= 0;
            return BlockTags.quantity(Math.max(0, latest - Math.max(0, depth)));
        }
    }

    /** Sends the answers in the order of the calls: local ones, and the node's matched by id. */
    private void answer(HttpExchange exchange, List<Slot> slots, boolean batch, Map<String, Deque<JsonNode>> byId)
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
            if (slot.invent && reply instanceof ObjectNode object && object.has("result") && object.get("result").isNull()) {
                proxy.count(FaultKind.WRONG_MISSING_BLOCK);
                object.set("result", InventedBlock.at(BlockTags.requestedNumber((ObjectNode) slot.call), proxy.random()));
            }
            out.add(reply);
        }
        byId.values().forEach(out::addAll); // answers the proxy could not match stay visible
        byte[] body = batch ? json.writeValueAsBytes(out)
                : out.isEmpty() ? new byte[0] : json.writeValueAsBytes(out.get(0));
        send(exchange, 200, "application/json", body, null);
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
