package org.lsg4j.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a cache folder the way huggingface_hub leaves it, for tests that read one. */
final class PythonCache {
    private final Path repoFolder;

    PythonCache(Path cacheDir, String repoId) {
        this.repoFolder = cacheDir.resolve("models--" + repoId.replace("/", "--"));
    }

    Path repoFolder() {
        return repoFolder;
    }

    /** Writes {@code refs/<revision>} holding the commit, without a newline as Python writes it. */
    PythonCache ref(String revision, String commit) throws IOException {
        Path ref = repoFolder.resolve("refs").resolve(revision);
        Files.createDirectories(ref.getParent());
        Files.writeString(ref, commit);
        return this;
    }

    /** Writes the blob and links {@code snapshots/<commit>/<file>} to it with a relative symlink. */
    PythonCache file(String commit, String file, String content) throws IOException {
        String etag = FakeHub.gitBlobId(content.getBytes(StandardCharsets.UTF_8));
        Path blob = repoFolder.resolve("blobs").resolve(etag);
        Files.createDirectories(blob.getParent());
        Files.writeString(blob, content);
        Path link = repoFolder.resolve("snapshots").resolve(commit).resolve(file);
        Files.createDirectories(link.getParent());
        Files.createSymbolicLink(link, link.getParent().relativize(blob));
        return this;
    }

    /** Writes an empty {@code .no_exist/<commit>/<file>} marker. */
    PythonCache noExist(String commit, String file) throws IOException {
        Path marker = repoFolder.resolve(".no_exist").resolve(commit).resolve(file);
        Files.createDirectories(marker.getParent());
        Files.createFile(marker);
        return this;
    }

    /** A complete small model at the commit: config, one tokenizer file and weights. */
    PythonCache model(String commit) throws IOException {
        return file(commit, "config.json", TinyRepo.CONFIG)
                .file(commit, "vocab.json", "{}")
                .file(commit, "model.safetensors", "weights of " + commit);
    }
}
