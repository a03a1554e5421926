package org.lsg4j.convert;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.Checkpoint;
import org.lsg4j.io.HfJson;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.io.TempOutput;
import org.lsg4j.model.Architecture;
import org.lsg4j.model.Family;
import org.lsg4j.model.Head;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgGeometry;
import org.lsg4j.pipelines.SentenceTransformersConfig;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tokenizer.TokenizerFiles;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Converts a checkpoint of any supported family to LSG, as the reference converter does
 * (ccdv-ai/convert_checkpoint_to_lsg; the rules are in docs/lsg-model.md): the position table
 * tiled to the new length, 512 global embeddings made from the position rows (or drawn at
 * random), every other weight copied, the LSG keys, {@code architectures} and {@code auto_map}
 * in config.json, the tokenizer files copied with the new model_max_length, the sentence-transformers
 * files copied with the new max_seq_length (so the converted folder embeds as its source does). An LSG source can be
 * resized (positions only). The result is written to a temporary folder beside the output and
 * moved into place at the end: a failed conversion leaves nothing behind.
 */
public final class LsgConverter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** RoBERTa-style families keep two position rows before the tiled ones, whatever pad_token_id is. */
    private static final int ROBERTA_POSITION_OFFSET = 2;

    private LsgConverter() {
    }

    /** What a conversion made: the validated config of the result and the notices it gave. */
    public record Result(LsgConfig config, List<String> warnings) {
    }

    /**
     * Converts the checkpoint in {@code source} and writes the LSG checkpoint to {@code output},
     * which must not exist (or be an empty folder).
     *
     * @param warnings receives the notices the reference prints (newly initialised weights, LSG sources, ...)
     * @throws LsgException for a family or head the reference does not convert, a max length smaller
     *     than the source's or not a multiple of block_size, an invalid LSG setting, or unreadable files;
     *     nothing is written then
     */
    public static Result convert(Path source, Path output, ConversionOptions options, Consumer<String> warnings) {
        requireEmpty(output);
        Path configFile = source.resolve("config.json");
        JsonNode sourceJson = readJson(configFile);
        LsgConfig src = LsgConfig.fromJson(sourceJson, configFile.toString());
        Family family = src.family();
        Architecture arch = src.architecture().asLsg();
        List<String> notes = new ArrayList<>();
        Consumer<String> note = m -> {
            notes.add(m);
            warnings.accept(m);
        };
        boolean resize = options.resizeLsg() && src.lsg();
        if (options.resizeLsg() && !src.lsg()) {
            note.accept("--resize-lsg is only used when the source is an LSG model; converting in full");
        }
        if (src.lsg() && !options.resizeLsg()) {
            note.accept("LSG architecture detected: to resize the positions only (keeping the global tokens), add --resize-lsg");
        }
        boolean keepFirst = options.keepFirstGlobalToken() && src.lsg();
        if (options.keepFirstGlobalToken() && !src.lsg()) {
            note.accept("--keep-first-global-token is not used: the source is not an LSG model");
        }
        if (options.maxLength() < src.maxTokens()) {
            throw new LsgException("--max-length " + options.maxLength() + " is smaller than the " + src.maxTokens()
                    + " tokens " + source + " already takes; conversion only extends a model");
        }

        ObjectNode json = lsgConfigJson((ObjectNode) sourceJson, family, arch, options, output);
        LsgConfig config = LsgConfig.fromJson(json, "the converted config");
        if (options.maxLength() % config.blockSize() != 0) {
            throw new LsgException("block_size " + config.blockSize() + " does not divide --max-length "
                    + options.maxLength() + ": choose a max length that is a multiple of the block size");
        }
        LsgGeometry.of(config, options.maxLength());   // fails where the reference would fail at that length

        Map<String, Object> tensors = weights(source, src, config, arch, options, resize, keepFirst, note);

        Path temp = TempOutput.beside(output);
        try {
            Files.createDirectories(temp);
            Files.writeString(temp.resolve("config.json"), HfJson.write(json, true));
            SafeTensors.write(temp.resolve("model.safetensors"), tensors, Map.of("format", "pt"));
            TokenizerFiles.copy(source, temp, options.maxLength());
            copyIfPresent(source, temp, "generation_config.json");
            SentenceTransformersConfig.copy(source, temp, options.maxLength());
            Path modeling = source.resolve(family.modelingFile() + ".py");
            if (Files.isRegularFile(modeling)) {
                Files.copy(modeling, temp.resolve(modeling.getFileName()));
            } else {
                note.accept("Python loads the result with trust_remote_code once " + family.modelingFile()
                        + ".py (from ccdv-ai/convert_checkpoint_to_lsg) is in " + output);
            }
            TempOutput.commit(temp, output);
        } catch (IOException e) {
            TempOutput.discard(temp, e);
            throw new LsgException(output + ": cannot write the converted model: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            TempOutput.discard(temp, e);
            throw e;
        }
        return new Result(config, notes);
    }

    /**
     * The source's config with the LSG keys, the LSG class names and the new length. The keys the
     * caller sets are written as given, unvalidated: the reference passes them to
     * {@code from_pretrained(source, **model_kwargs)}, which sets them on the config after its
     * {@code __init__} has validated the source's values, so its config.json keeps
     * {@code num_global_tokens: 0}, {@code "sparsity_type": "random"} or {@code pool_with_global: false}
     * beside {@code mask_first_token: true}; loading the result validates them.
     */
    private static ObjectNode lsgConfigJson(ObjectNode source, Family family, Architecture arch,
                                            ConversionOptions options, Path output) {
        ObjectNode json = source.deepCopy();
        for (Map.Entry<String, Object> e : LsgConfig.LSG_DEFAULTS.entrySet()) {
            if (!json.has(e.getKey())) {
                json.set(e.getKey(), JSON.valueToTree(e.getValue()));
            }
        }
        json = LsgConfig.withOverrides(json, options.configKeys(), "the converted config");
        json.putArray("architectures").add(arch.className());
        ObjectNode autoMap = json.putObject("auto_map");
        family.autoMapClasses().forEach(autoMap::put);
        json.put("base_model_prefix", "lsg");
        json.put("_name_or_path", output.toString());
        int offset = positionOffset(family);
        json.put(family.key("max_position_embeddings"), options.maxLength() + offset);
        return json;
    }

    private static int positionOffset(Family family) {
        return family.embeddings().positionIds() == Family.PositionIds.PADDING_OFFSET ? ROBERTA_POSITION_OFFSET : 0;
    }

    /** Every weight of the source with the position table tiled and the global embeddings made. */
    private static Map<String, Object> weights(Path source, LsgConfig src, LsgConfig config, Architecture arch,
                                               ConversionOptions options, boolean resize, boolean keepFirst,
                                               Consumer<String> note) {
        Family family = src.family();
        int e = src.embeddingSize();
        int offset = positionOffset(family);
        Map<String, Object> out = new LinkedHashMap<>();
        try (Checkpoint checkpoint = Checkpoint.open(source)) {
            String base = family.baseModelPrefix() + ".";
            String prefix = checkpoint.contains(base + "embeddings.word_embeddings.weight") ? base : "";
            if (arch.head() == Head.BASE && !prefix.isEmpty() || arch.head() != Head.BASE && arch.head() != null
                    && prefix.isEmpty()) {
                throw new LsgException(source + ": the weights " + (prefix.isEmpty() ? "have no" : "have the")
                        + " \"" + base + "\" prefix, which does not fit " + arch.className() + " (config.json architectures)");
            }
            String positionsKey = prefix + "embeddings.position_embeddings.weight";
            String globalKey = prefix + "embeddings.global_embeddings.weight";
            String wordsKey = prefix + "embeddings.word_embeddings.weight";
            for (String key : new String[]{positionsKey, wordsKey}) {
                if (!checkpoint.contains(key)) {
                    throw new LsgException(source + ": the checkpoint has no " + key);
                }
            }
            for (String key : new java.util.TreeSet<>(checkpoint.keys())) {
                if (key.endsWith("embeddings.position_ids") || key.endsWith("embeddings.token_type_ids")
                        || key.endsWith(".distance_embedding.weight") || tiedCopy(key, family)) {
                    // buffers, relative position tables (LSG attention has none) and tied copies: not saved
                    continue;
                }
                String bias = tiedBias(key, family);
                if (bias != null) {   // the decoder's own bias is the head's bias: save_pretrained keeps that name
                    if (!checkpoint.contains(bias)) {
                        out.put(bias, checkpoint.get(key));
                    }
                    continue;
                }
                out.put(key, checkpoint.get(key));
            }
            FloatTensor positions = checkpoint.get(positionsKey);
            int current = positions.shape()[0];
            int rows = options.maxLength() + offset;
            out.put(positionsKey, new FloatTensor(new int[]{rows, e},
                    GlobalEmbeddings.tilePositions(positions.data(), current, e, offset, rows)));
            if (resize) {
                return out;
            }
            float[] global = globals(source, src, checkpoint, prefix, positions.data(), current, options);
            if (keepFirst && checkpoint.contains(globalKey)) {
                System.arraycopy(checkpoint.get(globalKey).data(), 0, global, 0, e);
            }
            if (!checkpoint.contains(globalKey)) {
                note.accept("Some weights of " + arch.className() + " were newly initialized from the position and word"
                        + " embeddings: ['" + globalKey + "']");
            }
            out.put(globalKey, new FloatTensor(new int[]{LsgConfig.GLOBAL_EMBEDDING_ROWS, e}, global));
            return out;
        }
    }

    /** A tied decoder weight the source stores although save_pretrained would leave it out. */
    private static boolean tiedCopy(String key, Family family) {
        for (Family.HeadSpec spec : family.heads().values()) {
            for (Family.Step step : spec.steps()) {
                if (step instanceof Family.TiedDecoder d && key.equals(d.decoder() + ".weight")) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * For the decoder's own bias ({@code lm_head.decoder.bias}, {@code cls.predictions.decoder.bias},
     * ...), which the heads tie to the head's bias ({@code lm_head.bias}): that name, else null. A
     * pytorch_model.bin stores both; the reference's save_pretrained writes only the head's bias.
     */
    private static String tiedBias(String key, Family family) {
        for (Family.HeadSpec spec : family.heads().values()) {
            for (Family.Step step : spec.steps()) {
                if (step instanceof Family.TiedDecoder d && key.equals(d.decoder() + ".bias")
                        && !d.bias().equals(key)) {
                    return d.bias();
                }
            }
        }
        return null;
    }

    /** The 512 global embeddings of the reference's update_global (or update_global_randomly). */
    private static float[] globals(Path source, LsgConfig src, Checkpoint checkpoint, String prefix, float[] positions,
                                   int current, ConversionOptions options) {
        Family family = src.family();
        int e = src.embeddingSize();
        int offset = positionOffset(family);
        SplittableRandom random = new SplittableRandom(options.seed());
        float[] usable = java.util.Arrays.copyOfRange(positions, offset * e, current * e);
        float[] g = GlobalEmbeddings.orderPositions(usable, current - offset, e, options.globalPositionalStride(), random);
        float[] words = checkpoint.get(prefix + "embeddings.word_embeddings.weight").data();
        SpecialTokenIds ids = new SpecialTokenIds(source, family);
        Integer bos = ids.id("bos_token");
        bos = bos != null ? bos : ids.id("cls_token");
        bos = bos != null ? bos : src.bosTokenId();
        if (bos == null) {
            throw new LsgException(source + ": no bos_token, cls_token or bos_token_id to start the global tokens from"
                    + (ids.hasTokenizer() ? "" : " (the folder has no tokenizer files)"));
        }
        // the BERT-style converters (BERT, ELECTRA, ALBERT) add token type 0; RoBERTa's and DistilBERT's do not
        boolean tokenType = options.useTokenIds() && family.embeddings().tokenTypes()
                && family.embeddings().positionIds() == Family.PositionIds.ARANGE;
        float[] types = tokenType ? checkpoint.get(prefix + "embeddings.token_type_embeddings.weight").data() : null;
        int rows = LsgConfig.GLOBAL_EMBEDDING_ROWS;
        if (options.randomGlobalInit()) {
            float[] w = GlobalEmbeddings.sampleLikeWords(words, src.vocabSize(), e, random);
            System.arraycopy(words, bos * e, w, 0, e);
            if (tokenType) {
                GlobalEmbeddings.addToRows(g, 0, rows, types, 0, e);
                GlobalEmbeddings.addToRows(w, 0, 1, types, 0, e);
            }
            for (int i = 0; i < w.length; i++) {
                w[i] += g[i];
            }
            return w;
        }
        Integer mask = ids.id("mask_token");
        if (mask == null) {
            throw new LsgException(source + ": no mask token found (tokenizer_config.json mask_token in the vocabulary),"
                    + " which the global tokens start from; add the tokenizer files or use --random-global-init");
        }
        GlobalEmbeddings.addToRows(g, 0, 1, words, bos * e, e);
        GlobalEmbeddings.addToRows(g, 1, rows, words, mask * e, e);
        if (tokenType) {
            GlobalEmbeddings.addToRows(g, 0, rows, types, 0, e);
        }
        return g;
    }

    private static boolean copyIfPresent(Path source, Path target, String file) throws IOException {
        Path f = source.resolve(file);
        if (!Files.isRegularFile(f)) {
            return false;
        }
        Files.copy(f, target.resolve(file));
        return true;
    }

    private static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (java.io.FileNotFoundException | java.nio.file.NoSuchFileException e) {
            throw new LsgException(file + ": file not found");
        } catch (IOException e) {
            throw new LsgException(file + ": malformed JSON: " + e.getMessage());
        }
    }

    private static void requireEmpty(Path output) {
        if (Files.isRegularFile(output)) {
            throw new LsgException(output + " is a file; the output must be a new folder");
        }
        if (Files.isDirectory(output)) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(output)) {
                if (entries.iterator().hasNext()) {
                    throw new LsgException(output + " already exists and is not empty; choose a new folder");
                }
            } catch (IOException e) {
                throw new LsgException(output + ": cannot read: " + e.getMessage());
            }
        }
        Path parent = output.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            throw new LsgException(output + ": folder " + parent + " does not exist");
        }
    }

}
