package org.lsg4j.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.hub.HubEnvironment;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@code --model org/name}: a model read from a Hugging Face cache laid out as Python leaves it, offline. */
class HubModelCommandTest {
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    /** Copies a fixture folder into {@code models--org--name} with refs/main, blobs and relative snapshot symlinks. */
    private static void pythonCache(Path cache, String repoId, Path folder) throws IOException {
        Path repo = cache.resolve("models--" + repoId.replace("/", "--"));
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        Path blobs = Files.createDirectories(repo.resolve("blobs"));
        try (var files = Files.list(folder)) {
            for (Path f : files.filter(p -> !p.getFileName().toString().equals("pipeline_cases.jsonl")).toList()) {
                Path blob = blobs.resolve("blob-" + f.getFileName());
                Files.copy(f, blob);
                Files.createSymbolicLink(snapshot.resolve(f.getFileName()), snapshot.relativize(blob));
            }
        }
    }

    private static CliContext offline(Path cache) {
        HubEnvironment env = HubEnvironment.of(Map.of("HF_HUB_CACHE", cache.toString()), cache.resolve("home"));
        return new CliContext(env, new ByteArrayInputStream(new byte[0]), false, CliRun.TEST_CACHE);
    }

    @Test
    void fillMaskWithAHubIdFromThePythonCache(@TempDir Path cache) throws IOException {
        pythonCache(cache, "tiny-org/lsg-mlm", CliRun.PIPELINES.resolve("mlm-norm-b16"));
        CliRun r = CliRun.withContext(offline(cache), "fill-mask", "--model", "tiny-org/lsg-mlm", "--offline",
                "--top-k", "1", "Paris is the <mask> of France.").expectExit(0);
        assertEquals(8598, r.json().get(0).get(0).get("token").asInt());

        CliRun pinned = CliRun.withContext(offline(cache), "fill-mask", "--model", "tiny-org/lsg-mlm@" + COMMIT,
                "--offline", "--top-k", "1", "Paris is the <mask> of France.").expectExit(0);
        assertEquals(r.out(), pinned.out());
    }

    @Test
    void unknownIdSaysWhichCacheFolderWasSearched(@TempDir Path cache) {
        CliRun.withContext(offline(cache), "classify", "--model", "tiny-org/missing", "--offline", "text")
                .expectExit(Main.EXIT_BAD_INPUT)
                .errContains("Offline mode is on")
                .errContains(cache.toString())
                .errContains("models--tiny-org--missing");
    }
}
