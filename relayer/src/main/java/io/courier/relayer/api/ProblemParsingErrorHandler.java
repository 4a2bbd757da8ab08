package io.courier.relayer.api;

import org.apache.pekko.event.LoggingAdapter;
import org.apache.pekko.http.ParsingErrorHandler;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.scaladsl.model.ErrorInfo;
import org.apache.pekko.http.scaladsl.model.StatusCode;
import org.apache.pekko.http.scaladsl.settings.ServerSettings;

/**
 * Answers requests that HTTP parsing refuses before any route runs (URI longer than {@code max-uri-length},
 * illegal characters in the request target, oversized headers...) with a problem instead of Pekko's default
 * text/plain body. Installed by {@link StatusApi#bind} through {@code ServerSettings.withParsingErrorHandler}, which
 * instantiates it by class name (hence the public no-argument constructor). Only the error's summary is echoed,
 * never the offending input.
 */
public final class ProblemParsingErrorHandler extends ParsingErrorHandler {

    public ProblemParsingErrorHandler() {}

    @Override
    public HttpResponse handle(StatusCode status, ErrorInfo info, LoggingAdapter log, ServerSettings settings) {
        int code = status.intValue();
        log.debug("refused an unparsable request: {} {}", code, info.summary());
        if (code < 400 || code > 599) {
            code = 400;
        }
        Problem problem = Problem.of(Problem.ABOUT_BLANK, status.reason(), code, info.summary());
        return HttpResponse.create()
                .withStatus(code)
                .withEntity(HttpEntities.create(ApiJson.PROBLEM_JSON, ApiJson.shared().bytes(problem.members())));
    }
}
