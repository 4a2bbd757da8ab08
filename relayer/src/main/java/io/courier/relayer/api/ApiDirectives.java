package io.courier.relayer.api;

import io.courier.relayer.api.ApiParams.InvalidParameterException;
import java.util.AbstractMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import org.apache.pekko.http.javadsl.model.Uri;
import org.apache.pekko.http.javadsl.server.AllDirectives;
import org.apache.pekko.http.javadsl.server.Route;

/** The directives every {@code *Routes} class of the API shares: route templates, strict queries, problems. */
abstract class ApiDirectives extends AllDirectives {

    protected final ApiJson json;

    ApiDirectives(ApiJson json) {
        this.json = Objects.requireNonNull(json, "json");
    }

    /**
     * Records {@code template} (e.g. {@code /v1/transfers/{messageId}}) as the {@code route} label of this
     * request's {@code courier_api_requests_total} count. Put it right after the path matcher, before the method
     * directive, so a wrong method on a known path is counted on that path's template.
     */
    protected Route template(String template, Supplier<Route> inner) {
        return optionalAttribute(ApiMetrics.TEMPLATE, holder -> {
            holder.ifPresent(h -> h.set(template));
            return inner.get();
        });
    }

    /**
     * The query parameters, after {@link ApiParams#strictQuery}: unknown, duplicate or missing ones complete the
     * request with a 400 problem naming the parameter.
     */
    protected Route strictQuery(List<String> required, List<String> optional,
                                Function<Map<String, String>, Route> inner) {
        return extractUri(uri -> {
            List<Map.Entry<String, String>> entries;
            try {
                entries = uri.query().toList().stream()
                        .<Map.Entry<String, String>>map(p -> new AbstractMap.SimpleImmutableEntry<>(p.first(), p.second()))
                        .toList();
            } catch (RuntimeException malformed) {
                return problem(uri, Problem.of(Problem.ABOUT_BLANK, "Bad Request", 400,
                        "the query string is malformed"));
            }
            Map<String, String> values;
            try {
                values = ApiParams.strictQuery(entries, required, optional);
            } catch (InvalidParameterException e) {
                return problem(uri, e.problem());
            }
            return validated(() -> inner.apply(values));
        });
    }

    /** Builds the route with {@code inner}; a parameter it rejects completes the request with its 400 problem. */
    protected Route validated(Supplier<Route> inner) {
        try {
            return inner.get();
        } catch (InvalidParameterException e) {
            return extractUri(uri -> problem(uri, e.problem()));
        }
    }

    /** Completes with {@code problem} on this request's path. */
    protected Route completeProblem(Problem problem) {
        return extractUri(uri -> problem(uri, problem));
    }

    private Route problem(Uri uri, Problem problem) {
        return complete(json.problem(problem.at(uri.path())));
    }
}
