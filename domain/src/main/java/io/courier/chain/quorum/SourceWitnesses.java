package io.courier.chain.quorum;

import io.courier.chain.BlockHeader;
import io.courier.chain.ChainClient;
import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.finality.SourceRef;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The endpoints of one source chain, asked one by one, so that no single endpoint decides what is signed
 * (docs/adr/007-quorum-reads.md). Each endpoint is asked independently, and only the agreement of {@code quorum} of
 * them counts: for a message, that the transaction's receipt holds the gateway's {@code MessageSent} log of exactly
 * that message, in the recorded block, and that this block is canonical; for the chain's height, the highest block
 * a majority (and at least {@code quorum}) of the endpoints have reached ({@link QuorumHead}).
 *
 * <p>No I/O of its own: it composes {@link ChainClient} calls. Each endpoint's answer is bounded by that client's
 * timeout; an endpoint that fails counts as {@link Testimony.Verdict#UNAVAILABLE}, never as a vote.
 */
public final class SourceWitnesses {

    /** One endpoint of the chain, asked alone. */
    public record Witness(String label, ChainClient client) {
        public Witness {
            Objects.requireNonNull(label, "label");
            Objects.requireNonNull(client, "client");
        }
    }

    private final String chain;
    private final List<Witness> witnesses;
    private final int quorum;
    private final MessageSentDecoder decoder;
    private final Address gateway;

    /**
     * @param chain     the chain's name (the {@code chain} label of metrics, and for logs)
     * @param witnesses one per configured endpoint
     * @param quorum    how many must vouch for a message; 1 ≤ quorum ≤ number of endpoints
     * @param decoder   the chain's decoder (its gateway is the only emitter believed)
     */
    public SourceWitnesses(String chain, List<Witness> witnesses, int quorum, MessageSentDecoder decoder) {
        this.chain = Objects.requireNonNull(chain, "chain");
        this.witnesses = List.copyOf(witnesses);
        if (this.witnesses.isEmpty()) {
            throw new IllegalArgumentException("no endpoint to ask");
        }
        QuorumHead.needed(quorum, this.witnesses.size()); // validates the pair
        this.quorum = quorum;
        this.decoder = Objects.requireNonNull(decoder, "decoder");
        this.gateway = Address.fromHex(decoder.gateway());
    }

    public String chain() {
        return chain;
    }

    public int quorum() {
        return quorum;
    }

    public int size() {
        return witnesses.size();
    }

    /** The chain's height by the endpoints' latest blocks; empty when too few answered ({@link QuorumHead}). */
    public CompletionStage<OptionalLong> headHeight() {
        return height(w -> w.client().head().thenApply(h -> Optional.of(h.number())));
    }

    /** The height of a block tag ({@code safe}, {@code finalized}) the same way; empty when too few have it. */
    public CompletionStage<OptionalLong> tagHeight(String tag) {
        return height(w -> w.client().blockByTag(tag).thenApply(b -> b.map(BlockHeader::number)));
    }

    private CompletionStage<OptionalLong> height(Function<Witness, CompletionStage<Optional<Long>>> ask) {
        List<CompletableFuture<Optional<Long>>> answers = witnesses.stream()
                .map(w -> ask.apply(w).toCompletableFuture().exceptionally(error -> Optional.empty()))
                .toList();
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(x -> {
            List<Long> heights = new ArrayList<>();
            answers.forEach(a -> a.join().ifPresent(heights::add));
            return QuorumHead.of(heights, quorum, witnesses.size());
        });
    }

    /** A message as recorded, to be confirmed. */
    public record Claim(CrossChainMessage message, SourceRef source) {
        public Claim {
            Objects.requireNonNull(message, "message");
            Objects.requireNonNull(source, "source");
        }
    }

    /** Asks every endpoint whether {@code message} was sent as recorded at {@code source}. Never fails. */
    public CompletionStage<Corroboration> corroborate(CrossChainMessage message, SourceRef source) {
        return corroborate(List.of(new Claim(message, source))).thenApply(all -> all.get(message.id()));
    }

    /**
     * Asks every endpoint about every claim; each endpoint is asked for each distinct receipt and block once, however
     * many of the claims share them. Never fails: an endpoint's error is its testimony.
     */
    public CompletionStage<Map<MessageId, Corroboration>> corroborate(List<Claim> claims) {
        Map<MessageId, List<CompletableFuture<Testimony>>> byClaim = new LinkedHashMap<>();
        for (Witness w : witnesses) {
            Reads reads = new Reads(w.client());
            for (Claim claim : claims) {
                byClaim.computeIfAbsent(claim.message().id(), id -> new ArrayList<>()).add(
                        testimony(w, reads, claim.message(), claim.source()).toCompletableFuture()
                                .exceptionally(error -> Testimony.unavailable(w.label(), describe(error))));
            }
        }
        List<CompletableFuture<Testimony>> all = byClaim.values().stream().flatMap(List::stream).toList();
        return CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).thenApply(x -> {
            Map<MessageId, Corroboration> verdicts = new LinkedHashMap<>();
            byClaim.forEach((id, testimonies) -> verdicts.put(id,
                    new Corroboration(testimonies.stream().map(CompletableFuture::join).toList(), quorum)));
            return verdicts;
        });
    }

    /** One endpoint's receipts and blocks for one round of questions, each fetched once. */
    private static final class Reads {
        private final ChainClient client;
        private final Map<TxHash, CompletableFuture<Optional<TxReceipt>>> receipts = new ConcurrentHashMap<>();
        private final Map<Long, CompletableFuture<Optional<BlockHeader>>> blocks = new ConcurrentHashMap<>();

        Reads(ChainClient client) {
            this.client = client;
        }

        CompletableFuture<Optional<TxReceipt>> receipt(TxHash tx) {
            return receipts.computeIfAbsent(tx, h -> client.receipt(h).toCompletableFuture());
        }

        CompletableFuture<Optional<BlockHeader>> block(long number) {
            return blocks.computeIfAbsent(number, n -> client.blockByNumber(n).toCompletableFuture());
        }
    }

    private CompletionStage<Testimony> testimony(Witness w, Reads reads, CrossChainMessage message, SourceRef source) {
        return reads.receipt(source.txHash()).thenCompose(found -> {
            Optional<String> contradiction = found.map(receipt -> contradiction(receipt, message, source))
                    .orElse(Optional.of("no receipt of tx " + source.txHash()));
            if (contradiction.isPresent()) {
                return CompletableFuture.completedFuture(Testimony.denies(w.label(), contradiction.get()));
            }
            return reads.block(source.blockNumber()).thenApply(block -> block
                    .filter(b -> b.hash().equals(source.blockHash()))
                    .map(b -> Testimony.vouches(w.label()))
                    .orElseGet(() -> Testimony.denies(w.label(), "block " + source.blockNumber() + " is "
                            + block.map(b -> b.hash().toHex()).orElse("missing") + ", recorded " + source.blockHash())));
        });
    }

    /** What in this receipt contradicts the record, if anything. */
    private Optional<String> contradiction(TxReceipt receipt, CrossChainMessage message, SourceRef source) {
        if (!receipt.succeeded()) {
            return Optional.of("tx " + source.txHash() + " reverted");
        }
        if (!receipt.blockHash().equals(source.blockHash()) || receipt.blockNumber() != source.blockNumber()) {
            return Optional.of("tx " + source.txHash() + " is in block " + receipt.blockNumber() + " " + receipt.blockHash()
                    + ", recorded " + source.blockNumber() + " " + source.blockHash());
        }
        Optional<ChainLog> log = GatewayEvents.find(receipt.logs(), gateway, GatewayEvents.MESSAGE_SENT_TOPIC, message.id());
        if (log.isEmpty()) {
            return Optional.of("tx " + source.txHash() + " has no MessageSent of " + message.id() + " from the gateway " + gateway);
        }
        // the decoder recomputes the id from the log's fields: an accepted log with this id carries exactly this message
        if (!(decoder.decode(log.get()) instanceof MessageSentDecoder.Accepted accepted) || !accepted.id().equals(message.id())) {
            return Optional.of("the MessageSent log of " + message.id() + " in tx " + source.txHash() + " does not decode to it");
        }
        if (log.get().logIndex() != source.logIndex()) {
            return Optional.of("the MessageSent log of " + message.id() + " has index " + log.get().logIndex()
                    + ", recorded " + source.logIndex());
        }
        return Optional.empty();
    }

    private static String describe(Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        return cause.getClass().getSimpleName() + ": " + cause.getMessage();
    }
}
