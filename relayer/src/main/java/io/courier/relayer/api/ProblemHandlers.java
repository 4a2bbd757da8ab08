package io.courier.relayer.api;

import io.courier.finality.store.StoreOverloadedException;
import io.courier.relayer.api.ApiParams.InvalidParameterException;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpEntity;
import org.apache.pekko.http.javadsl.model.HttpRequest;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.headers.RawHeader;
import org.apache.pekko.http.javadsl.server.ExceptionHandler;
import org.apache.pekko.http.javadsl.server.RejectionHandler;
import org.apache.pekko.http.javadsl.server.Route;
import org.apache.pekko.http.scaladsl.model.EntityStreamSizeException;
import org.apache.pekko.http.scaladsl.model.IllegalRequestException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns every rejection and every exception of the route tree into {@code application/problem+json}, so that no
 * error response of the API is HTML or text/plain.
 *
 * <ul>
 *   <li>Rejections (no route for the path, wrong method, ...) keep the status and headers (e.g. {@code Allow} on
 *       a 405) that Pekko's default handler chooses; only the body becomes a problem, type {@code about:blank}.</li>
 *   <li>Exceptions: a parameter problem that escaped a route is its 400; Pekko's own request errors keep their
 *       4xx; a read the store refused because the API's request budget is full
 *       ({@link StoreOverloadedException}) is a 503 with {@code Retry-After}; anything else is a 500 whose body
 *       holds only a correlation id, logged with the stack trace.</li>
 * </ul>
 */
public final class ProblemHandlers extends ApiDirectives {

    private static final Logger LOG = LoggerFactory.getLogger(ProblemHandlers.class);

    /** Seconds a refused client should wait: the API's queue drains in well under that once a burst passes. */
    static final String RETRY_AFTER_SECONDS = "2";

    public ProblemHandlers(ApiJson json) {
        super(json);
    }

    /** Pekko's default rejection handling, bodies rewritten as problems on {@code path}. */
    public RejectionHandler rejections(String path) {
        return RejectionHandler.defaultHandler().mapRejectionResponse(response -> asProblem(response, path));
    }

    public ExceptionHandler exceptions() {
        return ExceptionHandler.newBuilder()
                .match(InvalidParameterException.class, e -> completeProblem(e.problem()))
                .match(IllegalRequestException.class, e -> completeProblem(Problem.of(Problem.ABOUT_BLANK,
                        e.status().reason(), e.status().intValue(), e.info().summary())))
                .match(EntityStreamSizeException.class, e -> completeProblem(Problem.of(Problem.ABOUT_BLANK,
                        "Content Too Large", 413, "the request entity is larger than allowed")))
                .matchAny(this::failed)
                .build();
    }

    /** What failed, out of the {@link CompletionException}s a stage's failure may come wrapped in. */
    static Throwable unwrapped(Throwable error) {
        Throwable cause = error;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** A store's stage may fail with its exception wrapped in a {@link CompletionException}: judge the cause. */
    private Route failed(Throwable error) {
        if (unwrapped(error) instanceof StoreOverloadedException) {
            return respondWithHeader(RawHeader.create("Retry-After", RETRY_AFTER_SECONDS), () -> completeProblem(busy()));
        }
        return internalError(error);
    }

    static Problem busy() {
        return Problem.of(Problem.BUSY, "Service Unavailable", 503,
                "the node is answering as many status reads as it allows itself (relaying comes first); try again in "
                        + RETRY_AFTER_SECONDS + " s");
    }

    private Route internalError(Throwable error) {
        return extractRequest(request -> {
            String correlationId = UUID.randomUUID().toString();
            LOG.error("{} {} failed; correlation id {}", request.method().name(), request.getUri().path(),
                    correlationId, error);
            return completeProblem(internalErrorProblem(correlationId));
        });
    }

    static Problem internalErrorProblem(String correlationId) {
        return Problem.of(Problem.INTERNAL_ERROR, "Internal Server Error", 500,
                        "the request failed inside the node; quote correlation id " + correlationId
                                + " when reporting it")
                .with("correlationId", correlationId);
    }

    /** A 503 problem for requests the route tree did not answer in time ({@code withRequestTimeoutResponse}). */
    HttpResponse timeout(HttpRequest request) {
        return json.problem(Problem.of(Problem.TIMEOUT, "Service Unavailable", 503,
                "the node did not answer in time; try again").at(request.getUri().path()));
    }

    /** {@code response} with its body replaced by a problem; non-error responses are returned as they are. */
    HttpResponse asProblem(HttpResponse response, String path) {
        Objects.requireNonNull(response, "response");
        int status = response.status().intValue();
        if (status < 400 || status > 599) {
            return response;
        }
        String detail = null;
        if (response.entity() instanceof HttpEntity.Strict strict && !strict.getData().isEmpty()) {
            detail = strict.getData().utf8String();
        }
        Problem problem = new Problem(Problem.ABOUT_BLANK, response.status().reason(), status, detail, path, Map.of());
        return response.withEntity(HttpEntities.create(ApiJson.PROBLEM_JSON, json.bytes(problem.members())));
    }
}
