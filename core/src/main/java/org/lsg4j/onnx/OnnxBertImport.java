package org.lsg4j.onnx;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.lsg4j.LsgException;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.io.TempOutput;

/**
 * Turns an ONNX export of a Hugging Face {@code BertModel} (such as sentence-transformers'
 * all-MiniLM-L6-v2 as LangChain4j ships it) and its {@code tokenizer.json} into a plain Hugging Face
 * checkpoint folder, which lsg4j, transformers or any other reader then loads like a download:
 *
 * <ul>
 * <li>{@code config.json}: what {@code BertConfig(...).save_pretrained} writes for the architecture
 *     found in the graph ({@link BertArchitecture}); the training-only fields (dropouts,
 *     initializer_range) keep BertConfig's defaults, and {@code pad_token_id} is the tokenizer's [PAD].</li>
 * <li>{@code model.safetensors}: the weights under BertModel's state-dict names (no prefix), float32.</li>
 * <li>{@code tokenizer.json} (copied), {@code tokenizer_config.json}, {@code special_tokens_map.json} and
 *     {@code vocab.txt}, with {@code model_max_length} = max_position_embeddings.</li>
 * </ul>
 *
 * The folder appears whole or not at all: everything is written into a temporary folder beside it,
 * which is renamed into place at the end and deleted on any failure. ONNX Runtime is not used; the
 * weights are read with lsg4j's own ONNX decoder ({@link OnnxModel}) and mapped by following the graph.
 */
public final class OnnxBertImport {
    /**
     * transformers' version whose {@code save_pretrained} output config.json reproduces (the
     * reference version lsg4j is checked against); written as {@code transformers_version}.
     */
    static final String TRANSFORMERS_VERSION = "4.45.2";
    private static final JsonMapper JSON = new JsonMapper();
    /** What messages call an ONNX model read from a stream. */
    static final String STREAM = "ONNX stream";

    private OnnxBertImport() {
    }

    /**
     * What an import produced.
     *
     * @param folder the checkpoint folder written
     * @param notes what the user should know about the conversion (buffers left out, no pooler, defaults used)
     */
    public record Imported(Path folder, BertArchitecture architecture, int padTokenId, List<String> notes) {
        public Imported {
            notes = List.copyOf(notes);
        }
    }

    /**
     * Imports an ONNX file.
     *
     * @param outDir the folder to create; it must not exist, or be an empty folder
     * @throws LsgException naming the file, node or tensor when an input is malformed, not a BertModel
     *     export the mapper understands, or the folder cannot be written; nothing is left behind
     */
    public static Imported importTo(Path onnx, Path tokenizerJson, Path outDir) {
        return run(null, onnx, tokenizerJson, outDir);
    }

    /**
     * Imports an ONNX model read from a stream (e.g. a classpath resource). The stream is copied into
     * the temporary folder, memory-mapped from there and deleted; it is not closed.
     *
     * @see #importTo(Path, Path, Path)
     */
    public static Imported importTo(InputStream onnx, Path tokenizerJson, Path outDir) {
        return run(onnx, null, tokenizerJson, outDir);
    }

    private static Imported run(InputStream stream, Path onnx, Path tokenizerJson, Path outDir) {
        Path target = outDir.toAbsolutePath().normalize();
        checkTarget(target);
        BertTokenizerFiles tokenizer = BertTokenizerFiles.read(tokenizerJson);
        Path temp = TempOutput.beside(target);
        try {
            Files.createDirectory(temp);
        } catch (IOException e) {
            TempOutput.discard(temp, e);
            throw new LsgException(outDir + ": cannot create a folder in " + target.getParent() + " (" + e + ")", e);
        }
        try {
            Path onnxFile = onnx;
            String name = onnx == null ? STREAM : onnx.toString();
            if (stream != null) {
                onnxFile = temp.resolve("model.onnx.part");
                Files.copy(stream, onnxFile);
            }
            BertGraphMapper.Result result;
            try (OnnxModel model = OnnxModel.open(onnxFile, name)) {
                result = BertGraphMapper.map(model.graph(), name);
            }
            if (stream != null) {
                Files.delete(onnxFile);
            }
            BertArchitecture architecture = result.architecture();
            if (tokenizer.idCount() > architecture.vocabSize()) {
                throw new LsgException(tokenizerJson + ": the tokenizer has " + tokenizer.idCount()
                        + " ids, more than the " + architecture.vocabSize() + " rows of the word embeddings");
            }
            Files.writeString(temp.resolve("config.json"), configJson(architecture, tokenizer.padTokenId()));
            SafeTensors.write(temp.resolve("model.safetensors"), new LinkedHashMap<>(result.stateDict()),
                    Map.of("format", "pt"));
            tokenizer.writeTo(temp, architecture.maxPositionEmbeddings());
            TempOutput.commit(temp, target);   // an empty folder (checked above) gives way to the new one
            return new Imported(target, architecture, tokenizer.padTokenId(), result.notes());
        } catch (IOException | RuntimeException e) {
            TempOutput.discard(temp, e);
            if (e instanceof LsgException lsg) {
                throw lsg;
            }
            throw new LsgException(outDir + ": cannot write the checkpoint folder (" + e + ")", e);
        }
    }

    private static void checkTarget(Path target) {
        if (target.getParent() == null || !Files.isDirectory(target.getParent())) {
            throw new LsgException(target + ": folder " + target.getParent() + " does not exist");
        }
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(target)) {
                if (entries.iterator().hasNext()) {
                    throw new LsgException(target + ": the folder exists and is not empty; choose a new folder");
                }
            } catch (IOException e) {
                throw new LsgException(target + ": cannot read the folder (" + e + ")", e);
            }
        } else if (Files.exists(target)) {
            throw new LsgException(target + ": a file is in the way; choose a new folder");
        }
    }

    /**
     * config.json as {@code BertConfig.save_pretrained} writes it: keys sorted, two-space indent,
     * only the fields BertConfig has ({@code model_type} bert, {@code architectures} BertModel).
     */
    static String configJson(BertArchitecture a, int padTokenId) {
        ObjectNode c = JSON.createObjectNode();
        c.putArray("architectures").add("BertModel");
        c.put("attention_probs_dropout_prob", 0.1);
        c.putNull("classifier_dropout");
        c.put("hidden_act", a.hiddenAct());
        c.put("hidden_dropout_prob", 0.1);
        c.put("hidden_size", a.hiddenSize());
        c.put("initializer_range", 0.02);
        c.put("intermediate_size", a.intermediateSize());
        c.put("layer_norm_eps", a.layerNormEps());
        c.put("max_position_embeddings", a.maxPositionEmbeddings());
        c.put("model_type", "bert");
        c.put("num_attention_heads", a.numAttentionHeads());
        c.put("num_hidden_layers", a.numHiddenLayers());
        c.put("pad_token_id", padTokenId);
        c.put("position_embedding_type", "absolute");
        c.put("transformers_version", TRANSFORMERS_VERSION);
        c.put("type_vocab_size", a.typeVocabSize());
        c.put("use_cache", true);
        c.put("vocab_size", a.vocabSize());
        DefaultIndenter indent = new DefaultIndenter("  ", "\n");
        DefaultPrettyPrinter python = new DefaultPrettyPrinter(Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER))
                .withObjectIndenter(indent).withArrayIndenter(indent);
        try {
            return JSON.writer(python).writeValueAsString(c) + "\n";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
