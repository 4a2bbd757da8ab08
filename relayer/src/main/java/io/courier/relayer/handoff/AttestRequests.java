package io.courier.relayer.handoff;

import io.courier.finality.Transfer;

/**
 * Where FINALIZED transfers go to be signed (the attester). The watcher and the submitter's sweep hand work over
 * through this, so neither imports the attester; asking twice is harmless, the attester drops duplicates.
 */
@FunctionalInterface
public interface AttestRequests {

    void attest(Transfer finalized);

    /**
     * As {@link #attest}, for a transfer whose source the chain's endpoints vouched for by quorum in the very cycle
     * that hands it over, the transfer being the one vouched for (not a stored row read back): the attester signs
     * without asking the endpoints again (docs/adr/007-quorum-reads.md, changelog 2026-12-05).
     */
    default void attestVouched(Transfer finalized) {
        attest(finalized);
    }
}
