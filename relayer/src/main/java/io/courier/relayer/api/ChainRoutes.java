package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusSource;

import java.util.List;
import java.util.Objects;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/** {@code GET /v1/chains}: the state of every chain this node watches, from a {@link ChainStatusSource}. */
public final class ChainRoutes extends ApiDirectives {

    public static final String CHAINS = "/v1/chains";

    /** {@code { "chains": [...] }}. */
    public record ChainList(List<ChainStatus> chains) {}

    private final ChainStatusSource source;

    public ChainRoutes(ChainStatusSource source, ApiJson json) {
        super(json);
        this.source = Objects.requireNonNull(source, "source");
    }

    public Route route() {
        return path(PathMatchers.segment("v1").slash("chains"), () -> template(CHAINS, () -> get(() ->
                strictQuery(List.of(), List.of(), q ->
                        onSuccess(source.chains(), chains -> complete(json.ok(new ChainList(chains))))))));
    }
}
