package org.lsg4j.search;

import org.lsg4j.io.HfJson;
import org.lsg4j.pipelines.EmbeddingOptions;
import org.lsg4j.pipelines.EmbeddingPipeline;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Embeds whole documents for search, one forward pass each: the document's vector as the model's
 * sentence embedding (its pooling, then unit length, so that a dot product is the cosine), up to the
 * model's length (a longer document is read up to there and marked truncated), and from the same pass
 * one vector per passage ({@link Passages}): the mean of its tokens' outputs, unit length. Immutable and
 * thread-safe.
 */
public final class DocumentEmbedder {
    /** Characters of a document given to the tokenizer per token the model reads: far more than any text needs. */
    private static final int CHARS_PER_TOKEN = 32;

    private final TaskModel model;
    private final EmbeddingPipeline pipeline;
    private final EmbeddingOptions options;

    /**
     * @param model the model, with the embedding options its folder says ({@link TaskModel#sentenceEmbedding()});
     *              vectors are normalised whatever they say
     */
    public DocumentEmbedder(TaskModel model) {
        this.model = model;
        this.pipeline = new EmbeddingPipeline(model, w -> { });
        this.options = model.sentenceEmbedding().withNormalize(true).withMaxLength(model.maxTokens()).withBatchSize(1);
    }

    /**
     * A document's vectors.
     *
     * @param vector         the document's embedding, unit length
     * @param passages       the passages' windows
     * @param passageVectors one unit vector per passage
     * @param tokens         positions read (special tokens included)
     * @param truncated      whether the document is longer than what was read
     */
    public record Embedded(float[] vector, List<Passage> passages, List<float[]> passageVectors, int tokens,
                           boolean truncated) {
    }

    /** Embeds a document and its passages. */
    public Embedded embed(String text) {
        int max = model.maxTokens();
        long maxChars = (long) CHARS_PER_TOKEN * max;
        boolean cut = text.length() > maxChars;
        String read = cut ? text.substring(0, (int) maxChars) : text;
        Encoding e = model.tokenizer().encode(read);
        boolean truncated = cut || e.length() > max;
        if (e.length() > max) {
            e = pipeline.encode(List.of(TextInput.of(read)), options).get(0);
        }
        List<Passage> windows = Passages.windows(read, e);
        EmbeddingPipeline.SpanEmbeddings out = pipeline.embedSpans(e,
                windows.stream().map(w -> new int[] {w.fromToken(), w.toToken()}).toList(), options);
        return new Embedded(out.document().vector(), windows, out.spans(), e.length(), truncated);
    }

    /** A query's vector, made as a document's is (a query longer than the model is cut at its length). */
    public float[] query(String text) {
        return pipeline.run(TextInput.of(text), options).vector();
    }

    /** The hidden size: the length of every vector. */
    public int dimension() {
        return model.model().config().hiddenSize();
    }

    /**
     * What an index made with this embedder depends on, as a SHA-256: the model folder's config.json and
     * tokenizer files (their bytes), its weight files (names, sizes and modification times), the embedding
     * options, the config overrides the model was loaded with, and the passage windows. An index made with
     * another key is rebuilt.
     */
    public String key(Path modelDir, Map<String, String> configOverrides) {
        TreeMap<String, String> parts = new TreeMap<>();
        parts.put("options", options.toString());
        parts.put("config overrides", new TreeMap<>(configOverrides).toString());
        parts.put("passages", Passages.SENTENCES + " sentences, " + Passages.MAX_TOKENS + " tokens, " + CHARS_PER_TOKEN);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(modelDir)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (!Files.isRegularFile(f)) {
                    continue;
                }
                if (name.endsWith(".json") || name.equals("vocab.txt") || name.equals("merges.txt") || name.endsWith(".model")) {
                    parts.put(name, Corpus.sha256(Files.readAllBytes(f)));
                } else if (name.endsWith(".safetensors") || name.endsWith(".bin")) {
                    parts.put(name, Files.size(f) + " bytes, modified " + Files.getLastModifiedTime(f).toMillis());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(modelDir + ": cannot read the model folder", e);
        }
        return Corpus.sha256(HfJson.write(new com.fasterxml.jackson.databind.ObjectMapper().valueToTree(parts), true)
                .getBytes(StandardCharsets.UTF_8));
    }
}
