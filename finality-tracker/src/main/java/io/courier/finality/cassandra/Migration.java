package io.courier.finality.cassandra;

import java.util.List;

/**
 * One step of the schema: a version, what it does, and its CQL statements, each with {@code {ks}} where the
 * keyspace goes. Statements must be idempotent ({@code IF NOT EXISTS}, {@code ALTER ... ADD} guarded by the
 * version row): a node may stop half way and another may run the same step again. Released migrations are
 * never edited; changes come as a new version at the end of {@link CourierSchema#MIGRATIONS}.
 */
public record Migration(int version, String description, List<String> statements) {
    public Migration {
        if (version < 1) {
            throw new IllegalArgumentException("migration versions start at 1, got " + version);
        }
        if (description == null || description.isBlank()) {
            throw new IllegalArgumentException("migration " + version + " needs a description");
        }
        statements = List.copyOf(statements);
        if (statements.isEmpty()) {
            throw new IllegalArgumentException("migration " + version + " has no statements");
        }
    }

    /** The statements with {@code {ks}} replaced by {@code keyspace} (already a CQL identifier). */
    public List<String> statementsFor(String keyspaceCql) {
        return statements.stream().map(s -> s.replace("{ks}", keyspaceCql)).toList();
    }
}
