package org.lsg4j.io;

/**
 * Every size limit lsg4j applies to what it reads, in one place. Model folders, documents and
 * requests come from the internet, so each size read from an input is checked against one of
 * these before anything of that size is allocated; messages name the limit that was hit.
 *
 * <p>The limits sit far above what real checkpoints need (the numbers in brackets) and low enough
 * that a few megabytes of crafted input cannot ask for gigabytes of memory.
 */
public final class Limits {
    private static final int MIB = 1 << 20;

    /** config.json, tokenizer_config.json, special_tokens_map.json and the like [a few KB]. */
    public static final long CONFIG_BYTES = 4L * MIB;

    /** model.safetensors.index.json and pytorch_model.bin.index.json [under 1 MB]. */
    public static final long INDEX_BYTES = 64L * MIB;

    /** tokenizer.json, vocab.json, merges.txt, vocab.txt [up to 17 MB for XLM-RoBERTa's tokenizer.json]. */
    public static final long TOKENIZER_BYTES = 256L * MIB;

    /** Token ids, in a vocabulary file or a config's vocab_size [250,002 for XLM-RoBERTa]. */
    public static final int VOCABULARY = 1 << 22;

    /** JSON values (tokens) in one JSON document [1.3 M in XLM-RoBERTa's tokenizer.json]. */
    public static final long JSON_TOKENS = 16_000_000;

    /** Nesting depth of a JSON document [under 10]. */
    public static final int JSON_DEPTH = 64;

    /** A safetensors header [a few hundred KB]; the limit the safetensors library applies too. */
    public static final long SAFETENSORS_HEADER_BYTES = 100L * MIB;

    /** Tensors in one weight file [a few thousand]. */
    public static final int TENSORS = 1 << 17;

    /** The data.pkl of a torch zip checkpoint [a few hundred KB]. */
    public static final long PICKLE_BYTES = 64L * MIB;

    /** Values on the pickle stack, memo entries and open MARKs, and containers nested in one another. */
    public static final int PICKLE_STACK = 1 << 20;

    /** Uncompressed size over compressed size of a compressed zip entry [torch stores entries uncompressed]. */
    public static final int ZIP_RATIO = 100;

    /** A token file such as HF_HOME/token, or a cache ref [under 100 bytes]. */
    public static final long SMALL_FILE_BYTES = 64 * 1024;

    /** One JSON line of command input, in UTF-8 bytes [a long report is a few hundred KB]. */
    public static final int LINE_BYTES = 16 * MIB;

    private Limits() {
    }

    /** A byte count for messages: {@code 4 MiB}, {@code 64 KiB}, {@code 100 bytes}. */
    public static String bytes(long n) {
        if (n >= MIB && n % MIB == 0) {
            return n / MIB + " MiB";
        }
        if (n >= 1024 && n % 1024 == 0) {
            return n / 1024 + " KiB";
        }
        return n + " bytes";
    }
}
