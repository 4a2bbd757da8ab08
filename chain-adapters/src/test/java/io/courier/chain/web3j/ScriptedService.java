package io.courier.chain.web3j;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A web3j transport that answers from a script: JSON-RPC bodies, or exceptions thrown as the HTTP layer
 * would. It goes through web3j's own request serialisation, response parsing and {@code sendAsync} thread
 * pool, so only the network is fake.
 */
final class ScriptedService extends org.web3j.protocol.Service {

    /** One scripted answer. */
    interface Answer {
        String body(String request) throws IOException;
    }

    private final Deque<Answer> script = new ArrayDeque<>();
    private Answer fallback = request -> {
        throw new IllegalStateException("no scripted answer left for " + request);
    };
    final List<String> requests = new CopyOnWriteArrayList<>();

    ScriptedService() {
        super(false);
    }

    static Answer result(String jsonValue) {
        return request -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"result\":" + jsonValue + "}";
    }

    static Answer error(int code, String message) {
        return request -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":" + code + ",\"message\":\"" + message + "\"}}";
    }

    static Answer error(int code, String message, String dataJson) {
        return request -> "{\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":" + code + ",\"message\":\"" + message
                + "\",\"data\":" + dataJson + "}}";
    }

    /** Throws {@code e} as the transport would: an {@link IOException} or a runtime exception. */
    static Answer fail(Exception e) {
        return request -> {
            if (e instanceof IOException io) {
                throw io;
            }
            throw (RuntimeException) e;
        };
    }

    synchronized ScriptedService then(Answer answer) {
        script.addLast(answer);
        return this;
    }

    synchronized ScriptedService always(Answer answer) {
        fallback = answer;
        return this;
    }

    private synchronized Answer next() {
        return script.isEmpty() ? fallback : script.pollFirst();
    }

    @Override
    protected InputStream performIO(String payload) throws IOException {
        requests.add(payload);
        return new ByteArrayInputStream(next().body(payload).getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() {}
}
