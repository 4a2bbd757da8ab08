package io.courier.chain.web3j;

import java.net.URI;

/** A name for an endpoint that is safe to log and to use as a metric label. */
final class EndpointLabel {

    private EndpointLabel() {}

    /** {@code https://eth.example.com:443/v3/SECRET} becomes {@code https://eth.example.com:443}. */
    static String of(String url) {
        try {
            URI uri = URI.create(url);
            if (uri.getHost() == null) {
                return "invalid-url";
            }
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "invalid-url";
        }
    }
}
