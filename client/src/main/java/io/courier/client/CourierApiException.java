package io.courier.client;

/**
 * The node answered with an error: its RFC 9457 problem ({@code type}, {@code title}, {@code detail}) and HTTP
 * status. {@code type} is {@code about:blank} or a {@code urn:courier:problem:*} URN the OpenAPI document lists.
 */
public class CourierApiException extends RuntimeException {

    private final int status;
    private final String type;
    private final String title;
    private final String detail;

    public CourierApiException(String request, int status, String type, String title, String detail) {
        super(request + ": " + status + " " + type + (title == null ? "" : " (" + title + ")")
                + (detail == null ? "" : ": " + detail));
        this.status = status;
        this.type = type;
        this.title = title;
        this.detail = detail;
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public String detail() {
        return detail;
    }
}
