package io.courier.relayer.submit;

import io.courier.chain.message.Address;
import java.time.Instant;
import org.web3j.crypto.Credentials;

/** The destination chain, gateway and signer the pure signing tests sign with (a fixed key: no chain is involved). */
final class SigningFixtures {

    static final long CHAIN = 1002;
    static final Address GATEWAY = Address.fromHex("0x" + "66".repeat(20));
    static final ChainSigner ACCOUNT = new ChainSigner(CHAIN,
            Credentials.create("0x" + "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d"));
    static final Instant AT = Instant.parse("2026-12-05T00:00:00Z");

    private SigningFixtures() {}
}
