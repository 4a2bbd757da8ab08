package io.courier.oracle;

/**
 * The asset name under which a chain's gas price (wei per gas) is aggregated: one source per RPC endpoint of the
 * chain, so one endpoint cannot set what a message to that chain costs.
 */
public final class GasAsset {

    private static final String PREFIX = "gas:";

    private GasAsset() {}

    public static String of(long chainId) {
        return PREFIX + chainId;
    }

    public static boolean isGas(String asset) {
        return asset.startsWith(PREFIX);
    }
}
