package org.lsg4j.convert;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The arguments of a conversion, named and defaulted as the reference converter's
 * ({@code convert_checkpoint.py} of ccdv-ai/convert_checkpoint_to_lsg).
 *
 * @param maxLength              the new max sequence length (max_sequence_length)
 * @param configKeys             LSG config keys to set (the converter's model_kwargs): block_size,
 *                               sparse_block_size, sparsity_factor, sparsity_type, num_global_tokens, ...,
 *                               as JSON values; keys not given keep the source's or the LSG defaults
 * @param globalPositionalStride position stride between global tokens
 * @param randomGlobalInit       draw the global tokens from a normal fitted on the word embeddings
 * @param seed                   seed of every random draw the conversion makes
 * @param keepFirstGlobalToken   keep global token 0 of an LSG source
 * @param resizeLsg              an LSG source: only tile the positions, keep the global tokens
 * @param useTokenIds            add token type 0 to the global tokens (families that have it)
 */
public record ConversionOptions(int maxLength, Map<String, String> configKeys, int globalPositionalStride,
                                boolean randomGlobalInit, long seed, boolean keepFirstGlobalToken,
                                boolean resizeLsg, boolean useTokenIds) {

    public ConversionOptions {
        configKeys = Map.copyOf(configKeys);
    }

    /** The reference's defaults: 4,096 tokens, stride 64, seed 123, token ids used, LSG defaults. */
    public static ConversionOptions defaults() {
        return new ConversionOptions(4096, Map.of(), 64, false, 123, false, false, true);
    }

    public ConversionOptions withMaxLength(int tokens) {
        return new ConversionOptions(tokens, configKeys, globalPositionalStride, randomGlobalInit, seed,
                keepFirstGlobalToken, resizeLsg, useTokenIds);
    }

    /** The same options with one more LSG config key set (a JSON value: {@code 64}, {@code "norm"}, {@code true}). */
    public ConversionOptions withConfig(String key, String jsonValue) {
        Map<String, String> keys = new LinkedHashMap<>(configKeys);
        keys.put(key, jsonValue);
        return new ConversionOptions(maxLength, keys, globalPositionalStride, randomGlobalInit, seed,
                keepFirstGlobalToken, resizeLsg, useTokenIds);
    }

    public ConversionOptions withGlobalPositionalStride(int stride) {
        return new ConversionOptions(maxLength, configKeys, stride, randomGlobalInit, seed, keepFirstGlobalToken,
                resizeLsg, useTokenIds);
    }

    public ConversionOptions withRandomGlobalInit(boolean random, long randomSeed) {
        return new ConversionOptions(maxLength, configKeys, globalPositionalStride, random, randomSeed,
                keepFirstGlobalToken, resizeLsg, useTokenIds);
    }

    public ConversionOptions withKeepFirstGlobalToken(boolean keep) {
        return new ConversionOptions(maxLength, configKeys, globalPositionalStride, randomGlobalInit, seed, keep,
                resizeLsg, useTokenIds);
    }

    public ConversionOptions withResizeLsg(boolean resize) {
        return new ConversionOptions(maxLength, configKeys, globalPositionalStride, randomGlobalInit, seed,
                keepFirstGlobalToken, resize, useTokenIds);
    }

    public ConversionOptions withUseTokenIds(boolean use) {
        return new ConversionOptions(maxLength, configKeys, globalPositionalStride, randomGlobalInit, seed,
                keepFirstGlobalToken, resizeLsg, use);
    }
}
