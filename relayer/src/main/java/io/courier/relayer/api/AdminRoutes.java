package io.courier.relayer.api;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import com.fasterxml.jackson.databind.JsonNode;
import io.courier.chain.message.MessageId;
import io.courier.finality.TransferStatus;
import org.apache.pekko.http.javadsl.unmarshalling.Unmarshaller;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;

/**
 * Authenticated operator actions: {@code POST /v1/admin/chains/{chainId}/resume}, and on one transfer
 * {@code POST /v1/admin/transfers/{messageId}/retry|park|unpark} with a JSON body {@code {"reason": "..."}}. A bearer
 * token is required (compared in constant time); without a configured token the admin routes answer 403 for
 * everything, so an unconfigured node exposes no way to change state.
 *
 * <p>A transfer action is recorded in the transfer's history with who asked ({@link #ACTOR}: the node has one
 * admin token and it names nobody) and the reason given.
 */
public final class AdminRoutes extends ApiDirectives {

    public static final String RESUME_CHAIN = "/v1/admin/chains/{chainId}/resume";
    public static final String RETRY_TRANSFER = "/v1/admin/transfers/{messageId}/retry";
    public static final String PARK_TRANSFER = "/v1/admin/transfers/{messageId}/park";
    public static final String UNPARK_TRANSFER = "/v1/admin/transfers/{messageId}/unpark";
    /** Who the history names for an action taken with the admin token. */
    public static final String ACTOR = "admin";
    /** The longest reason kept: it goes into a history row, read by people. */
    static final int MAX_REASON = 500;

    /** The body of a transfer action. */
    public record ActionRequest(String reason) {}

    /** The answer to a transfer action: the move made, by whom and why. */
    public record ActionResult(String messageId, String action, TransferStatus previousStatus, TransferStatus status,
                               String by, String reason) {}

    private final ChainAdmin admin;
    private final TransferAdmin transfers; // null: only the chain actions are served
    private final Optional<byte[]> token;

    public AdminRoutes(ChainAdmin admin, Optional<String> token, ApiJson json) {
        this(admin, null, token, json);
    }

    public AdminRoutes(ChainAdmin admin, TransferAdmin transfers, Optional<String> token, ApiJson json) {
        super(json);
        this.admin = Objects.requireNonNull(admin, "admin");
        this.transfers = transfers;
        this.token = token.filter(t -> !t.isBlank()).map(t -> t.getBytes(StandardCharsets.UTF_8));
    }

    public Route route() {
        return pathPrefix("v1", () -> pathPrefix("admin", () -> concat(
                pathPrefix("chains", () ->
                        path(PathMatchers.segment().slash("resume"), rawId -> template(RESUME_CHAIN, () -> post(() ->
                                authorized(() -> strictQuery(List.of(), List.of(), q -> resume(ApiParams.chainId("chainId", rawId)))))))),
                transfers == null ? reject() : pathPrefix("transfers", () -> concat(
                        action("retry", RETRY_TRANSFER, transfers::retry),
                        action("park", PARK_TRANSFER, transfers::park),
                        action("unpark", UNPARK_TRANSFER, transfers::unpark))))));
    }

    private interface Action {
        CompletionStage<TransferAdmin.Outcome> apply(MessageId id, String by, String reason);
    }

    private Route action(String name, String template, Action action) {
        return path(PathMatchers.segment().slash(name), rawId -> template(template, () -> post(() ->
                authorized(() -> strictQuery(List.of(), List.of(), q -> validated(() -> {
                    MessageId id = ApiParams.messageId("messageId", rawId);
                    return entity(Unmarshaller.entityToString(), body -> validated(() -> {
                        String reason = reason(body);
                        return onSuccess(action.apply(id, ACTOR, reason), outcome -> answer(name, outcome, reason));
                    }));
                }))))));
    }

    /** The required {@code reason} of a JSON body; a 400 problem naming {@code reason} otherwise. */
    private String reason(String body) {
        JsonNode node;
        try {
            node = body == null || body.isBlank() ? null : json.mapper().readTree(body);
        } catch (java.io.IOException e) {
            throw ApiParams.invalid("reason", "the body is not JSON; send {\"reason\": \"...\"}");
        }
        JsonNode reason = node == null || !node.isObject() ? null : node.get("reason");
        if (reason == null || reason.isNull()) {
            throw new ApiParams.InvalidParameterException(Problem.badParameter(Problem.MISSING_PARAMETER, "reason",
                    "a reason is required: send {\"reason\": \"...\"}; it is recorded in the transfer's history"));
        }
        if (!reason.isTextual() || reason.asText().isBlank()) {
            throw ApiParams.invalid("reason", "reason must be a non-blank string");
        }
        String text = reason.asText().strip();
        if (text.length() > MAX_REASON) {
            throw ApiParams.invalid("reason", "reason is " + text.length() + " characters; at most " + MAX_REASON);
        }
        return text;
    }

    private Route answer(String action, TransferAdmin.Outcome outcome, String reason) {
        if (outcome instanceof TransferAdmin.Done done) {
            return complete(json.ok(new ActionResult(done.id().toHex(), action, done.from(), done.to(), ACTOR, reason)));
        }
        if (outcome instanceof TransferAdmin.WrongState wrong) {
            return completeProblem(Problem.of(Problem.WRONG_STATE, "Conflict", 409, wrong.detail())
                    .with("transferStatus", wrong.actual().name())
                    .with("allowed", wrong.allowed().stream().map(Enum::name).sorted().toList()));
        }
        MessageId id = ((TransferAdmin.NotFound) outcome).id();
        return completeProblem(Problem.of(Problem.TRANSFER_NOT_FOUND, "Transfer not found", 404,
                "no transfer with message id " + id.toHex() + " is known to this node"));
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
