package io.courier.relayer.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An RFC 9457 problem detail: the body of every error response of the status API, served as
 * {@code application/problem+json}.
 *
 * <p>{@code type} is a URI naming the kind of problem: {@code about:blank} for plain HTTP errors (no route, wrong
 * method, URI too long...), whose {@code title} is then the status phrase, or one of the {@code urn:courier:problem:*}
 * types below (non-resolvable URNs, as RFC 9457 §3.1.1 allows; they are listed in {@code openapi.yaml}).
 * {@code extensions} are extra members (RFC 9457 §3.2): {@code parameter} names the offending query or path
 * parameter, {@code dependencies} the readiness verdicts, {@code correlationId} the id logged with a 500.
 *
 * @param instance the request path the problem occurred on (may be {@code null} when unknown)
 */
public record Problem(String type, String title, int status, String detail, String instance,
                      Map<String, Object> extensions) {

    public static final String ABOUT_BLANK = "about:blank";
    public static final String INVALID_PARAMETER = "urn:courier:problem:invalid-parameter";
    public static final String MISSING_PARAMETER = "urn:courier:problem:missing-parameter";
    public static final String UNEXPECTED_PARAMETER = "urn:courier:problem:unexpected-parameter";
    public static final String TRANSFER_NOT_FOUND = "urn:courier:problem:transfer-not-found";
    public static final String NOT_READY = "urn:courier:problem:not-ready";
    public static final String INTERNAL_ERROR = "urn:courier:problem:internal-error";
    public static final String TIMEOUT = "urn:courier:problem:timeout";
    public static final String BUSY = "urn:courier:problem:busy";
    /** The transfer has no attestation to hand out yet (or no longer enough valid signatures for it). */
    public static final String NOT_ATTESTED = "urn:courier:problem:not-attested";
    /** A fee quote needs a price the oracle does not have; {@code reason}, {@code asset} and {@code rejected} say why. */
    public static final String NO_PRICE = "urn:courier:problem:no-price";
    /**
     * An admin action the transfer's status does not allow (409); {@code transferStatus} names its status, {@code allowed}
     * the statuses the action is allowed in.
     */
    public static final String WRONG_STATE = "urn:courier:problem:wrong-state";

    /** Longest piece of client input echoed back in a {@code detail} (hostile input can be kilobytes). */
    static final int ECHO_LIMIT = 80;

    public Problem {
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(title, "title");
        if (status < 400 || status > 599) {
            throw new IllegalArgumentException("a problem status is 4xx or 5xx, got " + status);
        }
        extensions = extensions == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(extensions));
    }

    public static Problem of(String type, String title, int status, String detail) {
        return new Problem(type, title, status, detail, null, Map.of());
    }

    /** A 400 about one parameter, named in the {@code parameter} member. */
    public static Problem badParameter(String type, String parameter, String detail) {
        String title = switch (type) {
            case MISSING_PARAMETER -> "Missing parameter";
            case UNEXPECTED_PARAMETER -> "Unexpected parameter";
            default -> "Invalid parameter";
        };
        return new Problem(type, title, 400, detail, null, Map.of("parameter", parameter));
    }

    /** The same problem on the request path {@code path}. */
    public Problem at(String path) {
        return new Problem(type, title, status, detail, path, extensions);
    }

    /** The same problem with one more extension member. */
    public Problem with(String member, Object value) {
        LinkedHashMap<String, Object> more = new LinkedHashMap<>(extensions);
        more.put(member, value);
        return new Problem(type, title, status, detail, instance, more);
    }

    /** The JSON members in RFC order, extensions last; {@code null} members left out. */
    public Map<String, Object> members() {
        LinkedHashMap<String, Object> m = new LinkedHashMap<>();
        m.put("type", type);
        m.put("title", title);
        m.put("status", status);
        if (detail != null) {
            m.put("detail", detail);
        }
        if (instance != null) {
            m.put("instance", instance);
        }
        extensions.forEach(m::putIfAbsent);
        return m;
    }

    /** {@code text} cut to {@link #ECHO_LIMIT} characters, control characters shown as {@code \\uXXXX}. */
    static String echo(String text) {
        if (text == null) {
            return "";
        }
        String cut = text.length() <= ECHO_LIMIT ? text : text.substring(0, ECHO_LIMIT - 3) + "...";
        StringBuilder out = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }
}
