package org.lsg4j.hub;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

class HubCacheTest {
    private static final String ID = "org/model";
    private static final String MAIN = "1111111111111111111111111111111111111111";
    private static final String OLD = "2222222222222222222222222222222222222222";

    @TempDir
    Path dir;

    @Test
    void branchResolvesThroughRefs() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN);
        HubCache cache = new HubCache(dir);
        ModelRef ref = ModelRef.parse(ID);

        assertEquals(Optional.of(MAIN), cache.commit(ref));
        Path config = cache.file(ref, MAIN, "config.json").orElseThrow();
        assertEquals(dir.resolve("models--org--model/snapshots").resolve(MAIN).resolve("config.json"), config);
        assertEquals(TinyRepo.CONFIG, Files.readString(config));
    }

    @Test
    void commitRevisionNeedsNoRef() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN).model(OLD);
        HubCache cache = new HubCache(dir);

        assertEquals(Optional.of(OLD), cache.commit(ModelRef.parse(ID + "@" + OLD)));
        assertEquals("weights of " + OLD,
                Files.readString(cache.file(ModelRef.parse(ID), OLD, "model.safetensors").orElseThrow()));
    }

    @Test
    void unknownBranchHasNoCommit() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN);
        assertEquals(Optional.empty(), new HubCache(dir).commit(ModelRef.parse(ID + "@dev")));
        assertEquals(Optional.empty(), new HubCache(dir).commit(ModelRef.parse("org/other")));
    }

    @Test
    void revisionWithSlashesIsANestedRefPath() throws IOException {
        new PythonCache(dir, ID).ref("refs/pr/3", OLD);
        HubCache cache = new HubCache(dir);
        ModelRef ref = ModelRef.parse(ID + "@refs/pr/3");

        assertEquals(dir.resolve("models--org--model/refs/refs/pr/3"), cache.refFile(ref));
        assertEquals(Optional.of(OLD), cache.commit(ref));
    }

    @Test
    void refWithTrailingNewlineIsAccepted() throws IOException {
        Path ref = Files.createDirectories(dir.resolve("models--org--model/refs")).resolve("main");
        Files.writeString(ref, MAIN + "\n");
        assertEquals(Optional.of(MAIN), new HubCache(dir).commit(ModelRef.parse(ID)));
    }

    @Test
    void snapshotsWithRealFilesAreReadToo() throws IOException {
        Path file = dir.resolve("models--org--model/snapshots").resolve(MAIN).resolve("config.json");
        Files.createDirectories(file.getParent());
        Files.writeString(file, TinyRepo.CONFIG);
        new PythonCache(dir, ID).ref("main", MAIN);

        assertEquals(Optional.of(file), new HubCache(dir).file(ModelRef.parse(ID), MAIN, "config.json"));
    }

    @Test
    void danglingLinkCountsAsAbsent() throws IOException {
        PythonCache python = new PythonCache(dir, ID).ref("main", MAIN).model(MAIN);
        try (var blobs = Files.list(python.repoFolder().resolve("blobs"))) {
            for (Path blob : blobs.toList()) {
                Files.delete(blob);
            }
        }
        assertEquals(Optional.empty(), new HubCache(dir).file(ModelRef.parse(ID), MAIN, "config.json"));
    }

    @Test
    void noExistMarkersAreRead() throws IOException {
        new PythonCache(dir, ID).ref("main", MAIN).model(MAIN).noExist(MAIN, "tokenizer.json");
        HubCache cache = new HubCache(dir);
        ModelRef ref = ModelRef.parse(ID);

        assertTrue(cache.knownMissing(ref, MAIN, "tokenizer.json"));
        assertFalse(cache.knownMissing(ref, MAIN, "merges.txt"));
    }

    @Test
    void writtenRefsAndLinksMatchPython() throws IOException {
        HubCache cache = new HubCache(dir);
        ModelRef ref = ModelRef.parse(ID + "@v2");
        cache.writeRef(ref, MAIN);
        Path blob = cache.blob(ref, "abc123");
        Files.createDirectories(blob.getParent());
        Files.writeString(blob, "x");

        Path top = cache.link(ref, MAIN, "config.json", "abc123", true);
        Path nested = cache.link(ref, MAIN, "sub/dir/config.json", "abc123", false);

        assertEquals(MAIN, Files.readString(dir.resolve("models--org--model/refs/v2")));
        assertEquals(Path.of("../../blobs/abc123"), Files.readSymbolicLink(top));
        assertEquals(Path.of("../../../../blobs/abc123"), Files.readSymbolicLink(nested));
        assertEquals("x", Files.readString(nested));
        assertEquals(dir.resolve("models--org--model/blobs/abc123.incomplete"), cache.incomplete(ref, "abc123"));
        assertEquals(dir.resolve(".locks/models--org--model/abc123.lock"), cache.lockFile(ref, "abc123"));
    }

    @Test
    void commitRevisionWritesNoRef() {
        HubCache cache = new HubCache(dir);
        cache.writeRef(ModelRef.parse(ID + "@" + MAIN), MAIN);
        assertFalse(Files.exists(dir.resolve("models--org--model/refs")));
    }

    @Test
    void markMissingWritesAnEmptyMarker() throws IOException {
        HubCache cache = new HubCache(dir);
        cache.markMissing(ModelRef.parse(ID), MAIN, "special_tokens_map.json");
        cache.markMissing(ModelRef.parse(ID), MAIN, "special_tokens_map.json");
        Path marker = dir.resolve("models--org--model/.no_exist").resolve(MAIN).resolve("special_tokens_map.json");
        assertEquals(0, Files.size(marker));
    }

    @Test
    void namesLeavingTheCacheAreRefused() {
        HubCache cache = new HubCache(dir);
        ModelRef ref = ModelRef.parse(ID);
        assertThrows(LsgException.class, () -> cache.file(ref, MAIN, "../../../etc/passwd"));
        assertThrows(LsgException.class, () -> cache.snapshot(ref, ".."));
        assertThrows(LsgException.class, () -> cache.blob(ref, "../x"));
    }
}
