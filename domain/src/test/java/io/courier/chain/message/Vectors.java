package io.courier.chain.message;

import java.nio.charset.StandardCharsets;

/**
 * Known answers, computed independently (keccak-256 from js-sha3 with a hand-written abi.encode) and confirmed
 * by eth_call against the compiled {@code Gateway} on Ganache chain 1002 (deployed by Ganache's deterministic
 * account 0 at {@link #GANACHE_GATEWAY}).
 */
final class Vectors {

    private Vectors() {}

    static final CrossChainMessage MESSAGE_1 = new CrossChainMessage(1001, "0x5fbdb2315678afecb367f032d93f642f64180aa3", 42, 1002,
            "0x90f79bf6eb2c4f870365e785982e1f101e93b906", "0x15d34aaf54267db7d7c367839aaf71a00a2c6a65",
            "hello courier".getBytes(StandardCharsets.US_ASCII));
    static final String MESSAGE_1_PAYLOAD_HASH = "0x69fc6ff1ae49e98647729f35715e92f2d3382a54dec201b47364c4c799cb0e93";
    static final String MESSAGE_1_ID = "0xc938f93d9f8e4357137bcd9dc99e8dcfb7c9ab7c765abeb6560f74695b7f0fb6";

    /** Extremes: chain 1, nonce 0, zero and all-ones addresses, empty payload. */
    static final CrossChainMessage MESSAGE_2 = new CrossChainMessage(1, "0x0000000000000000000000000000000000000001", 0, 137,
            "0xffffffffffffffffffffffffffffffffffffffff", "0x0000000000000000000000000000000000000000", new byte[0]);
    static final String MESSAGE_2_ID = "0x4426f7e39506b35b029231c2a0f92893007e5cbe9d6425e22844d68bbd13b44a";

    static final String DOMAIN_TYPEHASH = "0x8b73c3c69bb8fe3d512ecc4cf759cc79239f7b179b0ffacaa9a75d522b39400f";
    static final String ATTESTATION_TYPEHASH = "0x7fd04359a2a33a5296ab4687fa6551d76b52d1e2e95138155e31611e26833c24";

    static final String GANACHE_GATEWAY = "0xe78a0f7e598cc8b0bb87894b0f60dd2a88d6a8ab";
    /** {@code domainSeparator()} of {@link #GANACHE_GATEWAY} on chain 1002. */
    static final String GANACHE_DOMAIN = "0x9c09870f175220f1ea4b05c5245faf13ef842c0b8b564d41295c7b3c9e4d936d";
    /** {@code attestationDigest(MESSAGE_1_ID)} of {@link #GANACHE_GATEWAY} on chain 1002. */
    static final String GANACHE_DIGEST_1 = "0x9d41c782f888781f7efbac97e1d60e5c0b0cd365d80242772136f5df36e4b146";

    /** The same message id for another gateway on the same chain (js-sha3 only). */
    static final String OTHER_GATEWAY = "0xe7f1725e7734ce288f8367e1bb143e90bb3f0512";
    static final String OTHER_DOMAIN = "0x8dedde85004f66732c3ca0aaeb32bce9a7bf3a053d56d32e554ce952c2571880";
    static final String OTHER_DIGEST_1 = "0xd12809d201eaa40420697f33dc13a8f55638de9fab85c1f256b90e2424a78696";
}
