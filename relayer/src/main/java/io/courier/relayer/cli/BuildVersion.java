package io.courier.relayer.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/**
 * The version Maven filtered into {@code version.properties} at build time: one source for {@code --version},
 * the release tarball's name and the launcher, so they cannot disagree.
 */
public final class BuildVersion implements IVersionProvider {

    static final String RESOURCE = "version.properties";

    /** The project version this jar was built as, e.g. {@code 0.1.0} or {@code 0.2.0-SNAPSHOT}. */
    public static String current() {
        return read(BuildVersion.class.getResourceAsStream(RESOURCE));
    }

    static String read(InputStream in) {
        if (in == null) {
            throw new IllegalStateException(RESOURCE + " is missing next to " + BuildVersion.class.getName()
                    + ": a build that skipped resource processing");
        }
        Properties p = new Properties();
        try (in) {
            p.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + RESOURCE, e);
        }
        String version = p.getProperty("version", "").trim();
        // an unfiltered copy (an IDE that copies resources itself) still holds the placeholder
        if (version.isEmpty() || version.contains("${")) {
            throw new IllegalStateException(RESOURCE + " holds no filtered version ('" + version + "')");
        }
        return version;
    }

    @Override
    public String[] getVersion() {
        return new String[] {"courier " + current()};
    }
}
