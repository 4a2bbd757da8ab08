package io.courier.relayer.watch;

import io.courier.chain.ChainLog;
import io.courier.chain.GatewayEvents;
import io.courier.chain.MessageSentDecoder;
import io.courier.chain.message.Address;
import io.courier.chain.message.TxHash;
import io.courier.finality.SourceRef;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.TransitionOutcome;
import io.courier.payment.GasPaidDecoder;
import io.courier.payment.GasPayment;
import io.courier.relayer.config.NodeConfig.ChainSettings;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Step 2 of the watcher's cycle ({@link ChainWatcher}): what the source gateway's logs in a scanned range say, written
 * before the cursor moves past them. Each {@code MessageSent} becomes a SENT transfer (indexed by sender, recipient
 * and the account that signed its transaction); one already known in another block is moved there (re-included after
 * a reorg), a REORGED one whose log is canonical again is revived. Each {@code GasPaid} is stored as a pending payment
 * (issue 11). Malformed logs, hostile log indexes and messages for chains the node does not serve are refused and
 * counted ({@code courier_messages_rejected_total}). A stage: runs off the actor's thread, holds no state, every write
 * idempotent.
 */
final class SourceLogRecorder {

    private static final Logger log = LoggerFactory.getLogger(ChainWatcher.class);

    private final ChainSettings chain;
    private final ChainWatcher.Wiring w;
    private final String label;

    SourceLogRecorder(ChainSettings chain, ChainWatcher.Wiring wiring) {
        this.chain = chain;
        this.w = wiring;
        this.label = chain.name();
    }

    /** Scans {@code from..to} and records what it holds; the number of transfers recorded for the first time. */
    CompletionStage<Integer> scanAndRecord(long from, long to) {
        List<String> topics = w.payments().enabled()
                ? List.of(GatewayEvents.MESSAGE_SENT_TOPIC, GatewayEvents.GAS_PAID_TOPIC) : List.of(GatewayEvents.MESSAGE_SENT_TOPIC);
        return w.scanner().scan(chain.gateway(), topics, from, to).thenCompose(all -> {
            List<ChainLog> logs = all.stream().filter(l -> !isGasPaid(l)).toList();
            // payments are recorded (as pending) before the cursor moves past their block, like transfers
            return observePayments(all.stream().filter(SourceLogRecorder::isGasPaid).toList())
                    .thenCompose(x -> recordTransfers(logs));
        });
    }

    private static boolean isGasPaid(ChainLog entry) {
        return entry.topic0().map(GatewayEvents.GAS_PAID_TOPIC::equals).orElse(false);
    }

