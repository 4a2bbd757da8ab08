package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

import io.courier.chain.RpcCall;

import io.courier.chain.ChainRpcException;
import io.courier.chain.RpcObserver;

import io.courier.chain.ChainRpcException.Kind;
import io.opentelemetry.context.Context;
import io.opentelemetry.context.Scope;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;
import java.util.function.DoubleSupplier;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.web3j.protocol.Web3j;
import org.web3j.protocol.core.Request;
import org.web3j.protocol.core.Response;

/**
 * Runs one logical call through the limiter, then attempt after attempt: ask the {@link EndpointSelector} (send
 * to an endpoint, wait for one, or give up), send with a timeout, classify, tell the observer and the selector,
 * and either finish or schedule the next attempt on the injected scheduler. No thread ever sleeps or blocks here.
 *
 * <p>Retries: only retriable kinds, at most {@code Backoff.maxAttempts} requests in all. A retry goes at once to
 * an endpoint this call has not tried when the selector has a healthy one ({@link EndpointSelector#canFailOver});
 * otherwise it waits the next backoff delay (the first, the second, ... of this call). An endpoint that refused
 * the request over HTTP (401/403/404/405: a bad key or path) is failed over from in the same way, though such a
 * failure is never sent to the same endpoint again. A failed
 * {@link EndpointSelector.Send#lastResort() last-resort} attempt is not retried. Waiting for a request token or a
 * Retry-After counts against {@link EndpointPoolSettings#maxWait()}, not against the attempts.
 *
 * <p>A call keeps its limiter slot through its backoff delays and waits. That is deliberate: when a node is rate
 * limiting or failing, new calls should wait behind the retries rather than add load.
 */
final class RpcInvoker {

    private static final Logger log = LoggerFactory.getLogger(RpcInvoker.class);
    private static final long MIN_WAIT_NANOS = TimeUnit.MILLISECONDS.toNanos(1);

    private final ChainClientSettings settings;
    private final EndpointSelector endpoints;
    private final ScheduledExecutorService scheduler;
    private final RpcErrorClassifier classifier;
    private final DoubleSupplier random;
    private final AsyncLimiter limiter;
    private final long maxWaitNanos;
    private volatile boolean closed;

    RpcInvoker(ChainClientSettings settings, EndpointSelector endpoints, ScheduledExecutorService scheduler,
               RpcErrorClassifier classifier, DoubleSupplier random) {
        this.settings = settings;
        this.endpoints = endpoints;
        this.scheduler = scheduler;
        this.classifier = classifier;
        this.random = random;
        this.limiter = new AsyncLimiter(settings.maxInFlight(), settings.maxQueued());
        this.maxWaitNanos = settings.endpointPool().maxWait().toNanos();
    }

    /**
     * @param request builds the web3j request on the chosen endpoint (called once per attempt)
     * @param read turns a response without error into the result; may throw a {@link FailureSignal}
     */
    <R extends Response<?>, T> CompletableFuture<T> invoke(
            RpcCall call, Function<Web3j, Request<?, R>> request, Function<R, T> read) {
        return invoke(call, request, (endpoint, response) -> read.apply(response), null);
    }

    /**
     * @param read as above, also told which endpoint answered
     * @param pinned every attempt goes to this endpoint, whatever the selector would choose (null: it chooses)
     */
    <R extends Response<?>, T> CompletableFuture<T> invoke(RpcCall call, Function<Web3j, Request<?, R>> request,
                                                          BiFunction<RpcEndpoint, R, T> read, RpcEndpoint pinned) {
        if (closed) {
            return CompletableFuture.failedFuture(error(call, RpcFailure.of(Kind.CLOSED, "client closed"), 0, null));
        }
        CompletableFuture<T> out = new CompletableFuture<>();
        // the caller's tracing context (a transfer's, say), so the observer can file each request under it: the
        // attempts run on I/O and scheduler threads, where it is not current
        Context caller = Context.current();
        limiter.<T>submit(() -> {
            Attempts<R, T> attempts = new Attempts<>(call, request, read, pinned, caller);
            attempts.next();
            return attempts.result;
        }).whenComplete((value, failure) -> {
            if (failure == null) {
                out.complete(value);
            } else {
                out.completeExceptionally(refusedOrAsIs(call, failure, caller));
            }
        });
        return out;
    }

    private Throwable refusedOrAsIs(RpcCall call, Throwable failure, Context caller) {
        Throwable t = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        if (t instanceof ChainRpcException) {
            return t;
        }
        RpcFailure refused = classifier.classify(t);
        observe(RpcObserver.NO_ENDPOINT, call, refused.kind().label(), 0L, caller);
        return error(call, refused, 0, t);
    }

    /**
     * One logical call, attempt after attempt. Its steps run one after the other (each is started by the
     * completion of the previous one or by the scheduler), so its fields need no lock.
     */
    private final class Attempts<R extends Response<?>, T> {
        final RpcCall call;
        final Function<Web3j, Request<?, R>> request;
        final BiFunction<RpcEndpoint, R, T> read;
        final RpcEndpoint pinned;
        final Context caller;
        final CompletableFuture<T> result = new CompletableFuture<>();
        final Set<RpcEndpoint> tried = new LinkedHashSet<>();
        int sent;
        int backoffRetries;
        long waitedNanos;
        RpcFailure lastFailure;
        Throwable lastCause;

        Attempts(RpcCall call, Function<Web3j, Request<?, R>> request, BiFunction<RpcEndpoint, R, T> read, RpcEndpoint pinned,
                 Context caller) {
            this.call = call;
            this.request = request;
            this.read = read;
            this.pinned = pinned;
            this.caller = caller;
        }

