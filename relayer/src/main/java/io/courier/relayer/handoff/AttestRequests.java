package io.courier.relayer.handoff;

import io.courier.finality.Transfer;

/**
 * Where FINALIZED transfers go to be signed (the attester). The watcher and the submitter's sweep hand work over
 * through this, so neither imports the attester; asking twice is harmless, the attester drops duplicates.
 */
@FunctionalInterface
public interface AttestRequests {

    void attest(Transfer finalized);
}
