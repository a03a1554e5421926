package org.lsg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What {@code lsg} itself answers: the version, the one-line errors of the command line. */
class MainCommandTest {
    @Test
    void versionIsThePoms() {
        CliRun r = CliRun.run("-V");
        assertEquals(0, r.exit(), r.err());
        assertEquals("lsg4j " + System.getProperty("lsg.pom.version") + "\n", r.out());
    }
}
