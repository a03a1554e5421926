package org.lsg4j.hub;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.LsgException;

class HubDownloadTest {
    @TempDir
    Path home;

    private FakeHub server;
    private FakeHub.Repo repo;

    @BeforeEach
    void start() throws IOException {
        server = new FakeHub();
        repo = TinyRepo.standard();
        server.addRepo(TinyRepo.ID, repo);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private Hub hub(String... extraEnv) {
        Map<String, String> env = new HashMap<>();
        env.put("HF_HOME", home.resolve("hf").toString());
        env.put("HF_ENDPOINT", server.endpoint() + "/");
        for (int i = 0; i < extraEnv.length; i += 2) {
            env.put(extraEnv[i], extraEnv[i + 1]);
        }
        return new Hub(HubEnvironment.of(env, home));
    }

    private Path repoFolder() {
        return home.resolve("hf/hub/models--lsg-test--tiny-lsg");
    }

    @Test
    void downloadWritesThePythonLayout() throws IOException {
        Path snapshot = hub().resolve(TinyRepo.ID);

        Path folder = repoFolder();
        assertEquals(folder.resolve("snapshots").resolve(TinyRepo.COMMIT), snapshot);
        assertEquals(TinyRepo.COMMIT, Files.readString(folder.resolve("refs/main")));
        for (String file : List.of("config.json", "vocab.json", "merges.txt", "tokenizer_config.json",
                "model.safetensors")) {
            Path link = snapshot.resolve(file);
            String etag = FakeHub.etagOf(repo, file);
            assertTrue(Files.isSymbolicLink(link), file);
            assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(link), file);
            assertArrayEquals(repo.files().get(file), Files.readAllBytes(folder.resolve("blobs").resolve(etag)), file);
        }
        assertFalse(Files.exists(snapshot.resolve("README.md")), "only the files a model needs are fetched");
        assertTrue(Files.isRegularFile(folder.resolve(".no_exist").resolve(TinyRepo.COMMIT).resolve("tokenizer.json")));
        assertTrue(Files.isRegularFile(
                folder.resolve(".no_exist").resolve(TinyRepo.COMMIT).resolve("special_tokens_map.json")));
        assertFalse(Files.exists(folder.resolve(".no_exist").resolve(TinyRepo.COMMIT).resolve("pytorch_model.bin")));
        try (var blobs = Files.list(folder.resolve("blobs"))) {
            assertTrue(blobs.noneMatch(p -> p.toString().endsWith(".incomplete")));
        }
    }

    @Test
    void secondResolveOnlyAsksForTheRevision() {
        Hub hub = hub();
        Path first = hub.resolve(TinyRepo.ID);
        int before = server.requests().size();

        assertEquals(first, hub.resolve(TinyRepo.ID));
        List<FakeHub.Request> after = server.requests().subList(before, server.requests().size());
        assertEquals(1, after.size());
        assertTrue(after.get(0).path().startsWith("/api/models/" + TinyRepo.ID + "/revision/main"));
    }

    @Test
    void usesFilesPythonAlreadyDownloaded() throws IOException {
        new PythonCache(home.resolve("hf/hub"), TinyRepo.ID).ref("main", TinyRepo.COMMIT)
                .file(TinyRepo.COMMIT, "config.json", TinyRepo.CONFIG);

        Path snapshot = hub().resolve(TinyRepo.ID);

        assertTrue(server.requests().stream().noneMatch(r -> r.path().endsWith("/config.json")));
        assertTrue(server.requests().stream().anyMatch(r -> r.path().endsWith("/vocab.json")));
        assertEquals(TinyRepo.CONFIG, Files.readString(snapshot.resolve("config.json")));
    }

