package io.courier.relayer.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.io.UncheckedIOException;
import org.apache.pekko.http.javadsl.model.ContentType;
import org.apache.pekko.http.javadsl.model.ContentTypes;
import org.apache.pekko.http.javadsl.model.HttpCharsets;
import org.apache.pekko.http.javadsl.model.HttpEntities;
import org.apache.pekko.http.javadsl.model.HttpResponse;
import org.apache.pekko.http.javadsl.model.MediaTypes;
import org.apache.pekko.http.javadsl.model.StatusCodes;

/**
 * The one JSON configuration of the status API and the two kinds of bodies it writes: {@code application/json}
 * for results and {@code application/problem+json} for errors. Dates are ISO-8601 strings, {@code null} and
 * empty {@code Optional} members are left out.
 *
 * <p>Responses are built here, not through Pekko's marshallers, so no content negotiation can turn an answer
 * into a 406 or a text/plain body: the API always answers JSON (problem JSON on error).
 */
public final class ApiJson {

    public static final ContentType JSON = ContentTypes.APPLICATION_JSON;
    public static final ContentType PROBLEM_JSON =
            ContentTypes.create(MediaTypes.applicationWithFixedCharset("problem+json", HttpCharsets.UTF_8));

    private static final ApiJson SHARED = new ApiJson();

    private final ObjectMapper mapper;

    /** The one instance {@link StatusApi} and {@link ProblemParsingErrorHandler} use (it is immutable). */
    public static ApiJson shared() {
        return SHARED;
    }

    private ApiJson() {
        this.mapper = JsonMapper.builder()
                .addModule(new JavaTimeModule())
                .addModule(new Jdk8Module())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
                .defaultPropertyInclusion(JsonInclude.Value.construct(JsonInclude.Include.NON_ABSENT, JsonInclude.Include.ALWAYS))
                .build();
    }

    public ObjectMapper mapper() {
        return mapper;
    }

    public byte[] bytes(Object value) {
        try {
            return mapper.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException("cannot write " + value.getClass().getSimpleName() + " as JSON", e);
        }
    }

    /** 200 with {@code value} as {@code application/json}. */
    public HttpResponse ok(Object value) {
        return HttpResponse.create().withStatus(StatusCodes.OK).withEntity(HttpEntities.create(JSON, bytes(value)));
    }

    /** {@code problem} as {@code application/problem+json} with its status. */
    public HttpResponse problem(Problem problem) {
        return HttpResponse.create()
                .withStatus(problem.status())
                .withEntity(HttpEntities.create(PROBLEM_JSON, bytes(problem.members())));
    }
}
