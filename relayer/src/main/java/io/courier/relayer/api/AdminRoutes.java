package io.courier.relayer.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Authenticated operator actions: {@code POST /v1/admin/chains/{chainId}/resume}. A bearer token is required
 * (compared in constant time); without a configured token the admin routes answer 403 for everything, so an
 * unconfigured node exposes no way to change state.
 */
public final class AdminRoutes extends ApiDirectives {

    public static final String RESUME_CHAIN = "/v1/admin/chains/{chainId}/resume";

    private final ChainAdmin admin;
    private final Optional<byte[]> token;

    public AdminRoutes(ChainAdmin admin, Optional<String> token, ApiJson json) {
        super(json);
        this.admin = Objects.requireNonNull(admin, "admin");
        this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public Route route() {
        return pathPrefix("v1", () -> pathPrefix("admin", () -> pathPrefix("chains", () ->
                path(PathMatchers.segment().slash("resume"), rawId -> template(RESUME_CHAIN, () -> post(() ->
                        authorized(() -> strictQuery(List.of(), List.of(), q -> resume(ApiParams.chainId("chainId", rawId))))))))));
    }

    private Route authorized(java.util.function.Supplier<Route> inner) {
        return optionalHeaderValueByName("Authorization", header -> {
            if (token.isEmpty()) {
                return completeProblem(Problem.of(Problem.ABOUT_BLANK, "Forbidden", 403,
                        "the admin API is disabled: no admin token is configured on this node"));
            }
            // the scheme name is case-insensitive (RFC 9110 §11.1): "bearer x" is as good as "Bearer x"
            byte[] presented = header.filter(h -> h.regionMatches(true, 0, "Bearer ", 0, "Bearer ".length()))
                    .map(h -> h.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8))
                    .orElse(new byte[0]);
            if (!MessageDigest.isEqual(presented, token.get())) {
                return respondWithHeader(org.apache.pekko.http.javadsl.model.headers.RawHeader.create("WWW-Authenticate", "Bearer"),
                        () -> completeProblem(Problem.of(Problem.ABOUT_BLANK, "Unauthorized", 401,
                                "a valid bearer token is required")));
            }
            return inner.get();
        });
    }

    private Route resume(long chainId) {
        return onSuccess(admin.resume(chainId), known -> known
                ? complete(json.ok(Map.of("chainId", chainId, "halted", false)))
                : completeProblem(Problem.of(Problem.ABOUT_BLANK, "Not Found", 404, "chain " + chainId + " is not watched by this node")));
    }
}
