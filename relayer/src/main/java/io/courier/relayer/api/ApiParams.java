package io.courier.relayer.api;

import io.courier.chain.message.MessageId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Parsing and validation of every path and query parameter the API takes. Each check is a whitelist on ASCII
 * (no {@link Character#digit}, which accepts non-ASCII digits), and each failure is a
 * {@link InvalidParameterException} carrying the 400 problem that names the parameter, so that no client input
 * can reach a 500.
 */
public final class ApiParams {

    /** The largest chain id accepted: 2^53, the largest integer a JSON number keeps exactly everywhere. */
    public static final long MAX_CHAIN_ID = 1L << 53;

    private static final Pattern HASH = Pattern.compile("0[xX][0-9a-fA-F]{64}");
    private static final Pattern POSITIVE_DECIMAL = Pattern.compile("[1-9][0-9]{0,15}");
    private static final Pattern ADDRESS = Pattern.compile("0[xX][0-9a-fA-F]{40}");
    private static final Pattern CURSOR = Pattern.compile("[0-9]{4}-[0-9]{2}(\\.[0-9]{1,15}\\.0x[0-9a-f]{64})?");

    private ApiParams() {}

    /** A 400 problem raised while reading parameters. */
    public static final class InvalidParameterException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        private final transient Problem problem;

        InvalidParameterException(Problem problem) {
            super(problem.detail(), null, false, false);
            this.problem = problem;
        }

        public Problem problem() {
            return problem;
        }
    }

    /** {@code 0x} (or {@code 0X}) and 64 hex digits of either case, as a {@link MessageId}. */
    public static MessageId messageId(String parameter, String raw) {
        return MessageId.fromHex(hash32(parameter, raw));
    }

    /** {@code 0x} (or {@code 0X}) and 64 hex digits of either case, returned as {@code 0x} + lowercase. */
    public static String hash32(String parameter, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw invalid(parameter, parameter + " is empty; expected 0x followed by 64 hex digits");
        }
        if (!HASH.matcher(raw).matches()) {
            throw invalid(parameter, parameter + " must be 0x followed by 64 hex digits, got "
                    + describe(raw));
        }
        return "0x" + raw.substring(2).toLowerCase(Locale.ROOT);
    }

    /** A chain id: a positive decimal integer without sign or leading zeros, at most 2^53. */
    /** An account or contract address, {@code 0x} + 40 hex digits (any case); returned lowercase. */
    public static String address(String parameter, String raw) {
        if (raw == null || !ADDRESS.matcher(raw).matches()) {
            throw invalid(parameter, "expected 0x followed by 40 hex digits, got " + describe(raw));
        }
        return raw.toLowerCase(java.util.Locale.ROOT);
    }

    /** A transfer status by name, any case. */
    public static io.courier.finality.TransferStatus status(String parameter, String raw) {
        try {
            return io.courier.finality.TransferStatus.valueOf(raw.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw invalid(parameter, "expected one of " + java.util.Arrays.toString(io.courier.finality.TransferStatus.values())
                    + ", got " + describe(raw));
        }
    }

    /** A page cursor exactly as a previous page's {@code next} gave it. */
    public static String cursor(String parameter, String raw) {
        if (raw == null || !CURSOR.matcher(raw).matches()) {
            throw invalid(parameter, "not a cursor from a previous page's 'next': " + describe(raw));
        }
        return raw;
    }

    public static long chainId(String parameter, String raw) {
        if (raw == null || raw.isEmpty()) {
            throw invalid(parameter, parameter + " is empty; expected a positive integer chain id");
        }
        if (!POSITIVE_DECIMAL.matcher(raw).matches()) {
            throw invalid(parameter, parameter + " must be a positive decimal integer (no sign, exponent or"
                    + " leading zeros) of at most 2^53, got " + describe(raw));
        }
        long value = Long.parseLong(raw); // at most 16 digits: cannot overflow
        if (value > MAX_CHAIN_ID) {
            throw invalid(parameter, parameter + " must be at most 2^53 (" + MAX_CHAIN_ID + "), got " + raw);
        }
        return value;
    }

    /**
     * The query as a map of name to value, after checking that every name is in {@code required} or
     * {@code optional}, that none appears twice and that every required one is there. Names are compared exactly
     * (case-sensitive), as in the OpenAPI document.
     */
    /** A gas amount: a decimal integer without sign or leading zeros, at most 2^53 (0 allowed). */
    public static long gasLimit(String parameter, String raw) {
        if (raw == null || !(raw.equals("0") || POSITIVE_DECIMAL.matcher(raw).matches()) || Long.parseLong(raw) > MAX_CHAIN_ID) {
            throw invalid(parameter, "must be a whole number of gas from 0 to 2^53 (no sign or leading zeros), got " + describe(raw));
        }
        return Long.parseLong(raw);
    }

    /** A page size: a positive decimal no larger than {@code max}. */
    public static int limit(String parameter, String raw, int max) {
        if (raw == null || !POSITIVE_DECIMAL.matcher(raw).matches() || Long.parseLong(raw) > max) {
            throw invalid(parameter, "must be a whole number from 1 to " + max + ", got " + describe(raw));
        }
        return Integer.parseInt(raw);
    }

    public static Map<String, String> strictQuery(List<Map.Entry<String, String>> query, List<String> required,
                                                  List<String> optional) {
        LinkedHashMap<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : query) {
            String name = entry.getKey();
            if (!required.contains(name) && !optional.contains(name)) {
                List<String> allowed = new ArrayList<>(required);
                allowed.addAll(optional);
                throw new InvalidParameterException(Problem.badParameter(Problem.UNEXPECTED_PARAMETER,
                        Problem.echo(name), allowed.isEmpty()
                                ? "unknown query parameter '" + Problem.echo(name) + "': this resource takes none"
                                : "unknown query parameter '" + Problem.echo(name) + "'; allowed: "
                                        + String.join(", ", allowed)));
            }
            if (values.putIfAbsent(name, entry.getValue()) != null) {
                throw new InvalidParameterException(Problem.badParameter(Problem.UNEXPECTED_PARAMETER, name,
                        "query parameter '" + name + "' is given more than once"));
            }
        }
        for (String name : required) {
            if (!values.containsKey(name)) {
                throw new InvalidParameterException(Problem.badParameter(Problem.MISSING_PARAMETER, name,
                        "query parameter '" + name + "' is required"));
            }
        }
        return values;
    }

    static InvalidParameterException invalid(String parameter, String detail) {
        return new InvalidParameterException(Problem.badParameter(Problem.INVALID_PARAMETER, parameter, detail));
    }

    private static String describe(String raw) {
        return "'" + Problem.echo(raw) + "' (" + raw.length() + " characters)";
    }
}
