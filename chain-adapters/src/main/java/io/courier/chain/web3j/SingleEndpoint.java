package io.courier.chain.web3j;

import java.time.Duration;
import java.util.Objects;
import okhttp3.OkHttpClient;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.Web3jService;
import org.web3j.protocol.http.HttpService;

/** The simplest {@link EndpointSelector}: always the same endpoint. */
public final class SingleEndpoint implements EndpointSelector {

    private final RpcEndpoint endpoint;
    private final Runnable onClose;

    private SingleEndpoint(RpcEndpoint endpoint, Runnable onClose) {
        this.endpoint = endpoint;
        this.onClose = onClose;
    }

    /**
     * An HTTP endpoint with its own OkHttp client whose call timeout equals the request timeout: web3j's
     * {@code sendAsync} blocks a pool thread in a synchronous OkHttp call, and only OkHttp's own timeout frees
     * that thread (a timeout on the future alone would leave it waiting).
     */
    public static SingleEndpoint http(String url, Duration timeout) {
        Objects.requireNonNull(url, "url");
        OkHttpClient http = new OkHttpClient.Builder()
                .callTimeout(timeout)
                .connectTimeout(timeout)
                .readTimeout(timeout)
                .build();
        Web3j web3j = Web3j.build(new HttpService(url, http));
        return new SingleEndpoint(new RpcEndpoint(EndpointLabel.of(url), web3j), () -> {
            web3j.shutdown();
            http.dispatcher().executorService().shutdown();
            http.connectionPool().evictAll();
        });
    }

    /** Any web3j transport (a test double, IPC, a service with extra headers). {@link #close()} shuts it down. */
    public static SingleEndpoint of(String label, Web3jService service) {
        Web3j web3j = Web3j.build(service);
        return new SingleEndpoint(new RpcEndpoint(label, web3j), web3j::shutdown);
    }

    @Override
    public RpcEndpoint select() {
        return endpoint;
    }

    @Override
    public void close() {
        onClose.run();
    }
}
