package io.courier.relayer.submit;

import io.courier.chain.TxReceipt;
import io.courier.chain.message.Address;
import io.courier.chain.message.MessageId;
import io.courier.chain.message.TxHash;
import io.courier.fees.FeeBump;
import io.courier.fees.FeeSettings;
import io.courier.fees.Fees;
import io.courier.finality.Transfer;
import io.courier.finality.TransferEvent;
import io.courier.finality.TransferStatus;
import io.courier.relayer.telemetry.CourierMetrics;
import io.courier.relayer.telemetry.TransferTracing;
import io.opentelemetry.api.common.Attributes;
import java.math.BigInteger;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;

/**
 * What one submitter reports: its metrics ({@code courier_submissions_total} by outcome, gas, fee bumps, outcomes by
 * route), the transfers' spans, and the log lines an operator acts on. Used on the actor's thread only.
 */
final class DeliveryTelemetry {

    private final String chain;
    private final CourierMetrics metrics;
    private final TransferTracing tracing;
    private final Clock clock;
    private final Logger log;

    DeliveryTelemetry(String chain, CourierMetrics metrics, TransferTracing tracing, Clock clock, Logger log) {
        this.chain = chain;
        this.metrics = metrics;
        this.tracing = tracing;
        this.clock = clock;
        this.log = log;
    }

    /** One more submission outcome of this chain ({@code courier_submissions_total{outcome}}). */
    void count(String outcome) {
        metrics.submissions.labelValues(chain, outcome).inc();
    }

    void batchSize(String path, int messages) {
        metrics.deliveryBatchMessages.labelValues(chain, path).observe(messages);
    }

    void balance(BigInteger wei) {
        metrics.signerBalanceWei.labelValues(chain).set(wei.doubleValue());
    }

    void feeBumped() {
        metrics.feeBumps.labelValues(chain).inc();
    }

    /** {@code courier_fee_bumps_exhausted}: transactions of this chain left alone at their last bump or the cap, unmined. */
    void exhausted(long transactions) {
        metrics.feeBumpsExhausted.labelValues(chain).set(transactions);
    }

    /** The transfer's submit span: from ATTESTED (or its send) to now, naming the transaction, its nonce and batch size. */
    void submitted(Inflight tx, long nonce, int batchMessages) {
        MessageId id = tx.transfer().id();
        Instant sentAt = tx.resend() instanceof Inflight.Resend.After after ? after.lastSent() : clock.instant();
        tracing.stage(id.toHex(), tx.transfer().route(), "submit", tx.transfer().stageTime(TransferStatus.ATTESTED).orElse(sentAt),
                clock.instant(), Attributes.builder().put("courier.tx_hash", tx.txHash().toHex()).put("courier.nonce", nonce)
                        .put("courier.batch_messages", batchMessages).build(), true);
    }

    /** A confirmed receipt's gas; a batch's also logged with its gas per message. {@code carried}: messages, 0 when unknown. */
    void mined(TxHash hash, TxReceipt receipt, int carried) {
        if (receipt.gasUsed() != null) {
            metrics.gasUsed.labelValues(chain).inc(receipt.gasUsed().doubleValue());
        }
        receipt.feePaid().ifPresent(f -> metrics.gasSpentWei.labelValues(chain).inc(f.doubleValue()));
        if (carried > 0 && receipt.gasUsed() != null) {
            log.info("submitter {}: {} mined in block {}: {} messages, gas used {} ({} a message){}", chain, hash, receipt.blockNumber(),
                    carried, receipt.gasUsed(), receipt.gasUsed().divide(BigInteger.valueOf(carried)), receipt.succeeded() ? "" : ", REVERTED");
        }
    }

    /** The transfer reached {@code status} (DELIVERED or FAILED) with {@code tx}. */
    void completed(Inflight tx, TransferStatus status) {
        Transfer t = tx.transfer();
        Instant now = clock.instant();
        metrics.transfersCompleted.labelValues(status.name(), t.route()).inc();
        tracing.stage(t.id().toHex(), t.route(), "destination.confirm", t.stageTime(TransferStatus.SUBMITTED).orElse(now), now,
                Attributes.empty(), status == TransferStatus.DELIVERED);
        if (status == TransferStatus.DELIVERED) {
            metrics.deliveryDuration.labelValues(t.route()).observe(Duration.between(t.createdAt(), now).toMillis() / 1000.0);
            tracing.outcome(t, status, now, null);
        } else {
            log.warn("transfer {}: FAILED on {} in {}", t.id(), chain, tx.txHash());
            tracing.outcome(t, status, now, "failed in " + tx.txHash());
        }
    }

