package org.lsg4j.model;

import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;

/**
 * What one encoder family (BERT, RoBERTa, DistilBERT, ...) defines on top of the shared LSG
 * machinery: how its config.json spells the encoder's keys and their defaults, its checkpoint key
 * names, its embeddings, its layer layout and its heads. Everything else (LSG attention, the
 * sparsity types, the encoder wrapper, losses) is family-neutral. A new family is a new descriptor
 * listed in {@link #all()}; see {@link BertFamily} for the pattern.
 *
 * @param modelType       config.json {@code model_type}
 * @param classStem       the stem of the class names: {@code LSG<stem>ForMaskedLM}, {@code <stem>ForMaskedLM}
 * @param baseModelPrefix the attribute holding the encoder in task models: keys start with {@code <prefix>.}
 * @param modelingFile    the reference's Python module, named in {@code auto_map}
 * @param configKeys      canonical (BERT) config key to this family's spelling, where it differs
 * @param defaults        canonical config key to the default the family's Python config class uses
 * @param embeddings      the embedding layer
 * @param layers          where each layer's keys live and what they are called
 * @param pooler          the pooler's linear layer ({@code pooler.dense}, ALBERT's {@code pooler}), or null
 * @param heads           the task heads the family defines, by head
 * @param architectures   class-name suffixes the family defines beyond the heads lsg4j runs
 *                        ({@code ForPreTraining}, ...): converted and recognised, not run
 * @param autoMap         auto_map entries the reference writes: auto class to class-name suffix
 * @param specialTokens   the family's tokenizer defaults, role ({@code bos_token}, {@code cls_token},
 *                        {@code mask_token}) to token, for folders whose tokenizer_config.json does not say
 */
