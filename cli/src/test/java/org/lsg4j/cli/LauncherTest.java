package org.lsg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code ./lsg} launcher and {@code .ci/jdk.sh}: an installed JDK 25 is found where users keep one,
 * and without one the launcher says how to install it and installs nothing.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path JDK = Path.of(System.getProperty("java.home"));

    @TempDir
    Path tmp;

    private record Run(int exit, String out, String err) {
    }

    private Run bash(Map<String, String> env, String... args) throws IOException, InterruptedException {
        String[] command = new String[args.length + 1];
        command[0] = "/bin/bash";
        System.arraycopy(args, 0, command, 1, args.length);
        ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile());
        pb.environment().clear();
        pb.environment().put("HOME", tmp.toString());
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        int exit = pb.start().waitFor();
        return new Run(exit, Files.readString(tmp.resolve("out")), Files.readString(tmp.resolve("err")));
    }

    /** A folder for the PATH holding a fake apt-get and sudo that leave a mark when called. */
    private Path trapBin() throws IOException {
        Path bin = Files.createDirectories(tmp.resolve("bin"));
        for (String tool : new String[] {"apt-get", "sudo"}) {
            Path p = bin.resolve(tool);
            Files.writeString(p, "#!/bin/sh\necho called >> " + tmp.resolve("installed") + "\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return bin;
    }

    @Test
    void withoutAJdk25TheLauncherSaysHowToInstallOneAndInstallsNothing() throws Exception {
        Path bin = trapBin();
        Run r = bash(Map.of("PATH", bin + ":/usr/bin:/bin", "JAVA_HOME", "/nonexistent-jdk",
                "LSG_JVM_ROOT", tmp.resolve("no-jvms").toString()), "./lsg", "-V");
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("no JDK 25 found"), r.err());
        assertTrue(r.err().contains("apt-get install temurin-25-jdk"), r.err());
        assertTrue(r.err().contains("JAVA_HOME"), r.err());
        assertEquals("", r.out());
        assertFalse(Files.exists(tmp.resolve("installed")), "the launcher ran apt-get or sudo");
    }

    @Test
    void findsTheJdk25OfTheJavaOnThePath() throws Exception {
        Path bin = trapBin();
        Files.createSymbolicLink(bin.resolve("java"), JDK.resolve("bin/java"));
        Run r = bash(Map.of("PATH", bin + ":/usr/bin:/bin", "LSG_JVM_ROOT", tmp.resolve("no-jvms").toString()),
                "-c", "source .ci/jdk.sh && lsg_use_jdk25 && echo \"$JAVA_HOME\"");
        assertEquals(0, r.exit(), r.err());
        assertEquals(JDK.toRealPath() + "\n", r.out());
    }

    @Test
    void findsAJdk25UnderTheJvmFolder() throws Exception {
        Path jvms = Files.createDirectories(tmp.resolve("jvm"));
        Files.createSymbolicLink(jvms.resolve("some-jdk-25"), JDK);
        Run r = bash(Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", "/nonexistent-jdk", "LSG_JVM_ROOT", jvms.toString()),
                "-c", "source .ci/jdk.sh && lsg_use_jdk25 && echo \"$JAVA_HOME\"");
        assertEquals(0, r.exit(), r.err());
        assertEquals(jvms.resolve("some-jdk-25") + "\n", r.out());
    }

    /**
     * The launcher on a stand-in jar (built here; a copy of ./lsg and .ci/jdk.sh beside it, no sources, so
     * nothing is built): the JVM's incubator warning is filtered out of stderr and nothing else is, the
     * Vector API is there, the exit code comes through, and Java is told whether stderr is a terminal.
     */
    @Test
    void launcherDropsTheIncubatorWarningOnlyAndKeepsTheExitCode() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("checkout"));
        Files.createDirectories(root.resolve(".ci"));
        Files.copy(ROOT.resolve("lsg"), root.resolve("lsg"));
        Files.copy(ROOT.resolve(".ci/jdk.sh"), root.resolve(".ci/jdk.sh"));
        Path src = Files.createDirectories(tmp.resolve("src")).resolve("Stand.java");
        Files.writeString(src, """
                public class Stand {
                    public static void main(String[] args) {
                        System.out.println("out " + String.join(",", args));
                        System.err.println("err line");
                        System.err.println("terminal=" + System.getProperty("lsg.stderr.terminal"));
                        System.err.println("lanes=" + jdk.incubator.vector.FloatVector.SPECIES_128.length());
                        System.exit(7);
                    }
                }
                """);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, "--add-modules", "jdk.incubator.vector", "-d", classes.toString(), src.toString()));
        java.util.jar.Manifest manifest = new java.util.jar.Manifest();
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MANIFEST_VERSION, "1.0");
        manifest.getMainAttributes().put(java.util.jar.Attributes.Name.MAIN_CLASS, "Stand");
        Path jar = Files.createDirectories(root.resolve("cli/target")).resolve("lsg.jar");
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar), manifest)) {
            out.putNextEntry(new java.util.jar.JarEntry("Stand.class"));
            out.write(Files.readAllBytes(classes.resolve("Stand.class")));
            out.closeEntry();
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/bash", root.resolve("lsg").toString(), "a", "b c");
        pb.environment().put("JAVA_HOME", JDK.toString());
        pb.environment().put("LSG4J_HOME", tmp.resolve("lsg4j-home").toString());   // its AOT cache: the first run records
        pb.redirectOutput(tmp.resolve("out").toFile()).redirectError(tmp.resolve("err").toFile());
        int exit = pb.start().waitFor();
        assertEquals(7, exit);
        assertEquals("out a,b c\n", Files.readString(tmp.resolve("out")));
        assertEquals("err line\nterminal=false\nlanes=4\n", Files.readString(tmp.resolve("err")));
    }

    @Test
    void ciRefusesToRunWithoutTheSharedFixtures() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("checkout/.ci")).getParent();
        Files.copy(ROOT.resolve(".ci/run"), root.resolve(".ci/run"));
        Files.copy(ROOT.resolve(".ci/jdk.sh"), root.resolve(".ci/jdk.sh"));
        Path bin = trapBin();
        Run r = bash(Map.of("PATH", bin + ":/usr/bin:/bin", "JAVA_HOME", JDK.toString()), root.resolve(".ci/run").toString());
        assertEquals(1, r.exit(), r.err());
        assertTrue(r.err().contains("../shared/fixtures is missing"), r.err());
        assertFalse(Files.exists(tmp.resolve("installed")), "nothing is installed before the check");
    }

    @Test
    void javaHomeComesFirst() throws Exception {
        Run r = bash(Map.of("PATH", "/usr/bin:/bin", "JAVA_HOME", JDK.toString()),
                "-c", "source .ci/jdk.sh && lsg_use_jdk25 && echo \"$JAVA_HOME\" && command -v java");
        assertEquals(0, r.exit(), r.err());
        assertEquals(JDK + "\n" + JDK.resolve("bin/java") + "\n", r.out());
    }
}
