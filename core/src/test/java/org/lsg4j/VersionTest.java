package org.lsg4j;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The version the code reports is the pom's (surefire passes {@code ${project.version}} as {@code lsg.pom.version}). */
public class VersionTest {
    /** The pom's version, as Maven gave it to the test JVM. */
    public static String pomVersion() {
        return java.util.Objects.requireNonNull(System.getProperty("lsg.pom.version"), "surefire sets lsg.pom.version");
    }

    @Test
    void versionIsThePoms() {
        assertEquals(pomVersion(), Version.version());
    }
}
