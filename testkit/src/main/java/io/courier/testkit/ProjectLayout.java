package io.courier.testkit;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the repository's local tools live (node_modules, the Cassandra distribution folder).
 * The root is {@code -Dcourier.root} (set by the Maven build and the {@code courier} launcher) or the
 * nearest folder above the working directory holding Courier's {@code package.json}.
 */
public final class ProjectLayout {

    private ProjectLayout() {}

    public static Path root() {
        String configured = System.getProperty("courier.root", System.getenv("COURIER_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("package.json")) && Files.isDirectory(dir.resolve("testkit"))) {
                return dir;
            }
        }
        throw new LocalPartException("cannot find the Courier repository root from " + Path.of("").toAbsolutePath()
                + ": set -Dcourier.root or COURIER_ROOT");
    }

    public static Path nodeModules() {
        Path modules = root().resolve("node_modules");
        if (!Files.isDirectory(modules.resolve("ganache"))) {
            throw new LocalPartException("ganache is not installed under " + modules + ": run `npm ci` in " + root());
        }
        return modules;
    }

    /** Scratch space for logs and data of local parts: {@code target/local-parts} under the root. */
    public static Path workDir() {
        return root().resolve("target").resolve("local-parts");
    }
}
