package org.lsg4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.hub.FakeHub;
import org.lsg4j.hub.HubEnvironment;
import org.lsg4j.hub.TinyRepo;

/** {@code lsg download}, against core's stand-in Hub on 127.0.0.1; and the offline miss that points to it. */
class DownloadCommandTest {
    @TempDir
    Path home;

    private FakeHub hub;
    private FakeHub.Repo repo;

    @BeforeEach
    void start() throws Exception {
        hub = new FakeHub();
        repo = TinyRepo.standard();
        hub.addRepo(TinyRepo.ID, repo);
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private CliRun lsg(boolean offline, String... args) {
        Map<String, String> env = offline
                ? Map.of("HF_HOME", home.resolve("hf").toString(), "HF_HUB_OFFLINE", "1")
                : Map.of("HF_HOME", home.resolve("hf").toString(), "HF_ENDPOINT", hub.endpoint().toString());
        CliContext context = new CliContext(HubEnvironment.of(env, home), new ByteArrayInputStream(new byte[0]), false,
                CliRun.TEST_CACHE);
        return CliRun.withContext(context, args);
    }

    @Test
    void downloadsEveryFileOnceWithALinePerFileAndPrintsTheSnapshot() throws Exception {
        CliRun r = lsg(false, "download", TinyRepo.ID);
        assertEquals(0, r.exit(), r.err());
        Path snapshot = home.resolve("hf/hub/models--lsg-test--tiny-lsg/snapshots").resolve(TinyRepo.COMMIT);
        assertEquals(snapshot + "\n", r.out());
        for (String file : new String[] {"config.json", "vocab.json", "merges.txt", "tokenizer_config.json", "model.safetensors"}) {
            assertTrue(r.err().contains("lsg: downloaded " + file + "\n"), r.err());
            assertArrayEquals(repo.files().get(file), Files.readAllBytes(snapshot.resolve(file)), file);
        }
        // a second run finds everything in the cache: no file is fetched again
        CliRun again = lsg(false, "download", TinyRepo.ID + "@main");
        assertEquals(0, again.exit(), again.err());
        assertEquals("", again.err());
        assertEquals(snapshot + "\n", again.out());
    }

    @Test
    void aCorruptFileIsRefused() {
        byte[] wrong = repo.files().get("model.safetensors").clone();
        wrong[7] ^= 1;
        hub.tamper(TinyRepo.ID, "model.safetensors", wrong);
        CliRun r = lsg(false, "download", TinyRepo.ID);
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("model.safetensors") && r.err().contains("is corrupt")
                && r.err().contains("the Hub sent " + FakeHub.etagOf(repo, "model.safetensors")), r.err());
    }

    @Test
    void offlineTheMissingModelErrorNamesTheCommandToRun() {
        CliRun r = lsg(true, "embed", "--model", TinyRepo.ID, "hello");
        assertEquals(2, r.exit());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("not in the cache") || r.err().contains("it is not there"), r.err());
        assertTrue(r.err().strip().endsWith("download it first, with the network: lsg download " + TinyRepo.ID), r.err());
        assertEquals(2, lsg(true, "download", TinyRepo.ID).exit());
        assertEquals(2, lsg(false, "download", "not an id").exit());
    }
}
