package io.courier.relayer.attest;

import io.courier.chain.message.CrossChainMessage;
import io.courier.chain.message.MessageId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The messages this node's keys signed lately, each with the destination gateway the signatures are for: what a
 * checkpoint request needs to know ("did every local key attest every message of the range?") without reading
 * the range's signatures back from the store, one read a message, moments after writing them. Bounded: the most
 * recent {@code capacity} messages; an older one, or any after a restart, is read from the store as before, so
 * this only ever saves reads and never decides anything the store would decide otherwise. Also whether this
 * attester's own transition moved the message to ATTESTED: no status leads back to FINALIZED from there, so a
 * FINALIZED row of it handed over later (the submitter's sweep read it just before) is stale and needs no round.
 * Actor state: plain collections, touched from the attester's thread only.
 */
final class OwnSignatures {

    private final int capacity;
    private record Signed(String gateway, boolean attestedHere) {}

    private final Map<MessageId, Signed> byId;

    OwnSignatures(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be >= 1, was " + capacity);
        }
        this.capacity = capacity;
        this.byId = new LinkedHashMap<>(Math.min(capacity, 1 << 16), 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<MessageId, Signed> eldest) {
                return size() > OwnSignatures.this.capacity;
            }
        };
    }

    /**
     * Every local key's signature of {@code id} for {@code dstGateway} is in the store; {@code attestedHere}: and this
     * attester's transition moved it FINALIZED → ATTESTED.
     */
    void signed(MessageId id, String dstGateway, boolean attestedHere) {
        boolean before = byId.containsKey(id) && byId.get(id).attestedHere();
        byId.put(id, new Signed(dstGateway.toLowerCase(Locale.ROOT), attestedHere || before));
    }

    /** This attester moved {@code id} to ATTESTED lately: it is not FINALIZED any more, whatever a stale row says. */
    boolean attestedHere(MessageId id) {
        Signed signed = byId.get(id);
        return signed != null && signed.attestedHere();
    }

    /** The messages of {@code range} not known here as signed by every local key for {@code dstGateway}: to be read. */
    List<CrossChainMessage> unknown(List<CrossChainMessage> range, String dstGateway) {
        List<CrossChainMessage> unknown = new ArrayList<>();
        for (CrossChainMessage m : range) {
            Signed signed = byId.get(m.id());
            if (signed == null || !dstGateway.equalsIgnoreCase(signed.gateway())) {
                unknown.add(m);
            }
        }
        return unknown;
    }

    int size() {
        return byId.size();
    }
}
