package org.lsg4j.spark;

import org.apache.spark.SparkEnv;
import org.apache.spark.SparkFiles;
import org.lsg4j.hub.DefaultModel;
import org.lsg4j.hub.Hub;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.TaskModel;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The models loaded in this executor JVM: each (model, head, config overrides) is loaded once, by
 * the first task that needs it, and then shared by every task thread of the executor (an
 * {@link org.lsg4j.model.LsgModel} is immutable and thread-safe). A load that fails is not kept:
 * the next task, or Spark's retry of this one, tries again. Models stay loaded for the life of the
 * executor (one model is the usual job; each extra one costs its weights in heap).
 */
final class ExecutorModels {
    private static final Logger LOG = LoggerFactory.getLogger(ExecutorModels.class);
    private static final Map<Key, Holder> MODELS = new ConcurrentHashMap<>();

    private ExecutorModels() {
    }

    /** What identifies a loaded model. */
    record Key(String model, Head head, Map<String, String> overrides) {
        Key {
            overrides = Map.copyOf(overrides);
        }
    }

    /** The model, loading it (once per JVM) when no task has yet. */
    static TaskModel get(Key key) {
        Holder h = MODELS.computeIfAbsent(key, Holder::new);
        try {
            return h.get();
        } catch (RuntimeException | Error e) {
            MODELS.remove(key, h);
            throw e;
        }
    }

    /**
     * The folder of a model on this machine: lsg4j's default model when {@code model} is null or
     * blank (made once in the lsg4j cache, LSG4J_HOME); a folder that exists as given (a shared
     * file system, or an archive Spark unpacked in the executor's working directory); a file or
     * archive name Spark distributed ({@code --files}, {@code --archives}, {@code SparkContext.addFile}),
     * found under {@link SparkFiles#getRootDirectory()}; else a Hub id, read from the Hugging Face
     * cache of this machine (HF_HOME) and downloaded into it unless HF_HUB_OFFLINE is set.
     */
    static Path locate(String model) {
        if (model == null || model.isBlank()) {
            return DefaultModel.resolve(DefaultModel.cacheRoot(System.getenv()), LOG::info);
        }
        Path given = Path.of(model);
        if (!Files.isDirectory(given) && !given.isAbsolute() && SparkEnv.get() != null) {
            Path distributed = Path.of(SparkFiles.getRootDirectory()).resolve(model);
            if (Files.isDirectory(distributed)) {
                return distributed;
            }
        }
        return Hub.fromSystem().resolve(model);
    }

    /** Loads its model once; concurrent callers wait for the one load. */
    private static final class Holder {
        private final Key key;
        private TaskModel model;

        Holder(Key key) {
            this.key = key;
        }

        synchronized TaskModel get() {
            if (model == null) {
                long start = System.nanoTime();
                Path dir = locate(key.model());
                model = TaskModel.load(dir, key.head(), key.overrides());
                LOG.info("lsg4j: loaded {} ({}) from {} in {} ms", model.model().architecture(), key.head(), dir,
                        (System.nanoTime() - start) / 1_000_000);
            }
            return model;
        }
    }
}
