package io.courier.relayer.submitfakes;

import io.courier.chain.message.Address;

import io.courier.finality.Submission;
import io.courier.finality.store.SubmissionStore;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

/** Submissions as rows keyed by (chain, signer, nonce, tx hash); {@link #onRecord} scripts a write's result. */
public final class InMemorySubmissionStore implements SubmissionStore {

    private final List<Submission> rows = new CopyOnWriteArrayList<>();
    /** Every record call, in order, written or not. */
    public final List<Submission> recordCalls = new CopyOnWriteArrayList<>();
    /** Returns the stage a record call completes with; null: written and done. */
    public volatile Function<Submission, CompletionStage<Void>> onRecord = s -> null;

    public List<Submission> rows() {
        return List.copyOf(rows);
    }

    /** Adds a row as a previous run of the node would have left it. */
    public void seed(Submission s) {
        rows.add(s);
    }

    @Override
    public CompletionStage<Void> record(Submission submission) {
        recordCalls.add(submission);
        CompletionStage<Void> scripted = onRecord.apply(submission);
        if (scripted != null) {
            return scripted;
        }
        rows.removeIf(r -> r.nonce() == submission.nonce() && r.txHash().equals(submission.txHash()));
        rows.add(submission);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<Void> replace(Submission previous, Submission replacement) {
        rows.removeIf(r -> r.txHash().equals(previous.txHash()));
        rows.add(previous.withReplacement(replacement.txHash()));
        rows.add(replacement);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletionStage<List<Submission>> findByNonce(long dstChain, Address signer, long nonce) {
        return CompletableFuture.completedFuture(rows.stream()
                .filter(r -> r.dstChainId() == dstChain && r.signer().equals(signer) && r.nonce() == nonce).toList());
    }

    @Override
    public CompletionStage<List<Submission>> list(long dstChain, Address signer, long fromNonce, int limit) {
        List<Submission> out = new ArrayList<>(rows.stream()
                .filter(r -> r.dstChainId() == dstChain && r.signer().equals(signer) && r.nonce() >= fromNonce).toList());
        out.sort(Comparator.comparingLong(Submission::nonce));
        return CompletableFuture.completedFuture(out.subList(0, Math.min(limit, out.size())));
    }
}
