package org.lsg4j.train;

import org.lsg4j.model.Head;
import org.lsg4j.model.TrainableModel;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** The README.md of a trained model folder: what it was trained from, on what, how, and how well. */
final class ModelCard {
    private ModelCard() {
    }

    static String render(String modelName, Path output, TrainableModel m, TrainingSettings s, LabelSet labels,
                         int steps, int trainExamples, int evalExamples, int maxLength, long trainable,
                         long parameters, TrainingState state, Map<String, Double> metrics) {
        Task task = s.task();
        Head head = task.head();
        String folder = output.toAbsolutePath().getFileName().toString();
        StringBuilder b = new StringBuilder();
        b.append("---\nlibrary_name: transformers\ntags:\n- lsg4j\n- lsg\n- long-document\n- ")
                .append(pipelineTag(head)).append("\nbase_model: ").append(modelName).append("\n---\n\n");
        b.append("# ").append(folder).append("\n\n");
        b.append("`").append(m.model().architecture()).append("` fine-tuned from `").append(modelName).append("` for ")
                .append(task.cliName()).append(" with lsg4j (`lsg train`), reading up to ").append(maxLength)
                .append(" tokens per input.\n\n");
        if (labels != null) {
            b.append("## Labels\n\n| id | label |\n|---|---|\n");
            for (int i = 0; i < labels.size(); i++) {
                b.append("| ").append(i).append(" | ").append(labels.names().get(i)).append(" |\n");
            }
            b.append('\n');
        }
        b.append("## Training\n\n| setting | value |\n|---|---|\n");
        row(b, "examples", trainExamples + " for training" + (evalExamples > 0 ? ", " + evalExamples + " held out" : ""));
        row(b, "steps", steps + ", batch " + s.batchSize() + " x " + s.gradAccum() + " accumulated");
        row(b, "learning rate", fmt(s.learningRate()) + ", linear decay after " + s.warmup(steps) + " warm-up steps");
        row(b, "optimizer", "AdamW (0.9, 0.999, eps 1e-8), weight decay " + fmt(s.weightDecay())
                + ", gradients clipped to norm " + fmt(s.maxGradNorm()));
        row(b, "trainable", "`" + s.trainable() + "`: " + String.format(Locale.ROOT, "%,d", trainable) + " of "
                + String.format(Locale.ROOT, "%,d", parameters) + " parameters");
        if (!s.config().isEmpty()) {
            row(b, "config", s.config().entrySet().stream().map(e -> "`" + e.getKey() + "=" + e.getValue() + "`")
                    .collect(Collectors.joining(", ")));
        }
        row(b, "seed", Long.toString(s.seed()));
        row(b, "training time", String.format(Locale.ROOT, "%.0f s for %,d tokens (%.0f tokens/s)", state.seconds,
                state.tokens, state.seconds > 0 ? state.tokens / state.seconds : 0));
        b.append('\n');
        if (!metrics.isEmpty()) {
            b.append("## Evaluation\n\nOn the held-out examples after the last step:\n\n| metric | value |\n|---|---|\n");
            metrics.forEach((k, v) -> row(b, k, String.format(Locale.ROOT, "%.4f", v)));
            b.append('\n');
        }
        b.append("## Use\n\n```\nlsg ").append(command(head)).append(" --model ").append(folder).append(" ...\n```\n\n");
        b.append("From Python, with the reference's modeling file (`").append(ModelFolder.modelingFile(m.model().config()
                .family())).append("`) in the folder:\n\n```python\nfrom transformers import AutoModel")
                .append(head.suffix()).append("\nmodel = AutoModel").append(head.suffix()).append(".from_pretrained(\"")
                .append(folder).append("\", trust_remote_code=True)\n```\n");
        return b.toString();
    }

    private static void row(StringBuilder b, String key, String value) {
        b.append("| ").append(key).append(" | ").append(value).append(" |\n");
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%s", v);
    }

    private static String pipelineTag(Head head) {
        return switch (head) {
            case SEQUENCE_CLASSIFICATION -> "text-classification";
            case TOKEN_CLASSIFICATION -> "token-classification";
            case QUESTION_ANSWERING -> "question-answering";
            case MULTIPLE_CHOICE -> "multiple-choice";
            case MASKED_LM -> "fill-mask";
            case BASE -> "feature-extraction";
        };
    }

    private static String command(Head head) {
        return switch (head) {
            case SEQUENCE_CLASSIFICATION -> "classify";
            case TOKEN_CLASSIFICATION -> "token-classify";
            case QUESTION_ANSWERING -> "qa";
            case MULTIPLE_CHOICE -> "multiple-choice";
            case MASKED_LM -> "fill-mask";
            case BASE -> "embed";
        };
    }
}
