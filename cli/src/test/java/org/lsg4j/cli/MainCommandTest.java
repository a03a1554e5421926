package org.lsg4j.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.hub.HubEnvironment;
import org.lsg4j.RepoFixtures;

/**
 * What {@code lsg} answers whatever the command: the version, one-line errors for bad command lines and bad
 * values (checked before any model loads), -q, completion scripts. On core's in-repository fixture tiny-mlm.
 */
class MainCommandTest {
    static String tinyMlm() {
        return RepoFixtures.tinyMlm().toString();
    }

    private static void assertOneLineError(CliRun r, String expected) {
        assertEquals(2, r.exit(), r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().startsWith("lsg: error: "), r.err());
        assertTrue(r.err().contains(expected), r.err());
    }

    @Test
    void versionIsThePoms() {
        CliRun r = CliRun.run("-V");
        assertEquals(0, r.exit(), r.err());
        assertEquals("lsg4j " + System.getProperty("lsg.pom.version") + "\n", r.out());
    }

    @Test
    void helpFitsEightyColumnsAndBenchShowsItsDefaults() {
        CliRun top = CliRun.run("--help");
        assertEquals(0, top.exit(), top.err());
        String commands = top.out().substring(top.out().indexOf("Commands:"));
        List<String> names = commands.lines().skip(1).filter(l -> l.startsWith("  ") && !l.startsWith("   "))
                .map(l -> l.trim().split(" ")[0]).toList();
        assertTrue(names.contains("train") && names.contains("bench") && names.size() > 10, names.toString());
        for (String name : names) {
            CliRun help = CliRun.run(name, "--help");
            assertEquals(0, help.exit(), name + ": " + help.err());
            for (String line : help.out().lines().toList()) {
                assertTrue(line.length() <= 80, "lsg " + name + " --help has a line of " + line.length() + " columns: " + line);
            }
        }
        String bench = CliRun.run("bench", "--help").out();
        assertTrue(bench.contains("Default: 4096") && bench.contains("Default: distilroberta-base-4096")
                && bench.contains("Default: 5"), bench);
    }

    @Test
    void commandLineErrorsAreOneLineWithWhereToLook() {
        assertOneLineError(CliRun.run("embed", "--nope", "x"), "Unknown option: '--nope' (see: lsg embed --help)");
        assertOneLineError(CliRun.run("fill-mask", "--top-k", "many", "x"), "(see: lsg fill-mask --help)");
        assertOneLineError(CliRun.run("no-such-command"), "(see: lsg --help)");
    }

    @Test
    void badValuesAreRefusedBeforeTheModelLoads() {
        // the model does not exist: a refusal naming the option proves nothing was loaded first
        String missing = "/nonexistent-lsg-model";
        assertOneLineError(CliRun.run("fill-mask", "--model", missing, "--top-k", "0", "a <mask>"), "--top-k must be at least 1, got 0");
        assertOneLineError(CliRun.run("fill-mask", "--model", missing, "--max-length", "1", "a <mask>"), "--max-length must be at least 2");
        assertOneLineError(CliRun.run("embed", "--model", missing, "--max-length", "1", "x"), "--max-length must be at least 2");
        assertOneLineError(CliRun.run("embed", "--model", missing, "--pooling", "max", "x"), "pooling must be cls, mean or global, not 'max'");
        assertOneLineError(CliRun.run("classify", "--model", missing, "--function-to-apply", "tanh", "x"), "tanh");
        assertOneLineError(CliRun.run("embed", "--model", missing, "--batch-size", "0", "x"), "--batch-size must be at least 1");
        // and on a real model the same values give the same lines
        assertOneLineError(CliRun.run("fill-mask", "--model", tinyMlm(), "--top-k", "0", "a <mask>"), "--top-k must be at least 1, got 0");
    }

    @Test
    void embedSaysNothingOfThePoolerItNeverReads() {
        CliRun r = CliRun.run("embed", "--model", tinyMlm(), "--pooling", "mean", "Hello there");
        assertEquals(0, r.exit(), r.err());
        assertFalse(r.err().contains("pooler"), r.err());
        assertEquals(32, r.json().get(0).size());
    }

    @Test
    void quietLeavesWarningsOutButNotResultsOrErrors() {
        String[] args = {"fill-mask", "--model", tinyMlm(), "--top-k", "1", "--targets", "xyz", "Hello <mask>."};
        CliRun loud = CliRun.run(args);
        assertEquals(0, loud.exit(), loud.err());
        assertTrue(loud.err().contains("lsg: warning: "), loud.err());
        String[] quietArgs = new String[args.length + 1];
        quietArgs[0] = "-q";
        System.arraycopy(args, 0, quietArgs, 1, args.length);
        CliRun quiet = CliRun.run(quietArgs);
        assertEquals(0, quiet.exit(), quiet.err());
        assertEquals("", quiet.err());
        assertEquals(loud.out(), quiet.out());
        // after the command name too (an inherited option), and errors still show
        CliRun bad = CliRun.run("fill-mask", "-q", "--model", tinyMlm(), "--top-k", "0", "a <mask>");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().startsWith("lsg: error: --top-k"), bad.err());
    }

    @Test
    void completionScriptsKnowTheCommandsAndOptions() {
        for (String shell : new String[] {"bash", "zsh"}) {
            CliRun r = CliRun.run("completion", shell);
            assertEquals(0, r.exit(), r.err());
            assertTrue(r.out().contains("complete -F"), shell);
            assertTrue(r.out().contains("fill-mask") && r.out().contains("--top-k") && r.out().contains("--pooling"), shell);
        }
        assertEquals(2, CliRun.run("completion", "fish").exit());
    }

    @Test
    void tokenizeTakesTheTasksOptionNamesAndHubIds(@TempDir Path tmp) throws Exception {
        Path lines = Files.writeString(tmp.resolve("in.jsonl"), "{\"text\": \"Hello\"}\n");
        CliRun input = CliRun.run("tokenize", "--model", tinyMlm(), "--input", lines.toString());
        assertEquals(0, input.exit(), input.err());
        assertEquals(7, input.json().get(0).get("ids").size(), input.out());   // <s> H e l l o </s>
        assertEquals(input.out(), CliRun.run("tokenize", "--model", tinyMlm(), "--jsonl", lines.toString()).out(), "the old name");
        // a Hub id, from a Hugging Face cache (offline)
        Path cache = tmp.resolve("hub");
        Path snapshot = Files.createDirectories(cache.resolve("models--org--tiny/snapshots/0123456789abcdef0123456789abcdef01234567"));
        for (String f : new String[] {"config.json", "model.safetensors", "vocab.json", "merges.txt"}) {
            Files.copy(Path.of(tinyMlm(), f), snapshot.resolve(f));
        }
        Files.writeString(Files.createDirectories(cache.resolve("models--org--tiny/refs")).resolve("main"),
                "0123456789abcdef0123456789abcdef01234567");
        CliContext context = new CliContext(HubEnvironment.of(Map.of("HF_HUB_CACHE", cache.toString(), "HF_HUB_OFFLINE", "1"),
                tmp), new ByteArrayInputStream(new byte[0]), false, CliRun.TEST_CACHE);
        CliRun hub = CliRun.withContext(context, "tokenize", "--model", "org/tiny", "--input", lines.toString());
        assertEquals(0, hub.exit(), hub.err());
        assertEquals(input.out(), hub.out());
    }
}
