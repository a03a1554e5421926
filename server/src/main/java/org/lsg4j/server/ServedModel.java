package org.lsg4j.server;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Workers;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgModel;
import org.lsg4j.pipelines.TaskModel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The one checkpoint a server runs, shared by every request: loaded with the head its config.json
 * {@code architectures} names, its kernels on a {@link Workers} pool of {@code --threads}. The
 * embedding endpoints run the same instance's encoder without its head ({@link TaskModel#runEncoder}),
 * so every task the checkpoint allows is served from one copy of the weights.
 */
public final class ServedModel implements AutoCloseable {
    private final String name;
    private final TaskModel model;
    private final Workers workers;
    private final Consumer<String> log;

    private ServedModel(String name, TaskModel model, Workers workers, Consumer<String> log) {
        this.name = name;
        this.model = model;
        this.workers = workers;
        this.log = log;
    }

    /**
     * Loads a model folder with the head of its architectures (the base model when none is named).
     *
     * @param name    what /info calls the model (the folder or Hub id the user gave)
     * @param threads the workers the kernels run on
     * @param log     where load warnings and pipeline warnings go
     */
    public static ServedModel load(Path dir, String name, int threads, Consumer<String> log) {
        LsgConfig config = LsgConfig.load(dir.resolve("config.json"));
        Head head = config.architectures().isEmpty() ? Head.BASE : config.architecture().head();
        if (head == null) {
            LsgModel.load(dir);   // refuses the architecture with the model's own message
            throw new LsgException(dir.resolve("config.json") + ": lsg4j runs no head for "
                    + config.architecture().className());
        }
        Workers workers = Workers.create(threads);
        TaskModel model = TaskModel.load(dir, head).withWorkers(workers);
        model.model().warnings().forEach(log);
        return new ServedModel(name, model, workers, log);
    }

    /** The checkpoint with its own head. */
    TaskModel model() {
        return model;
    }

    Head head() {
        return model.model().head();
    }

    LsgConfig config() {
        return model.model().config();
    }

    String name() {
        return name;
    }

    Consumer<String> log() {
        return log;
    }

    Workers workers() {
        return workers;
    }

    /** Whether the checkpoint is a sequence classifier with one label: what /rerank scores with. */
    boolean reranker() {
        return head() == Head.SEQUENCE_CLASSIFICATION && config().numLabels() == 1;
    }

    /** The lsg4j tasks the page may offer, in its order. */
    List<String> tasks() {
        List<String> out = new ArrayList<>();
        switch (head()) {
            case MASKED_LM -> out.add("fill-mask");
            case SEQUENCE_CLASSIFICATION -> out.add("classify");
            case TOKEN_CLASSIFICATION -> out.add("token-classify");
            case QUESTION_ANSWERING -> out.add("qa");
            case BASE, MULTIPLE_CHOICE -> {
            }
        }
        out.add("embed");
        return out;
    }

    /** Fails with 424 unless the checkpoint has {@code needed}. */
    void require(Head needed, String endpoint) {
        if (head() != needed) {
            throw ApiError.noHead(endpoint + " needs a " + config().family().className(needed, true)
                    + " checkpoint, but " + name + " is a " + model.model().architecture());
        }
    }

    @Override
    public void close() {
        workers.close();
    }
}
