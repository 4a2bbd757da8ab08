package io.courier.relayer.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.typesafe.config.ConfigFactory;
import io.courier.chain.message.Address;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code courier.oracle.updater}: off by default; enabled, a key of its own, a contract per chain; errors name the key. */
class UpdaterConfigTest {

    /** Ganache's account 7: neither a validator of {@link NodeConfigLoaderTest#valid} nor its submitter. */
    private static final String UPDATER_KEY = "0x6370fd033278c143179d81c5526140625662b8daa446c22ee2d73db3707e620c";
    private static final String ORACLE = "0x5fbdb2315678afecb367f032d93f642f64180aa3";
    private static final String ENABLED = """
            courier.oracle.updater { enabled = true, deviation = 0.02, heartbeat = 10m,
              gas-oracles = [ { chain-id = 1, address = "%s" } ] }""".formatted(ORACLE);

    private static NodeConfig load(String updater, Path validatorKey, Map<String, String> env) {
        return new NodeConfigLoader(env).load(ConfigFactory.parseString(updater).withFallback(NodeConfigLoaderTest.valid(validatorKey)));
    }

    @Test
    void offByDefault(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY);
        assertThat(load("", key, Map.of()).oracle().updater().enabled()).isFalse();
    }

    @Test
    void enabledWithItsOwnKeyFromTheEnvironment(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY);
        OracleSettings.UpdaterSettings u = load(ENABLED, key, Map.of("COURIER_ORACLE_UPDATER_KEY", UPDATER_KEY)).oracle().updater();

        assertThat(u.enabled()).isTrue();
        assertThat(u.gasOracles()).isEqualTo(Map.of(1L, Address.fromHex(ORACLE)));
        assertThat(u.policy().deviation()).isEqualByComparingTo(new BigDecimal("0.02"));
        assertThat(u.policy().heartbeat()).isEqualTo(Duration.ofMinutes(10));
        assertThat(u.interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(u.toString()).doesNotContain(UPDATER_KEY.substring(2)); // the secret is never printed
    }

    @Test
    void refusesAValidatorsOrTheSubmittersKeyAndMistakesNamingTheKey(@TempDir Path dir) throws Exception {
        Path key = Files.writeString(dir.resolve("k"), NodeConfigLoaderTest.KEY);
        Map<String, String> own = Map.of("COURIER_ORACLE_UPDATER_KEY", UPDATER_KEY);
        // the validator key this node holds (also its submitter's, in the base config)
        assertThatThrownBy(() -> load(ENABLED, key, Map.of("COURIER_ORACLE_UPDATER_KEY", NodeConfigLoaderTest.KEY)))
                .isInstanceOf(ConfigException.class).hasMessageContaining("COURIER_ORACLE_UPDATER_KEY")
                .hasMessageContaining("validator key").hasMessageNotContaining(NodeConfigLoaderTest.KEY);
        // a key of the validator set this node does not hold: still a validator's
        assertThatThrownBy(() -> load(ENABLED + "\ncourier.validator.key-files = []\ncourier.validator.set = [\""
                + Address.of(org.web3j.crypto.Credentials.create(UPDATER_KEY).getEcKeyPair()).toHex()
                + "\", \"0xffcf8fdee72ac11ab9b5d4f5f8a9e4e1f6a2b3c4\"]", key, own))
                .isInstanceOf(ConfigException.class).hasMessageContaining("validator key");
        // the submitter's key, when it is no validator's
        Path submitter = Files.writeString(dir.resolve("s"), UPDATER_KEY);
        assertThatThrownBy(() -> load(ENABLED + "\ncourier.submitter.key-file = \"" + submitter + "\"", key, own))
                .isInstanceOf(ConfigException.class).hasMessageContaining("submitter");

        record Case(String config, Map<String, String> env, String key, String message) {}
        for (Case c : new Case[] {
                new Case(ENABLED, Map.of(), "courier.oracle.updater.key-file", "no key"),
                new Case(ENABLED.replace("chain-id = 1", "chain-id = 9"), own, "courier.oracle.updater.gas-oracles[0].chain-id", "not one of"),
                new Case(ENABLED.replace("chain-id = 1,", "chain-id = 1, adress = \"x\","), own, "courier.oracle.updater.gas-oracles[0].adress", "unknown key"),
                new Case(ENABLED.replace("gas-oracles = [ { chain-id = 1, address = \"" + ORACLE + "\" } ]", "gas-oracles = []"), own,
                        "courier.oracle.updater.gas-oracles", "no chain"),
                new Case(ENABLED.replace("deviation = 0.02", "deviation = 0"), own, "courier.oracle.updater.deviation", "positive"),
                new Case(ENABLED + "\ncourier.oracle.margin = 1.5", own, "courier.oracle.margin", "at most 1"),
                new Case(ENABLED.replace("enabled = true", "enabled = true, hartbeat = 1m"), own, "courier.oracle.updater.hartbeat", "heartbeat")}) {
            assertThatThrownBy(() -> load(c.config(), key, c.env())).as(c.config())
                    .isInstanceOf(ConfigException.class).hasMessageContaining(c.key()).hasMessageContaining(c.message());
        }
    }
}
