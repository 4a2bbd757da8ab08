package io.courier.chain.message;

import java.nio.charset.StandardCharsets;
import java.util.Objects;
import org.web3j.crypto.Hash;

/**
 * The EIP-712 digest validators sign for one message, exactly as {@code Gateway.attestationDigest(id)} computes
 * it on the destination:
 * <pre>
 * domain     = keccak256(abi.encode(keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
 *                                   keccak256("Courier Gateway"), keccak256("1"), dstChainId, dstGateway))
 * structHash = keccak256(abi.encode(keccak256("Attestation(bytes32 messageId)"), messageId))
 * digest     = keccak256(0x19 ‖ 0x01 ‖ domain ‖ structHash)
 * </pre>
 * The domain names the destination chain and gateway, so a signature cannot be replayed on another gateway or
 * chain (it would recover to an unrelated address there).
 */
public record AttestationDigest(Bytes32 value) {

    public static final String DOMAIN_NAME = "Courier Gateway";
    public static final String DOMAIN_VERSION = "1";
    public static final Bytes32 DOMAIN_TYPEHASH =
            keccak("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)");
    public static final Bytes32 ATTESTATION_TYPEHASH = keccak("Attestation(bytes32 messageId)");
    private static final Bytes32 NAME_HASH = keccak(DOMAIN_NAME);
    private static final Bytes32 VERSION_HASH = keccak(DOMAIN_VERSION);

    public AttestationDigest {
        Objects.requireNonNull(value, "attestation digest value");
    }

    /** The digest of {@code messageId} for the gateway {@code dstGateway} on chain {@code dstChainId}. */
    public static AttestationDigest of(MessageId messageId, long dstChainId, String dstGateway) {
        Objects.requireNonNull(messageId, "messageId");
        byte[] structPreimage = new byte[2 * Abi.WORD];
        Abi.putBytes32(structPreimage, 0, ATTESTATION_TYPEHASH);
        Abi.putBytes32(structPreimage, 1, messageId.value());
        byte[] structHash = Hash.sha3(structPreimage);

        byte[] preimage = new byte[2 + 2 * Abi.WORD];
        preimage[0] = 0x19;
        preimage[1] = 0x01;
        domainSeparator(dstChainId, dstGateway).writeTo(preimage, 2);
        System.arraycopy(structHash, 0, preimage, 2 + Abi.WORD, Abi.WORD);
        return new AttestationDigest(Bytes32.of(Hash.sha3(preimage)));
    }

    /** The digest for {@code message} on its own destination chain, signed for the gateway {@code dstGateway}. */
    public static AttestationDigest of(CrossChainMessage message, String dstGateway) {
        return of(message.id(), message.dstChainId(), dstGateway);
    }

    /** {@code Gateway.domainSeparator()} of the gateway {@code gateway} on chain {@code chainId}. */
    public static Bytes32 domainSeparator(long chainId, String gateway) {
        if (chainId <= 0) {
            throw new IllegalArgumentException("chainId must be positive, was " + chainId);
        }
        byte[] preimage = new byte[5 * Abi.WORD];
        Abi.putBytes32(preimage, 0, DOMAIN_TYPEHASH);
        Abi.putBytes32(preimage, 1, NAME_HASH);
        Abi.putBytes32(preimage, 2, VERSION_HASH);
        Abi.putUint(preimage, 3, chainId);
        Abi.putAddress(preimage, 4, EvmAddress.normalize("gateway of chain " + chainId, gateway));
        return Bytes32.of(Hash.sha3(preimage));
    }

    public byte[] bytes() {
        return value.bytes();
    }

    public String toHex() {
        return value.toHex();
    }

    @Override
    public String toString() {
        return value.toHex();
    }

    private static Bytes32 keccak(String text) {
        return Bytes32.of(Hash.sha3(text.getBytes(StandardCharsets.UTF_8)));
    }
}
