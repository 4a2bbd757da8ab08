package io.courier.finality;

import io.courier.chain.message.Hex;

/**
 * The part of a block header the {@link CanonicalWindow} needs: its number, its hash and its parent's hash.
 * Deliberately not chain-adapters' {@code BlockHeader}: this package stays free of RPC types, and the watcher
 * converts ({@code new Header(b.number(), b.hash(), b.parentHash())}). Hashes are normalised to {@code 0x} +
 * 64 lowercase hex digits, so a header built from RPC data and one built from stored data compare equal.
 */
public record Header(long number, String hash, String parentHash) {

    public Header {
        if (number < 0) {
            throw new IllegalArgumentException("block number must be >= 0, got " + number);
        }
        hash = Hex.hash("block " + number + " hash", hash);
        parentHash = Hex.hash("block " + number + " parentHash", parentHash);
    }

    /** Whether {@code child} is the next block after this one: one number higher and pointing at this hash. */
    public boolean isParentOf(Header child) {
        return child.number == number + 1 && child.parentHash.equals(hash);
    }

    @Override
    public String toString() {
        return "#" + number + " " + shortHash(hash) + " (parent " + shortHash(parentHash) + ")";
    }

    private static String shortHash(String hash) {
        return hash.substring(0, 8) + "…" + hash.substring(hash.length() - 6);
    }
}
