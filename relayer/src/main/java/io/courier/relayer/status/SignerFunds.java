package io.courier.relayer.status;

import java.math.BigInteger;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which destination chains' signers are below their balance floor: the submitter of such a chain takes no new work,
 * and {@code /v1/chains} says why. The submitters set it on every balance read; the API reads it. Thread-safe.
 */
public final class SignerFunds {

    private final Map<Long, String> reasons = new ConcurrentHashMap<>();

    /**
     * The signer's balance on {@code chainId} as just read; returns whether it is below {@code floorWei} (a zero
     * floor never is).
     */
    public boolean report(long chainId, String signer, BigInteger balanceWei, BigInteger floorWei) {
        if (floorWei.signum() > 0 && balanceWei.compareTo(floorWei) < 0) {
            reasons.put(chainId, "signer " + signer + " holds " + balanceWei + " wei, below this chain's floor of " + floorWei
                    + " wei (signer-balance-floor-wei): no new transactions until it is topped up");
            return true;
        }
        reasons.remove(chainId);
        return false;
    }

    /** Why the chain's signer takes no new work; empty when its balance is above the floor (or not read yet). */
    public Optional<String> belowFloor(long chainId) {
        return Optional.ofNullable(reasons.get(chainId));
    }
}
