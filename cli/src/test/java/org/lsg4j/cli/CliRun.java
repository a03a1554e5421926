package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.hub.HubEnvironment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** Runs {@code lsg} in-process for the task command tests, with an offline empty Hub cache unless told otherwise. */
record CliRun(int exit, String out, String err) {
    static final ObjectMapper JSON = new ObjectMapper();
    static final Path PIPELINES = Path.of(System.getProperty("lsg.shared", "../shared")).resolve("fixtures/pipelines");
    /** lsg4j's cache for the tests: the default model is made there once per build (see the parent pom). */
    static final Path TEST_CACHE = Path.of(System.getProperty("lsg.test.cache", "target/lsg4j-test-cache"));

    static String model(String name) {
        return PIPELINES.resolve(name).toString();
    }

    static CliRun run(String... args) {
        return withStdin("", args);
    }

    static CliRun withStdin(String stdin, String... args) {
        HubEnvironment hub = HubEnvironment.of(Map.of("HF_HUB_CACHE", "/nonexistent-lsg-test-cache",
                "HF_HUB_OFFLINE", "1"), Path.of("/nonexistent-home"));
        return withContext(new CliContext(hub, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), false,
                TEST_CACHE),
                args);
    }

    static CliRun withContext(CliContext context, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(args, new PrintWriter(out), new PrintWriter(err), context);
        return new CliRun(exit, out.toString(), err.toString());
    }

    /** stdout as JSON documents, one per line. */
    List<JsonNode> json() {
        List<JsonNode> out = new ArrayList<>();
        for (String line : this.out.split("\n")) {
            if (!line.isBlank()) {
                try {
                    out.add(JSON.readTree(line));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }
        }
        return out;
    }

    CliRun expectExit(int expected) {
        if (exit != expected) {
            fail("exit " + exit + ", expected " + expected + "\nstderr:\n" + err + "\nstdout:\n"
                    + out.substring(0, Math.min(out.length(), 2000)));
        }
        return this;
    }

    CliRun errContains(String text) {
        assertTrue(err.contains(text), "stderr lacks \"" + text + "\":\n" + err);
        return this;
    }

    /** The fixture cases of a model folder as JSON objects. */
    static List<JsonNode> cases(String model) {
        try {
            List<JsonNode> out = new ArrayList<>();
            for (String line : Files.readAllLines(PIPELINES.resolve(model).resolve("pipeline_cases.jsonl"))) {
                out.add(JSON.readTree(line));
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Same structure, fields, strings and integers; floating-point numbers within {@code abs + rel * |expected|}. */
    static void assertJsonClose(JsonNode e, JsonNode a, double abs, double rel, String path) {
        if (e.isFloatingPointNumber()) {
            assertTrue(a.isNumber() && Math.abs(a.doubleValue() - e.doubleValue()) <= abs + rel * Math.abs(e.doubleValue()),
                    path + ": expected " + e + ", found " + a);
            return;
        }
        assertTrue(e.getNodeType() == a.getNodeType(), path + ": expected " + e + ", found " + a);
        if (e.isArray()) {
            assertTrue(e.size() == a.size(), path + ": expected " + e.size() + " elements, found " + a.size());
            for (int i = 0; i < e.size(); i++) {
                assertJsonClose(e.get(i), a.get(i), abs, rel, path + "[" + i + "]");
            }
        } else if (e.isObject()) {
            List<String> en = new ArrayList<>();
            List<String> an = new ArrayList<>();
            e.fieldNames().forEachRemaining(en::add);
            a.fieldNames().forEachRemaining(an::add);
            assertTrue(en.equals(an), path + ": fields " + an + ", expected " + en);
            en.forEach(f -> assertJsonClose(e.get(f), a.get(f), abs, rel, path + "." + f));
        } else {
            assertTrue(e.equals(a), path + ": expected " + e + ", found " + a);
        }
    }
}
