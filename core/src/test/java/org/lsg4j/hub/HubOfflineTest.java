package org.lsg4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

/** Offline mode: the endpoint points at a closed port, so any network use would fail the test. */
class HubOfflineTest {
    private static final String ID = "org/model";
    private static final String MAIN = "1111111111111111111111111111111111111111";
    private static final String OLD = "2222222222222222222222222222222222222222";

    @TempDir
    Path dir;

    private Hub offlineHub(String variable, String value) {
        return new Hub(HubEnvironment.of(Map.of("HF_HUB_CACHE", dir.toString(), variable, value,
                "HF_ENDPOINT", "http://127.0.0.1:9"), dir));
    }

    @Test
    void hitByBranch() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN);
        Path snapshot = offlineHub("HF_HUB_OFFLINE", "1").resolve(ID);
        assertEquals(dir.resolve("models--org--model/snapshots").resolve(MAIN), snapshot);
        assertEquals(TinyRepo.CONFIG, Files.readString(snapshot.resolve("config.json")));
    }

    @Test
    void hitByCommitAndByTransformersOffline() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN).model(OLD);
        assertEquals(dir.resolve("models--org--model/snapshots").resolve(OLD),
                offlineHub("TRANSFORMERS_OFFLINE", "yes").resolve(ID + "@" + OLD));
    }

    @Test
    void shardedSnapshotNeedsEveryShard() throws IOException {
        String index = "{\"weight_map\": {\"a\": \"s1.safetensors\", \"b\": \"s2.safetensors\"}}";
        PythonCache python = new PythonCache(dir, ID).ref("main", MAIN)
                .file(MAIN, "config.json", TinyRepo.CONFIG)
                .file(MAIN, "model.safetensors.index.json", index)
                .file(MAIN, "s1.safetensors", "one");
        LsgException e = assertThrows(LsgException.class, () -> offlineHub("HF_HUB_OFFLINE", "on").resolve(ID));
        assertTrue(e.getMessage().contains("weight shard s2.safetensors is missing"), e.getMessage());

        python.file(MAIN, "s2.safetensors", "two");
        assertEquals(dir.resolve("models--org--model/snapshots").resolve(MAIN),
                offlineHub("HF_HUB_OFFLINE", "on").resolve(ID));
    }

    @Test
    void missSaysWhereItLooked() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN);
        LsgException e = assertThrows(LsgException.class, () -> offlineHub("HF_HUB_OFFLINE", "TRUE").resolve(ID + "@dev"));
        String message = e.getMessage();
        assertTrue(message.startsWith("Offline mode is on"), message);
        assertTrue(message.contains(dir.toString()), message);
        assertTrue(message.contains("models--org--model"), message);
        assertTrue(message.contains("revision 'dev'"), message);
        assertTrue(message.contains("refs/dev"), message);
    }

    @Test
    void missForAnUnknownModelNamesTheFolder() {
        LsgException e = assertThrows(LsgException.class, () -> offlineHub("HF_HUB_OFFLINE", "1").resolve("org/absent"));
        assertTrue(e.getMessage().contains("no folder " + dir.resolve("models--org--absent")), e.getMessage());
    }

    @Test
    void missWhenTheSnapshotLacksWeights() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).file(MAIN, "config.json", TinyRepo.CONFIG);
        LsgException e = assertThrows(LsgException.class, () -> offlineHub("HF_HUB_OFFLINE", "1").resolve(ID));
        assertTrue(e.getMessage().contains("no weights"), e.getMessage());
    }

    @Test
    void singleFileMissOffline() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN);
        Hub hub = offlineHub("HF_HUB_OFFLINE", "1");
        assertTrue(hub.file(ModelRef.parse(ID), "config.json", ProgressListener.NONE).isPresent());
        LsgException e = assertThrows(LsgException.class,
                () -> hub.file(ModelRef.parse(ID), "merges.txt", ProgressListener.NONE));
        assertTrue(e.getMessage().contains("file merges.txt of org/model@main"), e.getMessage());
    }
}
