package io.courier.chain;

import io.courier.chain.ChainRpcException.Kind;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/**
 * Runs one logical call through the limiter, then attempt after attempt: select an endpoint, send with a
 * timeout, classify, tell the observer and the endpoint selector, and either finish or schedule the next
 * attempt on the injected scheduler. No thread ever sleeps or blocks here.
 *
 * <p>A call keeps its limiter slot through its backoff delays. That is deliberate: when a node is rate limiting
 * or failing, new calls should wait behind the retries rather than add load.
 */
final class RpcInvoker {

    private static final Logger log = LoggerFactory.getLogger(RpcInvoker.class);

    private final ChainClientSettings settings;
    private final EndpointSelector endpoints;
    private final ScheduledExecutorService scheduler;
    private final RpcErrorClassifier classifier;
    private final DoubleSupplier random;
    private final AsyncLimiter limiter;
    private volatile boolean closed;

    RpcInvoker(ChainClientSettings settings, EndpointSelector endpoints, ScheduledExecutorService scheduler,
               RpcErrorClassifier classifier, DoubleSupplier random) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.scheduler = scheduler;
        this.classifier = classifier;
        this.random = random;
        this.limiter = new AsyncLimiter(settings.maxInFlight(), settings.maxQueued());
    }

    /**
     * @param request builds the web3j request on the chosen endpoint (called once per attempt)
     * @param read turns a response without error into the result; may throw {@link RpcFailure#signal()}
     */
    <R extends Response<?>, T> CompletableFuture<T> invoke(
            RpcCall call, Function<Web3j, Request<?, R>> request, Function<R, T> read) {
        if (closed) {
            return CompletableFuture.failedFuture(error(call, RpcFailure.of(Kind.CLOSED, "client closed"), 0, null));
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        limiter.<T>submit(() -> {
            CompletableFuture<T> result = new CompletableFuture<>();
            attempt(call, request, read, 1, result);
            return result;
        }).whenComplete((value, failure) -> {
            if (failure == null) {
                out.complete(value);
            } else {
                out.completeExceptionally(refusedOrAsIs(call, failure));
            }
        });
        return out;
    }

    private Throwable refusedOrAsIs(RpcCall call, Throwable failure) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ChainRpcException) {
            return t;
        }
        RpcFailure refused = classifier.classify(t);
        observe(RpcObserver.NO_ENDPOINT, call, refused.kind().label(), 0L);
        return error(call, refused, 0, t);
    }

    private <R extends Response<?>, T> void attempt(RpcCall call, Function<Web3j, Request<?, R>> request,
                                                    Function<R, T> read, int attempt, CompletableFuture<T> result) {
        if (closed) {
            result.completeExceptionally(error(call, RpcFailure.of(Kind.CLOSED, "client closed"), attempt - 1, null));
            return;
        }
        RpcEndpoint endpoint;
        CompletableFuture<R> sent;
        long start = System.nanoTime();
        try {
            endpoint = endpoints.select();
            sent = request.apply(endpoint.web3j()).sendAsync();
        } catch (RuntimeException e) {
            result.completeExceptionally(error(call, classifier.classify(e), attempt, e));
            return;
        }
        sent.orTimeout(settings.timeout().toNanos(), TimeUnit.NANOSECONDS).whenComplete((response, transportError) -> {
            try {
                onAnswer(call, request, read, attempt, result, endpoint, start, response, transportError);
            } catch (RuntimeException bug) {
                // never leave a caller waiting forever because of a bug in a callback
                result.completeExceptionally(error(call, RpcFailure.of(Kind.BAD_RESPONSE, bug.toString()), attempt, bug));
            }
        });
    }

    private <R extends Response<?>, T> void onAnswer(RpcCall call, Function<Web3j, Request<?, R>> request,
                                                     Function<R, T> read, int attempt, CompletableFuture<T> result,
                                                     RpcEndpoint endpoint, long start, R response, Throwable transportError) {
        long took = System.nanoTime() - start;
        T value = null;
        RpcFailure failure = null;
        Throwable cause = transportError;
        if (transportError != null) {
            failure = classifier.classify(transportError);
        } else if (response == null) {
            failure = RpcFailure.of(Kind.BAD_RESPONSE, "empty answer");
        } else if (response.hasError()) {
            failure = classifier.classify(response.getError());
        } else {
            try {
                value = read.apply(response);
            } catch (RuntimeException e) {
                failure = classifier.classify(e);
                cause = e instanceof RpcFailure.Signal ? null : e;
            }
        }
        observe(endpoint.label(), call, failure == null ? "ok" : failure.kind().label(), took);
        endpoints.report(endpoint, Optional.ofNullable(failure).map(RpcFailure::kind), took);
        if (failure == null) {
            result.complete(value);
            return;
        }
        if (classifier.isRetriable(failure.kind()) && settings.backoff().allowsAnotherAfter(attempt) && !closed) {
            Duration delay = settings.backoff().delayBeforeRetry(attempt, random);
            log.debug("chain {}: {} attempt {} failed [{}], retrying in {} ms: {}", settings.name(), call.describe(),
                    attempt, failure.kind(), delay.toMillis(), failure.detail());
            try {
                scheduler.schedule(() -> attempt(call, request, read, attempt + 1, result), delay.toNanos(), TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                RpcFailure closedNow = RpcFailure.of(Kind.CLOSED, "retry scheduler shut down; last failure: " + failure.detail());
                result.completeExceptionally(error(call, closedNow, attempt, cause));
            }
            return;
        }
        result.completeExceptionally(error(call, failure, attempt, cause));
    }

    private void observe(String endpoint, RpcCall call, String outcome, long durationNanos) {
        try {
            settings.observer().onRequest(settings.name(), endpoint, call.method(), outcome, durationNanos);
        } catch (RuntimeException e) {
            log.warn("chain {}: RPC observer failed: {}", settings.name(), e.toString());
        }
    }

    private ChainRpcException error(RpcCall call, RpcFailure failure, int attempts, Throwable cause) {
        return new ChainRpcException(settings.name(), settings.chainId(), call, failure, attempts, cause);
    }

    /** Calls currently holding a limiter slot (sent, or waiting for their next retry). */
    int inFlight() {
        return limiter.inFlight();
    }

    void close() {
        closed = true;
    }
}
