package io.courier.chain.web3j;

import io.courier.chain.RpcFailure;

/**
 * Lets code that reads a successful response (a null block, a revert hidden in an {@code eth_call} result) report
 * a failure of a known kind; the classifier takes the kind as given.
 */
final class FailureSignal extends RuntimeException {

    private final RpcFailure failure;

    FailureSignal(RpcFailure failure) {
        super(failure.detail(), null, false, false);
        this.failure = failure;
    }

    RpcFailure failure() {
        return failure;
    }
}
