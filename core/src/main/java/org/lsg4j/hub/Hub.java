package org.lsg4j.hub;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;
import org.lsg4j.LsgException;

/**
 * Finds a model's files: in a local folder, in the Hugging Face cache, or on the Hub, downloading
 * what the cache lacks into the layout {@code huggingface_hub} uses (see {@link HubCache}).
 *
 * <p>Instances are thread-safe; share one per program so that concurrent downloads of the same file
 * wait for each other.
 */
public final class Hub {
    private final HubEnvironment env;
    private final HubCache cache;
    private final BlobDownloader downloader = new BlobDownloader();

    /** A hub client with the given settings. */
    public Hub(HubEnvironment env) {
        this.env = env;
        this.cache = new HubCache(env.cacheDir());
    }

    /** A hub client configured from this process's environment variables. */
    public static Hub fromSystem() {
        return new Hub(HubEnvironment.system());
    }

    /** The settings in use. */
    public HubEnvironment environment() {
        return env;
    }

    /** The cache this client reads and writes. */
    public HubCache cache() {
        return cache;
    }

    /** Same as {@link #resolve(String, ProgressListener)} without progress reports. */
    public Path resolve(String modelIdOrPath) {
        return resolve(modelIdOrPath, ProgressListener.NONE);
    }

    /**
     * Returns the folder to load a model from.
     *
     * <p>An existing local folder is returned as it is. Anything else is a Hub id,
     * {@code org/name[@revision]}: the model's snapshot folder in the cache is returned, after
     * downloading the files it lacks: {@code config.json}, the tokenizer files the repository has,
     * and the weights ({@code model.safetensors}, else {@code model.safetensors.index.json} and its
     * shards, else {@code pytorch_model.bin}). Optional files the repository does not have are
     * recorded under {@code .no_exist}. In offline mode, or when the Hub cannot be reached, the
     * cache alone must have the model.
     *
     * @throws LsgException if the model cannot be found, reached or downloaded
     */
    public Path resolve(String modelIdOrPath, ProgressListener progress) {
        Path local = Path.of(modelIdOrPath);
        if (Files.isDirectory(local)) {
            return local;
        }
        ModelRef ref = parseId(modelIdOrPath);
        if (env.offline()) {
            return cachedSnapshot(ref).orElseThrow(() -> offlineMiss(ref, "model " + ref));
        }
        if (ref.isCommit()) {
            Optional<Path> cached = cachedSnapshot(ref);
            if (cached.isPresent()) {
                return cached.get();
            }
        }
        try (HubHttp http = new HubHttp(env)) {
            RepoRevision revision;
            try {
                revision = http.revision(ref);
            } catch (IOException e) {
                return cachedSnapshot(ref).orElseThrow(() -> unreachable(ref, e));
            }
            cache.writeRef(ref, revision.commit());
            return downloadModel(http, new ModelRef(ref.repoId(), revision.commit()), revision, progress);
        }
    }

    /**
     * Returns one file of a repository, like {@code hf_hub_download}: from the cache when it is
     * there at the revision's commit, else downloaded into it. Online, a branch or tag is first
     * resolved to its current commit with a {@code HEAD} request.
     *
     * @return the file in its snapshot folder, or empty when the repository does not have the file
     *     (which is then recorded under {@code .no_exist})
     * @throws LsgException if the repository or revision does not exist, or the file cannot be had
     */
    public Optional<Path> file(ModelRef ref, String file, ProgressListener progress) {
        if (env.offline()) {
            return cachedFile(ref, file).orElseThrow(() -> offlineMiss(ref, "file " + file + " of " + ref));
        }
        if (ref.isCommit()) {
            Optional<Path> cached = cache.file(ref, ref.revision(), file);
            if (cached.isPresent()) {
                return cached;
            }
        }
        try (HubHttp http = new HubHttp(env)) {
            FileMetadata meta;
            try {
                meta = http.metadata(ref, file);
            } catch (MissingFileException e) {
                e.commit().ifPresent(commit -> {
                    cache.writeRef(ref, commit);
                    cache.markMissing(ref, commit, file);
                });
                return Optional.empty();
            } catch (IOException e) {
                return cachedFile(ref, file).orElseThrow(() -> unreachable(ref, e));
            }
            cache.writeRef(ref, meta.commit());
            return Optional.of(store(http, new ModelRef(ref.repoId(), meta.commit()), file, meta, progress));
        }
    }

    private Path downloadModel(HubHttp http, ModelRef pinned, RepoRevision revision, ProgressListener progress) {
        Set<String> remote = new HashSet<>(revision.files());
        if (!remote.contains(ModelFiles.CONFIG)) {
            throw new LsgException("Model " + pinned.repoId() + " has no " + ModelFiles.CONFIG + " at commit "
                    + pinned.revision() + "; is it a transformers model?");
        }
        fetch(http, pinned, ModelFiles.CONFIG, progress);
        for (String tokenizerFile : ModelFiles.TOKENIZER) {
            fetchIfPresent(http, pinned, tokenizerFile, remote, progress);
        }
        String weights = firstPresent(http, pinned, remote, progress);
        if (weights.equals(ModelFiles.SAFETENSORS_INDEX)) {
            for (String shard : ModelFiles.shards(cache.snapshot(pinned, pinned.revision()).resolve(weights))) {
                if (!remote.contains(shard)) {
                    throw new LsgException("Weight shard " + shard + " named in " + weights + " is not in model "
                            + pinned.repoId() + " at commit " + pinned.revision());
                }
                fetch(http, pinned, shard, progress);
            }
        }
        return cache.snapshot(pinned, pinned.revision());
    }