    void undeliverable(Transfer t, TransferEvent.Undeliverable event) {
        metrics.transfersUndeliverable.labelValues(t.route(), event.obstacle().label()).inc();
        tracing.outcome(t, TransferStatus.UNDELIVERABLE, clock.instant(), event.reason());
        metrics.transfersCompleted.labelValues(TransferStatus.UNDELIVERABLE.name(), t.route()).inc();
        log.error("transfer {} ({}) is UNDELIVERABLE to {}: {}. No nonce holds it; an operator may retry it once the cause is fixed",
                t.id(), t.route(), chain, event.reason());
    }

    /** The signer's balance ({@code courier_signer_balance_wei}); crossing the floor either way is logged once. */
    void balance(BigInteger wei, boolean wasBelow, boolean below, long chainId, Address signer, BigInteger floor) {
        balance(wei);
        if (below && !wasBelow) {
            log.error("submitter {} ({}): signer {} holds {} wei, below the floor of {} wei: NO NEW transactions "
                    + "on this chain until it is topped up (those in flight are followed to the end)", chain, chainId, signer, wei, floor);
        } else if (!below && wasBelow) {
            log.warn("submitter {}: signer {} holds {} wei again, above the floor: taking new work", chain, signer, wei);
        }
    }

    /** {@code id}'s transaction {@code old} can never be mined: {@code by} at {@code nonce} replaces it. */
    void replacedDropped(MessageId id, Inflight old, TxHash by, long nonce) {
        count("replaced_dropped");
        log.warn("transfer {}: its transaction {} (nonce {}) can never be mined (the nonce was used by "
                + "another transaction); replaced by {} at nonce {}", id, old.txHash(), old.nonceText(), by, nonce);
    }

    /** {@code d} signed as {@code hash} at {@code nonce}: its batch size, and a batch's route and range logged. */
    void signed(UnsignedDelivery d, TxHash hash, long nonce) {
        int n = d.transfers().size();
        if (n > 1) {
            log.info("submitter {}: {} of {} messages of route {} (nonces {}..{}) in {} at nonce {}, gas limit {}", chain, d.path(), n,
                    d.first().route(), d.first().message().nonce(), d.transfers().get(n - 1).message().nonce(), hash, nonce, d.gasLimit());
        }
        batchSize(d.path(), n);
    }

    /** A fee bump: the newest of {@code a} is replaced by {@code by} at {@code fees}. */
    void replacing(NonceAttempts a, TxHash by, Fees fees, FeeSettings settings) {
        log.warn("submitter {}: {} at nonce {} unmined {} blocks after it was first seen; replacing it with {} (bump {} of {}): {} -> {}",
                chain, a.newest(), a.nonce(), settings.bumpAfterBlocks(), by, a.bumps() + 1, settings.maxBumps(), a.fees(), fees);
    }

    /** No more bumps for the newest of {@code a}: left alone, unmined, and said loudly. */
    void leftAlone(NonceAttempts a, FeeBump.Exhausted why) {
        log.error("submitter {}: transaction {} at nonce {} is still unmined after {} replacement(s) and is LEFT "
                + "ALONE ({}: {}); raise this chain's fees caps or max-bumps, or wait for the market to fall", chain,
                a.newest(), a.nonce(), a.bumps(), why.reason(), why.detail());
    }

    /** A batch of {@code batchOf} messages reverted as a whole. */
    void batchReverted(TxReceipt receipt, int batchOf) {
        count("batch_reverted");
        log.warn("submitter {}: batch {} of {} messages reverted ({}); each is sent again on its own", chain, receipt.txHash(), batchOf,
                receipt.revertReasonIfGiven().orElse("no reason given"));
    }

    // ── the log lines of the submitter's steps ──

    void starting(long chainId, Address signer, NonceRecovery.Plan plan) {
        log.info("submitter {} ({}): signer {} starts at nonce {}{}", chain, chainId, signer, plan.firstFree(),
                plan.steps().isEmpty() ? "" : "; unmined before it: " + plan.describe());
    }

    void adopting(MessageId id, NonceRecovery.Adopt adopt) {
        log.warn("transfer {}: adopting its recorded transaction {} at nonce {} (recorded, never marked SUBMITTED)", id,
                adopt.submission().txHash(), adopt.nonce());
    }