    @Test
    void blobKnownFromAnotherSnapshotIsLinkedWithoutDownloading() throws IOException {
        Hub hub = hub();
        hub.resolve(TinyRepo.ID);
        Path snapshots = repoFolder().resolve("snapshots");
        try (var links = Files.walk(snapshots)) {
            for (Path p : links.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
        int before = server.requests().size();

        Path snapshot = hub.resolve(TinyRepo.ID);

        List<FakeHub.Request> after = server.requests().subList(before, server.requests().size());
        assertTrue(after.stream().noneMatch(r -> r.method().equals("GET") && r.path().contains("/resolve/")));
        assertTrue(after.stream().noneMatch(r -> r.server().equals("cdn")));
        assertTrue(Files.isSymbolicLink(snapshot.resolve("model.safetensors")));
        assertArrayEquals(repo.files().get("model.safetensors"), Files.readAllBytes(snapshot.resolve("model.safetensors")));
    }

    @Test
    void tagRevisionGetsItsOwnRefAndSharesTheSnapshot() throws IOException {
        Path snapshot = hub().resolve(TinyRepo.ID + "@v1");
        assertEquals(TinyRepo.COMMIT, Files.readString(repoFolder().resolve("refs/v1")));
        assertEquals(repoFolder().resolve("snapshots").resolve(TinyRepo.COMMIT), snapshot);
    }

    @Test
    void commitRevisionWritesNoRefAndIsServedFromCacheWithoutNetwork() {
        Hub hub = hub();
        Path snapshot = hub.resolve(TinyRepo.ID + "@" + TinyRepo.COMMIT);
        assertFalse(Files.exists(repoFolder().resolve("refs")));
        int before = server.requests().size();

        assertEquals(snapshot, hub.resolve(TinyRepo.ID + "@" + TinyRepo.COMMIT));
        assertEquals(before, server.requests().size());
    }

    @Test
    void tokenIsSentToTheHubButNotToTheCdn() throws IOException {
        Path tokenFile = home.resolve("my-token");
        Files.writeString(tokenFile, "hf_secret\n");
        hub("HF_TOKEN_PATH", tokenFile.toString()).resolve(TinyRepo.ID);

        List<FakeHub.Request> requests = server.requests();
        assertTrue(requests.stream().filter(r -> r.server().equals("hub"))
                .allMatch(r -> "Bearer hf_secret".equals(r.authorization())));
        assertTrue(requests.stream().anyMatch(r -> r.server().equals("cdn")));
        assertTrue(requests.stream().filter(r -> r.server().equals("cdn")).allMatch(r -> r.authorization() == null));
    }

    @Test
    void bytesThatDoNotMatchTheHubsHashAreRefusedAndDeleted() throws IOException {
        for (String file : List.of("model.safetensors", "vocab.json")) {   // an LFS file (SHA-256), a git file (blob id)
            byte[] wrong = repo.files().get(file).clone();
            wrong[wrong.length / 2] ^= 1;
            server.tamper(TinyRepo.ID, file, wrong);
        }
        LsgException e = assertThrows(LsgException.class, () -> hub().resolve(TinyRepo.ID));
        assertTrue(e.getMessage().contains("is corrupt"), e.getMessage());
        assertTrue(e.getMessage().contains("the Hub sent " + FakeHub.etagOf(repo, "vocab.json"))
                || e.getMessage().contains("the Hub sent " + FakeHub.etagOf(repo, "model.safetensors")), e.getMessage());
        try (var blobs = Files.list(repoFolder().resolve("blobs"))) {
            for (Path blob : blobs.toList()) {
                String name = blob.getFileName().toString();
                assertFalse(name.equals(FakeHub.etagOf(repo, "vocab.json")) || name.equals(FakeHub.etagOf(repo, "model.safetensors"))
                        || name.endsWith(".incomplete"), "a corrupt download was kept: " + name);
            }
        }
    }

    @Test
    void userAgentNamesThePomVersion() {
        hub().resolve(TinyRepo.ID);
        String expected = "lsg4j/" + org.lsg4j.VersionTest.pomVersion();
        assertTrue(server.requests().stream().allMatch(r -> expected.equals(r.userAgent())), server.requests().toString());
    }

    @Test
    void noTokenNoHeader() {
        hub().resolve(TinyRepo.ID);
        assertTrue(server.requests().stream().allMatch(r -> r.authorization() == null));
    }

    @Test
    void resumesAnIncompleteBlobWithARangeRequest() throws IOException {
        String etag = FakeHub.etagOf(repo, "model.safetensors");
        byte[] content = repo.files().get("model.safetensors");
        Path incomplete = repoFolder().resolve("blobs").resolve(etag + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, Arrays.copyOf(content, 70_000));
        List<long[]> reports = new CopyOnWriteArrayList<>();

        Path snapshot = hub().resolve(TinyRepo.ID, new RecordingListener(reports));

        FakeHub.Request cdnGet = server.requests().stream().filter(r -> r.server().equals("cdn")).findFirst()
                .orElseThrow();
        assertEquals("bytes=70000-", cdnGet.range());
        assertArrayEquals(content, Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertFalse(Files.exists(incomplete));
        assertEquals(70_000, reports.get(0)[0], "the first report counts the bytes kept");
        assertEquals(content.length, reports.get(reports.size() - 1)[0]);
        assertTrue(reports.stream().allMatch(r -> r[1] == content.length));
    }

    @Test
    void restartsWhenTheServerIgnoresTheRange() throws IOException {
        server.honorRanges(false);
        String etag = FakeHub.etagOf(repo, "model.safetensors");
        Path incomplete = repoFolder().resolve("blobs").resolve(etag + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, new byte[50_000]); // garbage that must not survive

        Path snapshot = hub().resolve(TinyRepo.ID);

        assertArrayEquals(repo.files().get("model.safetensors"), Files.readAllBytes(snapshot.resolve("model.safetensors")));
    }

    @Test
    void restartsWhenTheIncompleteFileIsLongerThanTheBlob() throws IOException {
        String etag = FakeHub.etagOf(repo, "model.safetensors");
        Path incomplete = repoFolder().resolve("blobs").resolve(etag + ".incomplete");
        Files.createDirectories(incomplete.getParent());
        Files.write(incomplete, new byte[300_000]);

        Path snapshot = hub().resolve(TinyRepo.ID);

        assertArrayEquals(repo.files().get("model.safetensors"), Files.readAllBytes(snapshot.resolve("model.safetensors")));
        assertTrue(server.requests().stream().filter(r -> r.server().equals("cdn")).allMatch(r -> r.range() == null));
    }

    @Test
    void followsTheRelativeRedirectOfARenamedRepository() throws IOException {
        server.rename("old-org/old-name", TinyRepo.ID);
        Optional<Path> config = hub().file(new ModelRef("old-org/old-name", "main"), "config.json",
                ProgressListener.NONE);

        assertEquals(TinyRepo.CONFIG, Files.readString(config.orElseThrow()));
        assertTrue(server.requests().stream().anyMatch(r -> r.path().startsWith("/old-org/old-name/resolve/")));
        assertTrue(server.requests().stream().anyMatch(r -> r.path().startsWith("/" + TinyRepo.ID + "/resolve/")));
        assertTrue(config.get().startsWith(home.resolve("hf/hub/models--old-org--old-name")));
    }

    @Test
    void weakQuotedEtagsNameTheBlobWithoutQuotes() throws IOException {
        server.weakEtags(true);
        Path config = hub().file(new ModelRef(TinyRepo.ID, "main"), "config.json", ProgressListener.NONE)
                .orElseThrow();
        String etag = FakeHub.gitBlobId(repo.files().get("config.json"));
        assertEquals(Path.of("../../blobs/" + etag), Files.readSymbolicLink(config));
        assertTrue(Files.isRegularFile(repoFolder().resolve("blobs").resolve(etag)));
        assertEquals(TinyRepo.COMMIT, Files.readString(repoFolder().resolve("refs/main")));
    }

    @Test
    void singleMissingFileIsRecordedInNoExist() {
        Optional<Path> file = hub().file(new ModelRef(TinyRepo.ID, "main"), "tokenizer.json", ProgressListener.NONE);
        assertTrue(file.isEmpty());
        assertTrue(Files.exists(repoFolder().resolve(".no_exist").resolve(TinyRepo.COMMIT).resolve("tokenizer.json")));

        Optional<Path> offline = hub("HF_HUB_OFFLINE", "1")
                .file(new ModelRef(TinyRepo.ID, "main"), "tokenizer.json", ProgressListener.NONE);
        assertTrue(offline.isEmpty(), "offline, the marker answers without the network");
    }

    @Test
    void fileInASubfolderLinksThreeLevelsUp() throws IOException {
        FakeHub.Repo nested = new FakeHub.Repo(TinyRepo.COMMIT,
                Map.of("onnx/config.json", TinyRepo.utf8(TinyRepo.CONFIG)), java.util.Set.of(), java.util.Set.of("main"));
        server.addRepo("lsg-test/nested", nested);

        Path file = hub().file(new ModelRef("lsg-test/nested", "main"), "onnx/config.json", ProgressListener.NONE)
                .orElseThrow();
        assertEquals(Path.of("../../../blobs/" + FakeHub.etagOf(nested, "onnx/config.json")),
                Files.readSymbolicLink(file));
        assertEquals(TinyRepo.CONFIG, Files.readString(file));
    }

    @Test
    void shardedWeightsAreFetchedFromTheIndex() {
        FakeHub.Repo sharded = TinyRepo.sharded();
        server.addRepo("lsg-test/sharded", sharded);

        Path snapshot = hub().resolve("lsg-test/sharded");
        assertTrue(Files.isRegularFile(snapshot.resolve("model-00001-of-00002.safetensors")));
        assertTrue(Files.isRegularFile(snapshot.resolve("model-00002-of-00002.safetensors")));
        Path noExist = home.resolve("hf/hub/models--lsg-test--sharded/.no_exist").resolve(TinyRepo.OTHER_COMMIT);
        assertTrue(Files.exists(noExist.resolve("model.safetensors")), "the preferred weights were tried first");
        assertFalse(Files.exists(noExist.resolve("pytorch_model.bin")), "weights after the chosen ones are not tried");
    }

    @Test
    void unknownRepositorySaysNotFoundWithTheUrl() {
        LsgException e = assertThrows(LsgException.class, () -> hub().resolve("nobody/nothing"));
        assertTrue(e.getMessage().contains("nobody/nothing was not found"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 401"), e.getMessage());
        assertTrue(e.getMessage().contains(server.endpoint() + "/api/models/nobody/nothing/revision/main"),
                e.getMessage());
        assertTrue(e.getMessage().contains("set HF_TOKEN"), e.getMessage());
    }

    @Test
    void gatedRepositorySaysSoAndThatTheTokenWasRefused() {
        server.fail(TinyRepo.ID, 403);
        LsgException e = assertThrows(LsgException.class, () -> hub("HF_TOKEN", "hf_x").resolve(TinyRepo.ID));
        assertTrue(e.getMessage().startsWith("Access to model " + TinyRepo.ID + " is restricted (gated or private)"),
                e.getMessage());
        assertTrue(e.getMessage().contains("token sent was not accepted"), e.getMessage());
        assertFalse(e.getMessage().contains("hf_x"), "the token itself is never shown");
    }

    @Test
    void otherHttpErrorsGiveTheStatus() {
        server.fail(TinyRepo.ID, 503);
        LsgException e = assertThrows(LsgException.class, () -> hub().resolve(TinyRepo.ID));
        assertEquals("Hub request failed: HTTP 503 from " + server.endpoint() + "/api/models/" + TinyRepo.ID
                + "/revision/main", e.getMessage());
    }

    @Test
    void unknownRevisionIsNamed() {
        LsgException e = assertThrows(LsgException.class, () -> hub().resolve(TinyRepo.ID + "@no-such-branch"));
        assertTrue(e.getMessage().contains("Revision 'no-such-branch'"), e.getMessage());
        assertTrue(e.getMessage().contains("HTTP 404"), e.getMessage());
    }

    @Test
    void missingFileGives404WithTheUrl() {
        Hub hub = hub();
        ModelRef ref = new ModelRef(TinyRepo.ID, "main");
        HubHttp http = new HubHttp(hub.environment());
        try (http) {
            MissingFileException e = assertThrows(MissingFileException.class, () -> http.metadata(ref, "nope.bin"));
            assertTrue(e.getMessage().contains("File nope.bin was not found in model " + TinyRepo.ID), e.getMessage());
            assertTrue(e.getMessage().contains("HTTP 404 from " + server.endpoint() + "/" + TinyRepo.ID
                    + "/resolve/main/nope.bin"), e.getMessage());
            assertEquals(Optional.of(TinyRepo.COMMIT), e.commit());
        }
    }

    @Test
    void metadataReadsTheHubHeaders() throws IOException {
        ModelRef ref = new ModelRef(TinyRepo.ID, "v1");
        try (HubHttp http = new HubHttp(hub().environment())) {
            FileMetadata config = http.metadata(ref, "config.json");
            assertEquals(new FileMetadata(TinyRepo.COMMIT, FakeHub.etagOf(repo, "config.json"),
                    repo.files().get("config.json").length,
                    java.net.URI.create(server.endpoint() + "/" + TinyRepo.ID + "/resolve/v1/config.json")), config);

            FileMetadata weights = http.metadata(ref, "model.safetensors");
            assertEquals(FakeHub.sha256(repo.files().get("model.safetensors")), weights.etag());
            assertEquals(200_000, weights.size());
            assertTrue(weights.location().toString().endsWith("/blobs/" + weights.etag()));
            assertTrue(weights.location().getPort() != server.endpoint().getPort(), "absolute redirect to the CDN");
        }
    }

    @Test
    void revisionWithSlashIsEncodedInUrlsAndNestedInRefs() throws IOException {
        server.addRepo("lsg-test/pr", new FakeHub.Repo(TinyRepo.COMMIT, repo.files(), repo.lfs(),
                java.util.Set.of("refs/pr/1")));
        hub().resolve("lsg-test/pr@refs/pr/1");

        assertTrue(server.requests().stream().anyMatch(r -> r.path().equals("/api/models/lsg-test/pr/revision/refs%2Fpr%2F1")));
        assertEquals(TinyRepo.COMMIT, Files.readString(home.resolve("hf/hub/models--lsg-test--pr/refs/refs/pr/1")));
    }

    @Test
    void unreachableHubFallsBackToTheCache() {
        hub().resolve(TinyRepo.ID);
        server.close();

        Path snapshot = hub().resolve(TinyRepo.ID);
        assertEquals(repoFolder().resolve("snapshots").resolve(TinyRepo.COMMIT), snapshot);

        LsgException e = assertThrows(LsgException.class, () -> hub().resolve("lsg-test/never-downloaded"));
        assertTrue(e.getMessage().startsWith("Could not reach the Hub at " + server.endpoint()), e.getMessage());
    }

    @Test
    void existingLocalFolderIsUsedAsItIs() throws IOException {
        Path folder = Files.createDirectories(home.resolve("my-model"));
        assertEquals(folder, hub().resolve(folder.toString()));
        assertTrue(server.requests().isEmpty());
    }

    @Test
    void concurrentResolvesShareOneDownload() throws Exception {
        Hub hub = hub();
        var pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            var futures = pool.invokeAll(java.util.Collections.nCopies(4, () -> hub.resolve(TinyRepo.ID)));
            for (var future : futures) {
                assertEquals(repoFolder().resolve("snapshots").resolve(TinyRepo.COMMIT), future.get());
            }
        } finally {
            pool.shutdown();
        }
        assertArrayEquals(repo.files().get("model.safetensors"),
                Files.readAllBytes(repoFolder().resolve("snapshots").resolve(TinyRepo.COMMIT).resolve("model.safetensors")));
    }

    /** Records (done, total) of the weights file. */
    private record RecordingListener(List<long[]> reports) implements ProgressListener {
        @Override
        public void progress(String file, long done, long total) {
            if (file.equals("model.safetensors")) {
                reports.add(new long[] {done, total});
            }
        }

        @Override
        public void finished(String file) {
        }
    }
}