    /** Fetches the first weight file the repository has, recording the ones tried before it as absent. */
    private String firstPresent(HubHttp http, ModelRef pinned, Set<String> remote, ProgressListener progress) {
        for (String weights : ModelFiles.WEIGHTS) {
            if (fetchIfPresent(http, pinned, weights, remote, progress)) {
                return weights;
            }
        }
        throw new LsgException("Model " + pinned.repoId() + " has no weights (" + String.join(", ", ModelFiles.WEIGHTS)
                + ") at commit " + pinned.revision());
    }

    /** Fetches the file if the repository has it, else records that it does not. */
    private boolean fetchIfPresent(HubHttp http, ModelRef pinned, String file, Set<String> remote,
            ProgressListener progress) {
        if (!remote.contains(file)) {
            cache.markMissing(pinned, pinned.revision(), file);
            return false;
        }
        fetch(http, pinned, file, progress);
        return true;
    }

    /** Makes sure a file of a pinned commit is in its snapshot folder. */
    private void fetch(HubHttp http, ModelRef pinned, String file, ProgressListener progress) {
        if (cache.file(pinned, pinned.revision(), file).isPresent()) {
            return;
        }
        try {
            store(http, pinned, file, http.metadata(pinned, file), progress);
        } catch (IOException e) {
            throw new LsgException("Could not get " + file + " of " + pinned + " from " + env.endpoint() + ": " + e, e);
        }
    }

    /** Downloads the blob unless the cache has it and links it into the snapshot of the pinned commit. */
    private Path store(HubHttp http, ModelRef pinned, String file, FileMetadata meta, ProgressListener progress) {
        Optional<Path> cached = cache.file(pinned, pinned.revision(), file);
        if (cached.isPresent()) {
            return cached.get();
        }
        try {
            boolean fresh = downloader.fetch(http, cache, pinned, file, meta, progress);
            return cache.link(pinned, pinned.revision(), file, meta.etag(), fresh);
        } catch (IOException e) {
            throw new LsgException("Download of " + file + " from " + meta.location() + " failed (" + e
                    + "); run again to resume it", e);
        }
    }

    private static ModelRef parseId(String modelIdOrPath) {
        try {
            return ModelRef.parse(modelIdOrPath);
        } catch (LsgException e) {
            throw new LsgException("'" + modelIdOrPath + "' is neither an existing folder nor a Hub model id"
                    + " (org/name[@revision]): " + e.getMessage(), e);
        }
    }

    private Optional<Path> cachedSnapshot(ModelRef ref) {
        return cache.commit(ref)
                .map(commit -> cache.snapshot(ref, commit))
                .filter(snapshot -> Files.isDirectory(snapshot) && ModelFiles.missingIn(snapshot).isEmpty());
    }

    /** The cached file, empty when the cache records it as absent, or no answer when the cache does not know. */
    private Optional<Optional<Path>> cachedFile(ModelRef ref, String file) {
        return cache.commit(ref).flatMap(commit -> {
            Optional<Path> path = cache.file(ref, commit, file);
            if (path.isPresent()) {
                return Optional.of(path);
            }
            return cache.knownMissing(ref, commit, file) ? Optional.of(Optional.<Path>empty()) : Optional.empty();
        });
    }

    private LsgException offlineMiss(ModelRef ref, String what) {
        return new LsgException("Offline mode is on (HF_HUB_OFFLINE or TRANSFORMERS_OFFLINE), so " + what
                + " must come from the cache, but it is not there: looked in cache " + cache.root()
                + ", model folder " + cache.repoFolder(ref).getFileName() + ", revision '" + ref.revision() + "': "
                + whyNotCached(ref));
    }

    private LsgException unreachable(ModelRef ref, IOException e) {
        return new LsgException("Could not reach the Hub at " + env.endpoint() + " (" + e + ") and model " + ref
                + " is not in the cache " + cache.root() + ": " + whyNotCached(ref), e);
    }

    /** Says which part of the cache layout is missing for the reference. */
    private String whyNotCached(ModelRef ref) {
        Path folder = cache.repoFolder(ref);
        if (!Files.isDirectory(folder)) {
            return "no folder " + folder;
        }
        Optional<String> commit = cache.commit(ref);
        if (commit.isEmpty()) {
            return "no " + cache.refFile(ref);
        }
        Path snapshot = cache.snapshot(ref, commit.get());
        if (!Files.isDirectory(snapshot)) {
            return "no snapshot folder " + snapshot;
        }
        return ModelFiles.missingIn(snapshot).orElse("the requested file is missing from " + snapshot);
    }
}