public record Family(String modelType, String classStem, String baseModelPrefix, String modelingFile,
                     Map<String, String> configKeys, Map<String, Object> defaults, EmbeddingSpec embeddings,
                     LayerSpec layers, String pooler, Map<Head, HeadSpec> heads, List<String> architectures,
                     Map<String, String> autoMap, Map<String, String> specialTokens) {

    /** The special tokens of BERT's tokenizer (WordPiece): no bos, [CLS] first. */
    static final Map<String, String> BERT_TOKENS = Map.of("cls_token", "[CLS]", "sep_token", "[SEP]",
            "pad_token", "[PAD]", "mask_token", "[MASK]", "unk_token", "[UNK]");

    /** The special tokens of RoBERTa's and SentencePiece XLM-R's tokenizers. */
    static final Map<String, String> ROBERTA_TOKENS = Map.of("bos_token", "<s>", "cls_token", "<s>",
            "eos_token", "</s>", "sep_token", "</s>", "pad_token", "<pad>", "mask_token", "<mask>", "unk_token", "<unk>");

    /** Every family lsg4j runs; a holder, so that a descriptor's own initialisation never sees it half made. */
    private static final class Registry {
        static final List<Family> ALL = List.of(RobertaFamily.FAMILY, BertFamily.FAMILY, DistilBertFamily.FAMILY,
                XlmRobertaFamily.FAMILY, CamembertFamily.FAMILY, ElectraFamily.FAMILY, AlbertFamily.FAMILY);
    }

    /** Every family lsg4j runs. */
    public static List<Family> all() {
        return Registry.ALL;
    }

    public Family {
        configKeys = Map.copyOf(configKeys);
        defaults = Map.copyOf(defaults);
        heads = Map.copyOf(heads);
        architectures = List.copyOf(architectures);
        autoMap = Map.copyOf(autoMap);
        specialTokens = Map.copyOf(specialTokens);
    }

    /** The family of a config.json {@code model_type}, or null. */
    public static Family ofModelType(String modelType) {
        for (Family f : all()) {
            if (f.modelType.equals(modelType)) {
                return f;
            }
        }
        return null;
    }

    /** The key config.json uses for a canonical (BERT-spelled) key. */
    public String key(String canonical) {
        return configKeys.getOrDefault(canonical, canonical);
    }

    /** The class name of a head: {@code LSGBertForMaskedLM}, or {@code BertForMaskedLM} for a plain model. */
    public String className(Head head, boolean lsg) {
        return (lsg ? "LSG" : "") + classStem + head.suffix();
    }

    /**
     * config.json's auto_map for the LSG classes, as the reference writes it: auto class to
     * {@code <modeling file>.LSG<stem><suffix>}, sorted by auto class.
     */
    public Map<String, String> autoMapClasses() {
        Map<String, String> out = new java.util.TreeMap<>();
        autoMap.forEach((auto, suffix) -> out.put(auto, modelingFile + ".LSG" + classStem + suffix));
        return out;
    }

    /** How position ids are derived from the input ids. */
    public enum PositionIds {
        /** {@code 0 .. t-1} on every row (BERT and most families). */
        ARANGE,
        /**
         * RoBERTa's rule: a non-pad token gets {@code pad_token_id + (non-pad tokens up to it)}, a
         * pad token {@code pad_token_id}, so the table needs {@code pad_token_id + 1} extra rows.
         */
        PADDING_OFFSET
    }

    /** Where a projection from embedding_size to hidden_size sits. */
    public enum Projection {
        /** None: the embeddings have hidden_size. */
        NONE,
        /** After the embedding LayerNorm, before the encoder (ELECTRA's {@code embeddings_project}). */
        AFTER_EMBEDDINGS,
        /** Inside the encoder, after adaptive padding (ALBERT's {@code encoder.embedding_hidden_mapping_in}). */
        IN_ENCODER
    }

    /**
     * The embedding layer ({@code embeddings.*}): word + position (+ token type) embeddings, the
     * global tokens prepended, LayerNorm.
     *
     * @param positionIds    the position rule
     * @param tokenTypes     whether {@code token_type_embeddings} exist
     * @param projection     where the embedding_size to hidden_size projection is
     * @param projectionName its checkpoint name (relative to the encoder prefix), or null
     * @param layerNormEps   a fixed epsilon of the embedding LayerNorm (DistilBERT's 1e-12), or null for layer_norm_eps
     */
    public record EmbeddingSpec(PositionIds positionIds, boolean tokenTypes, Projection projection,
                                String projectionName, Double layerNormEps) {
    }

    /**
     * The layers: each distinct layer's key prefix, the names inside a post-LayerNorm layer (relative
     * to its prefix, in the order of the computation), and the order the encoder applies them in.
     *
     * @param prefixes the key prefix of each distinct layer (ALBERT shares a few across the depth)
     * @param schedule for each hidden state after the embeddings, the distinct layers applied to reach it
     */
    public record LayerSpec(Function<LsgConfig, List<String>> prefixes, String query, String key, String value,
                            String attentionOutput, String attentionLayerNorm, String intermediate, String output,
                            String outputLayerNorm, Function<LsgConfig, int[][]> schedule) {

        /** Layers {@code <stack>.0.}, {@code <stack>.1.}, ... applied once each, in order. */
        public static LayerSpec stack(String stack, String query, String key, String value, String attentionOutput,
                                      String attentionLayerNorm, String intermediate, String output,
                                      String outputLayerNorm) {
            return new LayerSpec(c -> java.util.stream.IntStream.range(0, c.numHiddenLayers())
                    .mapToObj(i -> stack + "." + i + ".").toList(), query, key, value, attentionOutput,
                    attentionLayerNorm, intermediate, output, outputLayerNorm,
                    c -> java.util.stream.IntStream.range(0, c.numHiddenLayers()).mapToObj(i -> new int[]{i})
                            .toArray(int[][]::new));
        }
    }

    /** What a head reads from the encoder. */
    public enum Input {
        /** Every position of last_hidden_state. */
        TOKENS,
        /** Row 0 of last_hidden_state (global token 0 with pool_with_global). */
        FIRST_TOKEN,
        /** pooler_output. */
        POOLER
    }

    /** A head: its input, then layers applied in order; names relative to the checkpoint root. */
    public record HeadSpec(Input input, List<Step> steps) {
        public HeadSpec {
            steps = List.copyOf(steps);
        }

        public static HeadSpec of(Input input, Step... steps) {
            return new HeadSpec(input, List.of(steps));
        }

        /**
         * Whether a checkpoint key is one of this head's tensors: a weight or bias of its layers, or
         * the decoder's bias (the decoder's weight is the word embeddings).
         */
        public boolean owns(String key) {
            for (Step step : steps) {
                String layer = switch (step) {
                    case Dense d -> d.name();
                    case Norm n -> n.name();
                    case TiedDecoder t -> t.decoder();
                };
                if (key.equals(layer + ".weight") || key.equals(layer + ".bias")
                        || step instanceof TiedDecoder t && key.equals(t.bias())) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One layer of a head. */
    public sealed interface Step permits Dense, Norm, TiedDecoder {
    }

    /**
     * A linear layer {@code name.weight}, {@code name.bias}, then an activation.
     *
     * @param out        its output width, from the config
     * @param activation its activation, from the config
     */
    public record Dense(String name, ToIntFunction<LsgConfig> out, Function<LsgConfig, Activation> activation)
            implements Step {

        /** A linear layer with no activation. */
        public static Dense linear(String name, ToIntFunction<LsgConfig> out) {
            return new Dense(name, out, c -> Activation.IDENTITY);
        }

        /** A linear layer followed by a fixed activation. */
        public static Dense with(String name, ToIntFunction<LsgConfig> out, Activation activation) {
            return new Dense(name, out, c -> activation);
        }
    }

    /** A LayerNorm {@code name.weight}, {@code name.bias}; eps null for the config's layer_norm_eps. */
    public record Norm(String name, Double eps) implements Step {
    }

    /**
     * The decoder over the vocabulary: {@code decoder.weight} is tied to the word embeddings (a
     * checkpoint may omit it; a stored copy is ignored, as the reference re-ties it), the bias is
     * {@code bias}, or {@code decoder.bias} when a checkpoint stores it under that name.
     */
    public record TiedDecoder(String decoder, String bias) implements Step {
    }
}