    /** A fill's send: {@code error} null when it was sent. */
    void filled(long nonce, TxHash hash, Throwable error) {
        count(error == null ? "gap_filled" : "gap_fill_failed");
        if (error == null) {
            log.warn("submitter {}: nonce {} had no transaction that could still be sent; filled it with a no-op {}", chain, nonce, hash);
        } else {
            // already known, underpriced or nonce too low: something holds the nonce after all; else the next check retries
            log.warn("submitter {}: filling nonce {} failed, next check retries: {}", chain, nonce, Submitter.rootMessage(error));
        }
    }

    void balanceUnread(Address signer, Throwable error) {
        log.debug("submitter {}: balance of {} not read: {}", chain, signer, error.toString());
    }

    void batchSplit(BatchPreparation.Outcome.Split split) {
        count("batch_split");
        log.warn("submitter {}: a batch of {} messages cannot go as planned ({}); each goes on its own", chain, split.ids().size(),
                split.reason());
    }

    void batchPostponed(BatchPreparation.Outcome.Postponed postponed) {
        log.warn("submitter {}: a batch of {} messages not submitted now: {}", chain, postponed.ids().size(), postponed.reason());
    }

    void executedElsewhere(MessageId id, TxHash by) {
        count("executed_elsewhere");
        log.warn("transfer {}: already executed on {} by transaction {} (not one this node is tracking); recording it", id, chain, by);
    }

    /** Recording {@code what} of {@code tx}'s transfer failed (or applied nothing: {@code why}); {@code next}: what happens then. */
    void notRecorded(Inflight tx, String what, String next, Object why) {
        log.warn("transfer {}: could not record {}, {}: {}", tx.transfer().id(), what, next, why);
    }

    /** The log line of a planning step that lets its messages go for now. */
    void letGo(PlanningRound.Step.LetGo step) {
        if (step instanceof PlanningRound.Step.NotNow n) {
            notNow(n.id(), n.reason());
        } else if (step instanceof PlanningRound.Step.Split s) {
            batchSplit(s.split());
        } else if (step instanceof PlanningRound.Step.Postponed p) {
            batchPostponed(p.postponed());
        } else if (step instanceof PlanningRound.Step.BackingOff b) {
            preflightReverted(b.id(), b.reason(), b.next());
        }
    }

    void notNow(MessageId id, String reason) {
        log.warn("transfer {} to {}: not submitted now: {}", id, chain, reason);
    }

    void preflightReverted(MessageId id, String reason, PreflightBackoff next) {
        log.warn("transfer {} to {}: pre-flight reverted ({}), attempt {} of {}; not prepared again before {}", id, chain, reason,
                next.failures(), PreflightBackoff.MAX_ATTEMPTS, next.notBefore());
    }

    void rejectedByNode(Inflight tx, long nonce, String reason) {
        count("rejected_by_node");
        log.warn("transfer {}: {} (nonce {}) rejected by {} for good: {}; filling the nonce", tx.transfer().id(), tx.txHash(), nonce,
                chain, reason);
    }

    void undeliverableNotRecorded(Transfer t, TransferEvent.Undeliverable event, Object why) {
        log.warn("transfer {}: could not record it UNDELIVERABLE ({}): {}", t.id(), event.reason(), why);
    }

    /** {@code txs} (one transaction's entries) at {@code nonce} not sent, and {@code what} follows. */
    void notSent(List<Inflight> txs, long nonce, String what) {
        log.warn("{}: {} (nonce {}) not sent: {}", who(txs), txs.get(0).txHash(), nonce, what);
    }

    private static String who(List<Inflight> txs) {
        return txs.size() == 1 ? "transfer " + txs.get(0).transfer().id() : "batch of " + txs.size();
    }

    /** {@code what} failed (it is retried on its timer). */
    void failed(String what, Object why) {
        log.warn("submitter {}: {} failed: {}", chain, what, why instanceof Throwable e ? Submitter.rootMessage(e) : why);
    }

    /** {@code courier_open_transfers}: the destination's open transfers of a sweep, by status and route. */
    void open(long chainId, List<Transfer> open) {
        Map<String, Map<String, Integer>> counts = new HashMap<>();
        open.forEach(t -> counts.computeIfAbsent(t.status().name(), k -> new HashMap<>()).merge(t.route(), 1, Integer::sum));
        metrics.openTransfers(chainId, counts);
    }

    void rebroadcasting(List<Inflight> txs) {
        log.info("{}: no receipt for {} yet, broadcast again", who(txs), txs.get(0).txHash());
    }
}
