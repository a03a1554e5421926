package org.lsg4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * lsg4j's version, as the pom states it. The build writes it into {@code org/lsg4j/lsg4j.properties}
 * (resource filtering), so {@code lsg -V}, the server's {@code /info} and the Hub client's
 * {@code User-Agent} cannot drift from the artifacts' version.
 */
public final class Version {
    private static final String VERSION = read();

    private Version() {
    }

    /** The version of this build, for example {@code 0.1.0-SNAPSHOT}. */
    public static String version() {
        return VERSION;
    }

    private static String read() {
        try (InputStream in = Version.class.getResourceAsStream("lsg4j.properties")) {
            if (in == null) {
                throw new IllegalStateException("org/lsg4j/lsg4j.properties is missing from the classpath: lsg4j-core was not built by Maven");
            }
            Properties p = new Properties();
            p.load(in);
            String v = p.getProperty("version");
            if (v == null || v.isEmpty() || v.startsWith("${")) {
                throw new IllegalStateException("org/lsg4j/lsg4j.properties holds no version (found " + v + "): its resource filtering did not run");
            }
            return v;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