        void next() {
            if (closed) {
                fail(RpcFailure.of(Kind.CLOSED, "client closed"), lastCause);
                return;
            }
            EndpointSelector.Choice choice;
            try {
                choice = pinned != null ? new EndpointSelector.Send(pinned, false) : endpoints.choose(Set.copyOf(tried));
            } catch (RuntimeException e) {
                fail(RpcFailure.of(Kind.BAD_RESPONSE, "endpoint selection failed: " + e), e);
                return;
            }
            if (choice instanceof EndpointSelector.Send send) {
                send(send);
            } else if (choice instanceof EndpointSelector.Wait wait) {
                long delay = wait.delay().toNanos();
                if (waitedNanos + delay > maxWaitNanos) {
                    refuse(wait.ifTooLong());
                    return;
                }
                waitedNanos += Math.max(delay, MIN_WAIT_NANOS); // a selector answering "wait 0" cannot spin forever
                log.debug("chain {}: {} waits {} ms for an endpoint", settings.name(), call.describe(), wait.delay().toMillis());
                schedule(delay, wait.ifTooLong());
            } else if (choice instanceof EndpointSelector.Refuse refuse) {
                refuse(refuse.failure());
            } else {
                fail(RpcFailure.of(Kind.BAD_RESPONSE, "endpoint selector gave no choice"), null);
            }
        }

        /** Nothing is sent for this attempt: the call ends here. */
        private void refuse(RpcFailure failure) {
            observe(RpcObserver.NO_ENDPOINT, call, failure.kind().label(), 0L, caller);
            fail(lastFailure == null ? failure : failure.withDetail("last failure: " + lastFailure.detail()), lastCause);
        }

        private void send(EndpointSelector.Send choice) {
            RpcEndpoint endpoint = choice.endpoint();
            tried.add(endpoint);
            sent++;
            long start = System.nanoTime();
            CompletableFuture<R> answer;
            try {
                answer = request.apply(endpoint.web3j()).sendAsync();
            } catch (RuntimeException e) {
                RpcFailure failure = classifier.classify(e);
                report(endpoint, failure, 0L);
                fail(failure, e);
                return;
            }
            answer.orTimeout(settings.timeout().toNanos(), TimeUnit.NANOSECONDS).whenComplete((response, transportError) -> {
                try {
                    onAnswer(choice, start, response, transportError);
                } catch (RuntimeException bug) {
                    // never leave a caller waiting forever because of a bug in a callback
                    fail(RpcFailure.of(Kind.BAD_RESPONSE, bug.toString()), bug);
                }
            });
        }

        private void onAnswer(EndpointSelector.Send choice, long start, R response, Throwable transportError) {
            RpcEndpoint endpoint = choice.endpoint();
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
                    value = read.apply(endpoint, response);
                } catch (RuntimeException e) {
                    failure = classifier.classify(e);
                    cause = e instanceof FailureSignal ? null : e;
                }
            }
            observe(endpoint.label(), call, failure == null ? "ok" : failure.kind().label(), took, caller);
            report(endpoint, failure, took);
            if (failure == null) {
                result.complete(value);
                return;
            }
            lastFailure = failure;
            lastCause = cause;
            boolean retriable = classifier.isRetriable(failure.kind());
            // an endpoint that refused us (HTTP 401/403/404) never processed the request: another one may take it
            boolean refusedByEndpoint = !retriable
                    && classifier.impactOnEndpoint(failure) == RpcErrorClassifier.EndpointImpact.FAILED;
            if ((!retriable && !refusedByEndpoint) || closed) {
                fail(failure, cause);
                return;
            }
            if (choice.lastResort()) {
                fail(failure.withDetail("no healthy endpoint (" + endpoint.label() + " was the least bad), not retried"), cause);
                return;
            }
            if (!settings.backoff().allowsAnotherAfter(sent)) {
                fail(failure, cause);
                return;
            }
            // failing over to an endpoint this call has not tried is immediate; the backoff is for trying again
            boolean failOver = pinned == null && endpoints.canFailOver(Set.copyOf(tried));
            if (refusedByEndpoint && !failOver) {
                fail(failure, cause);
                return;
            }
            Duration delay = failOver ? Duration.ZERO : settings.backoff().delayBeforeRetry(++backoffRetries, random);
            log.debug("chain {}: {} attempt {} on {} failed [{}], {} in {} ms: {}", settings.name(), call.describe(), sent,
                    endpoint.label(), failure.kind(), failOver ? "failing over" : "retrying", delay.toMillis(), failure.detail());
            schedule(delay.toNanos(), failure);
        }

        private void schedule(long delayNanos, RpcFailure reason) {
            try {
                scheduler.schedule(this::next, delayNanos, TimeUnit.NANOSECONDS);
            } catch (RejectedExecutionException shutDown) {
                fail(RpcFailure.of(Kind.CLOSED, "retry scheduler shut down; last failure: " + reason.detail()), lastCause);
            }
        }

        private void report(RpcEndpoint endpoint, RpcFailure failure, long took) {
            try {
                endpoints.reportAttempt(endpoint, Optional.ofNullable(failure), took);
            } catch (RuntimeException e) {
                log.warn("chain {}: endpoint selector failed on a report: {}", settings.name(), e.toString());
            }
        }

        private void fail(RpcFailure failure, Throwable cause) {
            result.completeExceptionally(error(call, failure, sent, cause));
        }
    }

    private void observe(String endpoint, RpcCall call, String outcome, long durationNanos, Context caller) {
        try (Scope ignored = caller.makeCurrent()) {
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