    private CompletionStage<Void> observePayments(List<ChainLog> logs) {
        if (logs.isEmpty() || !w.payments().enabled()) {
            return CompletableFuture.completedFuture(null);
        }
        List<CompletableFuture<Void>> writes = new ArrayList<>();
        for (ChainLog entry : logs) {
            Optional<GasPayment> payment = GasPaidDecoder.decode(entry, chain.gateway(), chain.chainId());
            if (payment.isEmpty()) {
                w.metrics().messagesRejected.labelValues(label, "bad_gas_paid").inc();
                log.warn("chain {}: rejected GasPaid log in block {} tx {}: not a well-formed GasPaid(bytes32,uint256)", label,
                        entry.blockNumber(), entry.txHash());
                continue;
            }
            writes.add(w.payments().store().orElseThrow().observe(payment.get()).toCompletableFuture());
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new));
    }

    private CompletionStage<Integer> recordTransfers(List<ChainLog> logs) {
        List<Transfer> accepted = logs.stream().map(this::accept).flatMap(Optional::stream).toList();
        return signers(accepted).thenCompose(signers -> {
            List<CompletableFuture<Boolean>> writes = new ArrayList<>();
            for (Transfer t : accepted) {
                Set<Address> addresses = new LinkedHashSet<>(List.of(Address.fromHex(t.message().sender()),
                        Address.fromHex(t.message().recipient())));
                Optional.ofNullable(signers.get(t.source().txHash())).ifPresent(addresses::add);
                writes.add(w.transfers().indexAddresses(t, addresses).thenCompose(x -> record(t)).toCompletableFuture());
            }
            return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new))
                    .thenApply(x -> (int) writes.stream().filter(CompletableFuture::join).count());
        });
    }

    /**
     * The account that signed each source transaction (a wallet looks its transfers up by it: for a token transfer
     * the message's sender is the bridge contract). One read of each distinct block's transactions, not a receipt per
     * transaction (the watcher's quorum reads the receipts at finality anyway); a transaction the block no longer
     * holds (vanished, reorged) has no signer.
     */
    private CompletionStage<Map<TxHash, Address>> signers(List<Transfer> transfers) {
        Map<TxHash, Address> signers = new ConcurrentHashMap<>();
        Map<Long, Set<TxHash>> byBlock = new TreeMap<>();
        transfers.forEach(t -> byBlock.computeIfAbsent(t.source().blockNumber(), b -> new HashSet<>()).add(t.source().txHash()));
        CompletableFuture<?>[] reads = byBlock.entrySet().stream()
                .map(block -> w.client().transactionSenders(block.getKey()).thenAccept(senders -> senders.ifPresent(all ->
                        block.getValue().forEach(tx -> Optional.ofNullable(all.get(tx)).ifPresent(signer -> signers.put(tx, signer)))))
                        .toCompletableFuture())
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(reads).thenApply(x -> signers);
    }

    /**
     * Records a new transfer; a known one seen in another block (re-included after a reorg) moves there, and a
     * REORGED one whose log is canonical again (its transaction came back later) is revived as SENT.
     */
    private CompletionStage<Boolean> record(Transfer observed) {
        return w.transfers().recordObserved(observed).thenCompose(isNew -> {
            if (isNew) {
                return CompletableFuture.completedFuture(true);
            }
            return w.transfers().find(observed.id()).thenCompose(known -> {
                if (known.isPresent() && known.get().status() == TransferStatus.REORGED
                        && !known.get().source().equals(observed.source())) {
                    log.warn("chain {}: transfer {} was REORGED and its log is on the canonical chain again (block {}, tx {}): "
                            + "revived as SENT, it waits for finality again", label, observed.id(),
                            observed.source().blockNumber(), observed.source().txHash());
                    return w.transfers().relocate(observed.id(), observed.source(), w.clock().instant())
                            .thenApply(o -> o instanceof TransitionOutcome.Applied);
                }
                if (known.isPresent() && known.get().status() == TransferStatus.SENT
                        && !known.get().source().blockHash().equals(observed.source().blockHash())) {
                    log.warn("chain {}: transfer {} re-included: block {} -> {}", label, observed.id(),
                            known.get().source().blockNumber(), observed.source().blockNumber());
                    return w.transfers().relocate(observed.id(), observed.source(), w.clock().instant()).thenApply(o -> false);
                }
                return CompletableFuture.completedFuture(false);
            });
        });
    }

    private Optional<Transfer> accept(ChainLog entry) {
        if (entry.logIndex() < 0 || entry.logIndex() > Integer.MAX_VALUE) {
            // no block holds 2^31 logs: a hostile or broken endpoint; this log is refused, the cycle goes on
            w.metrics().messagesRejected.labelValues(label, "bad_log_index").inc();
            log.warn("chain {}: rejected log in block {} tx {}: log index {} is not a real position", label,
                    entry.blockNumber(), entry.txHash(), entry.logIndex());
            return Optional.empty();
        }
        MessageSentDecoder.Decoded decoded = w.decoder().decode(entry, chain.chainId());
        if (decoded instanceof MessageSentDecoder.Rejected rejected) {
            w.metrics().messagesRejected.labelValues(label, rejected.reason().name().toLowerCase()).inc();
            log.warn("chain {}: rejected log in block {} tx {}: {} {}", label, entry.blockNumber(),
                    entry.txHash(), rejected.reason(), rejected.detail());
            return Optional.empty();
        }
        var message = ((MessageSentDecoder.Accepted) decoded).message();
        if (!w.destinations().contains(message.dstChainId())) {
            w.metrics().messagesRejected.labelValues(label, "unknown_destination").inc();
            log.warn("chain {}: message {} in tx {} is for chain {}, which this node does not serve",
                    label, message.id(), entry.txHash(), message.dstChainId());
            return Optional.empty();
        }
        return Optional.of(Transfer.observed(message, sourceOf(entry), chain.confirmations(), w.clock().instant()));
    }

    static SourceRef sourceOf(ChainLog entry) {
        return new SourceRef(entry.txHash(), entry.blockNumber(), entry.blockHash(), Math.toIntExact(entry.logIndex()));
    }
}
