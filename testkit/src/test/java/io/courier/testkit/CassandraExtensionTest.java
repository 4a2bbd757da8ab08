package io.courier.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Keyspace names from class names: readable, valid CQL, at most 48 characters, distinct when cut. */
class CassandraExtensionTest {

    @Test
    void snakeCasesSimpleAndNestedNames() {
        assertThat(CassandraExtension.keyspaceName(CassandraExtensionTest.class)).isEqualTo("cassandra_extension_test");
        assertThat(CassandraExtension.keyspaceName(Nested.class)).isEqualTo("cassandra_extension_test_nested");
        assertThat(CassandraExtension.snakeCase("HTTPServerIT")).isEqualTo("http_server_it");
        assertThat(CassandraExtension.snakeCase("Erc20BridgeV2IT")).isEqualTo("erc20_bridge_v2_it");
        assertThat(CassandraExtension.snakeCase("Outer$1")).isEqualTo("outer_1");
    }

    @Test
    void longNamesAreCutAndKeepAHashOfTheFullName() {
        String longName = "AVeryLongIntegrationTestNameAboutFinalityTrackingAcrossManyChainsIT";
        String a = CassandraExtension.keyspaceName(longName, "io.courier.a." + longName);
        String b = CassandraExtension.keyspaceName(longName, "io.courier.b." + longName);

        assertThat(a).hasSizeLessThanOrEqualTo(LocalCassandra.MAX_KEYSPACE_LENGTH).startsWith("a_very_long_integration_test");
        assertThat(a).matches("[a-z][a-z0-9_]*_[0-9a-f]{8}").isNotEqualTo(b);
    }

    @Test
    void sameSimpleNameInAnotherPackageGetsAHashedName() {
        String unique = CassandraExtension.uniqueKeyspaceName(CassandraExtensionTest.class);
        assertThat(unique).matches("cassandra_extension_test_[0-9a-f]{8}");
    }

    static class Nested {}
}
