package io.courier.relayer.api;

import io.courier.chain.message.Address;
import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import io.courier.finality.Attestation;
import io.courier.finality.Transfer;
import io.courier.finality.TransferStatus;
import io.courier.finality.store.AttestationStore;
import io.courier.relayer.signing.ValidatorKeys;
import io.courier.relayer.submit.ExecuteCall;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.http.javadsl.server.PathMatchers;
import org.apache.pekko.http.javadsl.server.Route;
import org.web3j.utils.Numeric;

/**
 * {@code GET /v1/transfers/{messageId}/attestation}: self-relay. Everything a client needs to deliver an attested
 * message itself when the relayer does not (it is down, or its signer unfunded): the validator signatures the
 * destination gateway accepts and the exact calldata of the gateway's {@code execute}, plus {@code retry} for a
 * FAILED one. {@code execute} and {@code retry} are permissionless on the gateway, so whoever sends this calldata
 * to {@code to} on chain {@code chainId} delivers the message; the gateway's replay bit makes a second delivery
 * (by the relayer or anyone) revert instead of executing twice.
 *
 * <p>The signatures are chosen as the submitter chooses them ({@link ValidatorKeys#forExecute}) and the calldata is
 * the submitter's own encoding ({@link ExecuteCall}), so this answer and the relayer's transaction are the same call.
 */
public final class AttestationRoutes extends ApiDirectives {

    public static final String ATTESTATION = "/v1/transfers/{messageId}/attestation";

    /** The statuses a transfer has once it was attested: a threshold of signatures exists for them. */
    static final Set<TransferStatus> ATTESTED_OR_LATER = EnumSet.of(TransferStatus.ATTESTED, TransferStatus.SUBMITTED,
            TransferStatus.DELIVERED, TransferStatus.FAILED, TransferStatus.UNDELIVERABLE);

    /** The answer: what to send, where, and the signatures inside it. */
    public record AttestationView(String messageId, TransferStatus status, Destination destination, int threshold,
                                  List<SignatureView> signatures, GatewayCall execute, GatewayCall retry,
                                  DeliveryEvidence.DeliveryView delivery) {}

    /** The destination chain and its gateway. */
    public record Destination(long chainId, String gateway) {}

    /**
     * One validator's EIP-712 signature, r ‖ s ‖ v: over {@code Attestation(messageId)} for the destination gateway, or
     * in a checkpoint delivery over the checkpoint's digest. {@code validator} is the address it recovers to.
     */
    public record SignatureView(String validator, String signature) {}

    /** A transaction to send: {@code data} to {@code to} on chain {@code chainId}, no value. */
    public record GatewayCall(String function, long chainId, String to, String data) {}

    private final TransferQueries queries;
    private final AttestationStore attestations;
    private final ValidatorKeys keys;
    private final Map<Long, Address> gateways;
    private final DeliveryEvidence evidence;

    /**
     * @param keys     only its validator set and threshold are used (no key of it signs here)
     * @param gateways the gateway of every chain the node serves, by chain id
     * @param inputs   reads a destination transaction's input, to show what a delivery used
     */
    AttestationRoutes(TransferQueries queries, AttestationStore attestations, ValidatorKeys keys,
                      Map<Long, Address> gateways, TransactionInputs inputs, ApiJson json) {
        super(json);
        this.queries = Objects.requireNonNull(queries, "queries");
        this.attestations = Objects.requireNonNull(attestations, "attestations");
        this.keys = Objects.requireNonNull(keys, "keys");
        this.gateways = Map.copyOf(gateways);
        this.evidence = new DeliveryEvidence(inputs, keys);
    }

    public Route route() {
        return pathPrefix("v1", () -> pathPrefix("transfers", () ->
                path(PathMatchers.segment().slash("attestation"), rawId -> template(ATTESTATION, () -> get(() ->
                        strictQuery(List.of(), List.of(), q -> attestation(ApiParams.messageId("messageId", rawId))))))));
    }

    private Route attestation(MessageId id) {
        return onSuccess(queries.find(id), found -> {
            if (found.isEmpty()) {
                return completeProblem(Problem.of(Problem.TRANSFER_NOT_FOUND, "Transfer not found", 404,
                        "no transfer with message id " + id.toHex() + " is known to this node"));
            }
            Transfer t = found.get();
            if (!ATTESTED_OR_LATER.contains(t.status())) {
                return completeProblem(notAttested(t, "transfer " + id.toHex() + " is " + t.status()
                        + ": its attestation exists once it is ATTESTED; follow " + TransferView.selfPath(id.toHex()) + "/events"));
            }
            long dst = t.message().dstChainId();
            Address gateway = gateways.get(dst);
            if (gateway == null) { // the watcher records only transfers to served chains: a config change since
                return completeProblem(notAttested(t, "transfer " + id.toHex() + " goes to chain " + dst
                        + ", which this node no longer serves"));
            }
            return onSuccess(attestations.list(id), all -> {
                List<Attestation> chosen = keys.forExecute(keys.digest(id, dst, gateway.toHex()), all);
                if (chosen.size() < keys.threshold()) {
                    return completeProblem(notAttested(t, "transfer " + id.toHex() + " has " + chosen.size()
                            + " valid signatures for the current validator set, the gateway needs " + keys.threshold()));
                }
                CompletionStage<Optional<DeliveryEvidence.DeliveryView>> delivery = t.destinationTx()
                        .map(tx -> evidence.of(t, tx, gateway).thenApply(Optional::of))
                        .orElse(CompletableFuture.completedFuture(Optional.empty()));
                return onSuccess(delivery, d -> complete(json.ok(view(t, gateway, chosen, d.orElse(null)))));
            });
        });
    }

    private AttestationView view(Transfer t, Address gateway, List<Attestation> chosen, DeliveryEvidence.DeliveryView delivery) {
        CrossChainMessage m = t.message();
        long dst = m.dstChainId();
        List<byte[]> signatures = chosen.stream().map(a -> Numeric.hexStringToByteArray(a.signature())).toList();
        GatewayCall execute = new GatewayCall("execute", dst, gateway.toHex(), ExecuteCall.encode(m, signatures));
        GatewayCall retry = t.status() == TransferStatus.FAILED
                ? new GatewayCall("retry", dst, gateway.toHex(), ExecuteCall.retry(m))
                : null;
        return new AttestationView(t.id().toHex(), t.status(), new Destination(dst, gateway.toHex()), keys.threshold(),
                chosen.stream().map(a -> new SignatureView(a.validator().toLowerCase(java.util.Locale.ROOT), a.signature())).toList(),
                execute, retry, delivery);
    }

    private static Problem notAttested(Transfer t, String detail) {
        return Problem.of(Problem.NOT_ATTESTED, "Transfer not attested", 409, detail).with("transferStatus", t.status().name());
    }
}
