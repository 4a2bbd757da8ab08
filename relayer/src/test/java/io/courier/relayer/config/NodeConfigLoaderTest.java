package io.courier.relayer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeConfigLoaderTest {

    static final String KEY = "4f3edf983ac636a65a842ce7c78d9aa706d3b113bce9c46f30d7d21715b23b1d";
    private static final String V1 = "0x90f8bf6a479f320ead074411a4b0e7944ea8c9c1";
    private static final String V2 = "0xffcf8fdee72ac11ab9b5d4f5f8a9e4e1f6a2b3c4";

    /**
     * A valid config of two chains (ids 1 and 2) with {@code keyFile} as validator and submitter key (other tests build
     * on it). It prices nothing, so its routes are sponsored: a route that requires payment needs prices (PaymentConfigTest).
     */
    static Config valid(Path keyFile) {
        return ConfigFactory.parseString("""
                courier {
                  payment.policy = sponsored
                  chains = [
                    { name = a, chain-id = 1, rpc-url = "http://127.0.0.1:1", gateway = "%s", finality.confirmations = 5 }
                    { name = b, chain-id = 2, rpc-url = "https://rpc.example/key", gateway = "%s" }
                  ]
                  validator { set = ["%s", "%s"], threshold = 2, key-files = ["%s"] }
                  submitter.key-file = "%s"
                }""".formatted(V1, V2, V1, V2, keyFile, keyFile));
    }

    @Test
    void loadsDefaultsAndOverrides(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfig config = new NodeConfigLoader(Map.of()).load(valid(key));
        assertThat(config.chains()).hasSize(2);
        assertThat(config.chain(1).orElseThrow().confirmations()).isEqualTo(5);
        // a chain without its own finality block waits for the node's finalized tag
        assertThat(config.chain(2).orElseThrow().finality()).isEqualTo(new io.courier.finality.FinalityPolicy.Tag("finalized", java.time.Duration.ZERO));
        assertThat(config.chain(2).orElseThrow().pollInterval().toMillis()).isEqualTo(1000);
        assertThat(config.validator().threshold()).isEqualTo(2);
        assertThat(config.validator().keys()).hasSize(1);
        assertThat(config.submitter().key()).isPresent();
        assertThat(config.api().port()).isEqualTo(8080);
        assertThat(config.api().cassandra()).isEqualTo(new NodeConfig.ApiCassandraSettings(32, 256, java.time.Duration.ofSeconds(5)));
        assertThat(config.api().maxAddressRows()).isEqualTo(500);
        assertThat(config.cassandra().protocol()).as("V4 unless set").isEqualTo(NodeConfig.CqlProtocol.V4);
    }

    @Test
    void theCqlProtocolIsV4OrV5AndAnythingElseIsRefusedByName(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        Config v5 = ConfigFactory.parseString("courier.cassandra.protocol-version = v5").withFallback(valid(key));
        assertThat(new NodeConfigLoader(Map.of()).load(v5).cassandra().protocol()).isEqualTo(NodeConfig.CqlProtocol.V5);
        Config v3 = ConfigFactory.parseString("courier.cassandra.protocol-version = V3").withFallback(valid(key));
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(v3)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("courier.cassandra.protocol-version").hasMessageContaining("[V4, V5]");
    }

    @Test
    void aChainsOwnFinalityReplacesTheDefaultAsAWhole(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfig config = new NodeConfigLoader(Map.of()).load(valid(key));
        // chain a sets confirmations: the default's tag must not leak into it (merged, the tag would win)
        assertThat(config.chain(1).orElseThrow().finality()).isEqualTo(new io.courier.finality.FinalityPolicy.Confirmations(5));
        Config both = ConfigFactory.parseString("courier.chain-defaults.finality { confirmations = 3, tag = safe }")
                .withFallback(valid(key));
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(both))
                .isInstanceOf(ConfigException.class).hasMessageContaining("either confirmations or tag");
    }

    @Test
    void feesArePerChainInWeiWithTheDefaultsKeyByKey(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfig config = new NodeConfigLoader(Map.of()).load(ConfigFactory.parseString(
                "courier.chain-defaults.fees { max-fee-per-gas-gwei = 2.5, max-priority-fee-per-gas-gwei = 1, mode = legacy }").withFallback(valid(key)));
        io.courier.fees.FeeSettings fees = config.chain(1).orElseThrow().fees();
        assertThat(fees.maxFeePerGas()).isEqualTo(java.math.BigInteger.valueOf(2_500_000_000L));
        assertThat(fees.mode()).isEqualTo(io.courier.fees.FeeMode.LEGACY);
        assertThat(fees.maxPriorityFeePerGas()).isEqualTo(java.math.BigInteger.valueOf(1_000_000_000L));
        assertThat(fees.minPriorityFeePerGas()).as("the default's other keys stay").isEqualTo(java.math.BigInteger.valueOf(1_000_000L));
        assertThat(fees.maxBumps()).isEqualTo(5);
    }

    @Test
    void anUnknownKeyIsRefusedNamingItAndTheKeyItResembles(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfigLoader loader = new NodeConfigLoader(Map.of());
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.submitter.max-gas-limt = 2000000").withFallback(valid(key))))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("courier.submitter.max-gas-limt").hasMessageContaining("did you mean 'max-gas-limit'");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chain-defaults.fees.max-fee-per-gass-gwei = 1").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chain-defaults.fees.max-fee-per-gass-gwei");
        // a removed key is refused too, rather than silently ignored
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.submitter.base-fee-multiplier = 2").withFallback(valid(key))))
                .hasMessageStartingWith("courier.submitter.base-fee-multiplier");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.routes = [{ from = 1, to = 2, slaa = 5m }]").withFallback(valid(key))))
                .hasMessageStartingWith("courier.routes[0].slaa").hasMessageContaining("did you mean 'sla'");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.nonsense = 1").withFallback(valid(key))))
                .hasMessageStartingWith("courier.nonsense").hasMessageContaining("unknown key");
    }

    @Test
    void aTypoInTheTopLevelKeyOrAChainsOwnKeyIsRefusedWithTheKeyItResembles(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfigLoader loader = new NodeConfigLoader(Map.of());
        // the whole file would be ignored: courier { ... } is all the node reads
        Path typo = Files.writeString(dir.resolve("typo.conf"), valid(key).root().render().replaceFirst("\"courier\"", "\"courrier\""));
        assertThatThrownBy(() -> loader.load(typo)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith("courrier: unknown top-level key").hasMessageContaining("did you mean 'courier'");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString(
                "courier.chains = [{ name = a, chain-id = 1, rpc-ur = \"http://x\", gateway = \"" + V1 + "\" }]").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chains[0].rpc-ur").hasMessageContaining("did you mean 'rpc-url'");
    }

    @Test
    void everyRpcEndpointMustBeAWellFormedUrlWithAHost(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfigLoader loader = new NodeConfigLoader(Map.of());
        for (String[] bad : new String[][] {
                {"http:///v3/secretkey", "has no host"},
                {"http://", "not a well-formed URL"},
                {"https://rpc example.com/v3/secretkey", "not a well-formed URL"},
                {"https://rpc.example.com:99999/v3/secretkey", "not a TCP port"},
                {"https://rpc.example.com/v3/secretkey#x", "#fragment"}}) {
            Config c = ConfigFactory.parseString("courier.chains = [{ name = a, chain-id = 1, rpc-urls = [\"http://127.0.0.1:1\", \""
                    + bad[0] + "\"], gateway = \"" + V1 + "\" }]").withFallback(valid(key));
            assertThatThrownBy(() -> loader.load(c)).as(bad[0]).isInstanceOf(ConfigException.class)
                    .hasMessageStartingWith("courier.chains[0].rpc-urls[1]").hasMessageContaining(bad[1])
                    .hasMessageNotContaining("secretkey");
        }
    }

    @Test
    void aSyntaxErrorNamesTheFileAndLine(@TempDir Path dir) throws Exception {
        Path broken = Files.writeString(dir.resolve("broken.conf"), "courier {\n  api {\n    port = 80\n  }\n  node.name = \"x\n}\n");
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(broken)).isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(broken + ", line 5: HOCON syntax error: ");
    }

    @Test
    void corsAndRequestLimitsAreReadAndChecked(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfigLoader loader = new NodeConfigLoader(Map.of());
        NodeConfig.ApiHttpSettings defaults = loader.load(valid(key)).api().http();
        assertThat(defaults).isEqualTo(new NodeConfig.ApiHttpSettings(java.util.List.of(), 64 * 1024, java.time.Duration.ofSeconds(20)));
        NodeConfig.ApiHttpSettings set = loader.load(ConfigFactory.parseString("""
                courier.api { cors.allowed-origins = ["https://app.example", "http://localhost:3000"]
                              limits { max-request-bytes = 1m, request-timeout = 5s } }""").withFallback(valid(key))).api().http();
        assertThat(set).isEqualTo(new NodeConfig.ApiHttpSettings(java.util.List.of("https://app.example", "http://localhost:3000"),
                1024 * 1024, java.time.Duration.ofSeconds(5)));
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.cors.allowed-origins = [\"https://app.example/\"]")
                .withFallback(valid(key)))).hasMessageStartingWith("courier.api.cors.allowed-origins[0]");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.limits.max-request-bytes = 10")
                .withFallback(valid(key)))).hasMessageStartingWith("courier.api.limits.max-request-bytes");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.limits.request-timeout = 0s")
                .withFallback(valid(key)))).hasMessageStartingWith("courier.api.limits.request-timeout");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.cors.allowed-origin = []")
                .withFallback(valid(key)))).hasMessageContaining("did you mean 'allowed-origins'");
    }

    @Test
    void aChainEntryMayOverrideAnyDefaultAndNothingElse(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfigLoader loader = new NodeConfigLoader(Map.of());
        Config base = valid(key);
        @SuppressWarnings("unchecked")
        java.util.List<java.util.Map<String, Object>> chains = (java.util.List<java.util.Map<String, Object>>)
                (java.util.List<?>) base.getList("courier.chains").unwrapped();
        java.util.List<java.util.Map<String, Object>> withFees = new java.util.ArrayList<>();
        for (java.util.Map<String, Object> c : chains) {
            java.util.Map<String, Object> copy = new java.util.LinkedHashMap<>(c);
            copy.put("fees", Map.of("max-fee-per-gas-gwei", 70));
            copy.put("poll-interval", "2s");
            withFees.add(copy);
        }
        NodeConfig ok = loader.load(ConfigFactory.parseMap(Map.of("courier.chains", withFees)).withFallback(base));
        assertThat(ok.chain(1).orElseThrow().fees().maxFeePerGas()).isEqualTo(java.math.BigInteger.valueOf(70_000_000_000L));
        withFees.get(0).put("gatway", "0x00");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseMap(Map.of("courier.chains", withFees)).withFallback(base)))
                .hasMessageStartingWith("courier.chains[0].gatway");
    }

    @Test
    void configAddressesAreCheckedWithEip55(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        String checksummed = "0x90F8bf6A479f320ead074411a4B0e7944Ea8c9C1"; // V1 in EIP-55 form: accepted, stored lower case
        NodeConfig ok = new NodeConfigLoader(Map.of()).load(ConfigFactory.parseString(
                "courier.validator.set = [\"%s\", \"%s\"]".formatted(checksummed, V2)).withFallback(valid(key)));
        assertThat(ok.validator().set()).contains(V1);
        String mistyped = "0x90F8bf6A479f320ead074411a4B0e7944Ea8c9c1"; // last letter's case flipped: checksum fails
        Config bad = ConfigFactory.parseString("courier.validator.set = [\"%s\", \"%s\"]".formatted(mistyped, V2))
                .withFallback(valid(key));
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("courier.validator.set")
                .hasMessageContaining("EIP-55");
    }

    @Test
    void aNodeHoldingThresholdManyValidatorKeysIsRefusedOutsideADemo(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY); // the key of V1
        Config alone = ConfigFactory.parseString("courier.validator.threshold = 1").withFallback(valid(key));
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(alone))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("courier.validator.key-files")
                .hasMessageContaining("holds 1 keys of the validator set")
                .hasMessageNotContaining(KEY);
        NodeConfig demo = new NodeConfigLoader(Map.of()).load(
                ConfigFactory.parseString("courier.validator.unsafe-allow-threshold-keys = true").withFallback(alone));
        assertThat(demo.validator().keys()).hasSize(1);
        // below the threshold is the normal case: one key of a 2-of-2 set
        assertThat(new NodeConfigLoader(Map.of()).load(valid(key)).validator().keys()).hasSize(1);
    }

    @Test
    void secretsNeverAppearInToStringOrErrors(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfig config = new NodeConfigLoader(Map.of()).load(valid(key));
        assertThat(config.toString()).doesNotContain(KEY);
        Path bad = Files.writeString(dir.resolve("bad"), KEY.substring(0, 60) + "zzzz");
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(valid(bad)))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("courier.validator.key-files[0]")
                .hasMessageNotContaining(KEY.substring(0, 60));
    }

    @Test
    void validatorKeysFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfig config = new NodeConfigLoader(Map.of("COURIER_VALIDATOR_KEYS", KEY + ",0x" + KEY)).load(valid(key));
        assertThat(config.validator().keys()).hasSize(3);
    }

    @Test
    void errorsNameTheirPath(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        NodeConfigLoader loader = new NodeConfigLoader(Map.of());
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chains.0.chain-id = -1").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chains");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.validator.threshold = 3").withFallback(valid(key))))
                .hasMessageStartingWith("courier.validator.threshold").hasMessageContaining("exceeds");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.port = 70000").withFallback(valid(key))))
                .hasMessageStartingWith("courier.api.port");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.cassandra.max-requests-queued = 0").withFallback(valid(key))))
                .hasMessageStartingWith("courier.api.cassandra.max-requests-queued");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.cassandra { max-requests-in-flight = 8, max-requests-queued = 100 }").withFallback(valid(key))))
                .hasMessageStartingWith("courier.api.cassandra.max-requests-queued").hasMessageContaining("at least 128");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.api.address-pages.max-rows-examined = 0").withFallback(valid(key))))
                .hasMessageStartingWith("courier.api.address-pages.max-rows-examined");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chains = []").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chains");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chain-defaults.fees.reward-percentile = 101").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chains[0].fees").hasMessageContaining("rewardPercentile");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chain-defaults.fees.mode = cheap").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chains[0].fees.mode");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chain-defaults.fees.min-raise-percent = 5").withFallback(valid(key))))
                .hasMessageStartingWith("courier.chains[0].fees").hasMessageContaining("minRaisePercent");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.cassandra.keyspace = \"Bad-Name\"").withFallback(valid(key))))
                .hasMessageStartingWith("courier.cassandra.keyspace");
        assertThatThrownBy(() -> loader.load(ConfigFactory.parseString("courier.chain-defaults.poll-interval = 0s").withFallback(valid(key))))
                .hasMessageContaining("poll-interval");
    }

    @Test
    void duplicateChainIdsAreRefused(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), KEY);
        Config dup = ConfigFactory.parseString("""
                courier.chains = [
                  { name = a, chain-id = 1, rpc-url = "http://x", gateway = "%s" }
                  { name = b, chain-id = 1, rpc-url = "http://y", gateway = "%s" }
                ]""".formatted(V1, V2)).withFallback(valid(key));
        assertThatThrownBy(() -> new NodeConfigLoader(Map.of()).load(dup))
                .hasMessage("courier.chains[1].chain-id: chain id 1 is configured twice");
    }

    @Test
    void missingFileIsAClearError() {
        assertThatThrownBy(() -> NodeConfigLoader.fromEnvironment().load(Path.of("/nonexistent/node.conf")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("config file not found");
    }
}
