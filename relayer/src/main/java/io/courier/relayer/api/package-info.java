/**
 * The status API of a Courier node (docs/ARCHITECTURE.md §6): Pekko HTTP routes over narrow read ports, served by
 * {@link io.courier.relayer.api.StatusApi}.
 *
 * <h2>Code map</h2>
 * <ul>
 *   <li>Ports, implemented elsewhere: {@link io.courier.relayer.api.TransferQueries} (production:
 *       {@link io.courier.relayer.api.StoreTransferQueries} over the finality tracker's {@code TransferStore}),
 *       {@link io.courier.relayer.api.ChainStatusSource} (ready implementation:
 *       {@link io.courier.relayer.api.ChainStatusBoard}, fed by the chain watchers),
 *       {@link io.courier.relayer.api.ReadinessProbe}, {@link io.courier.relayer.api.PayloadDescriber}.</li>
 *   <li>One {@code *Routes} class per resource: {@link io.courier.relayer.api.TransferRoutes},
 *       {@link io.courier.relayer.api.ChainRoutes}, {@link io.courier.relayer.api.HealthRoutes},
 *       {@link io.courier.relayer.api.MetricsRoutes}, {@link io.courier.relayer.api.OpenApiRoutes}.</li>
 *   <li>Views, the JSON a user sees: {@link io.courier.relayer.api.TransferView} and its nested records,
 *       {@link io.courier.relayer.api.ChainStatus}; each is documented member for member in
 *       {@code openapi.yaml}, and {@code OpenApiDocumentTest} fails when the two drift apart.</li>
 *   <li>Errors: {@link io.courier.relayer.api.Problem} (RFC 9457), {@link io.courier.relayer.api.ProblemHandlers}
 *       (rejections and exceptions of the route tree), {@link io.courier.relayer.api.ProblemParsingErrorHandler}
 *       (requests refused by the HTTP parser before routing).</li>
 * </ul>
 *
 * <h2>Decisions</h2>
 * <ul>
 *   <li>Responses are built with {@link io.courier.relayer.api.ApiJson}, not Pekko's marshallers: no content
 *       negotiation can turn an answer into a 406 or an error into text/plain.</li>
 *   <li>Parameters are whitelisted in ASCII and queries are strict (unknown, repeated or missing parameters are a
 *       400 naming the parameter), so client input never reaches the store unchecked and never causes a 500.</li>
 *   <li>{@code courier_api_requests_total{route,code}} is labelled with the route template matched, or
 *       {@code unmatched}: the label set stays bounded whatever paths clients send.</li>
 *   <li>Handlers compose {@code CompletionStage}s ({@code onSuccess}, {@code completeWithFuture}) and never wait;
 *       {@code /readyz} bounds its probe with a deadline and answers 503 when it is missed.</li>
 * </ul>
 */
package io.courier.relayer.api;

import io.courier.relayer.status.ChainStatus;
import io.courier.relayer.status.ChainStatusBoard;
import io.courier.relayer.status.ChainStatusSource;
