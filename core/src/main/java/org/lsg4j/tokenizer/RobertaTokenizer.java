package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The byte-level BPE tokenizer of RoBERTa models, giving the same ids, tokens, offsets and decoded
 * text as the Hugging Face tokenizers library. Immutable and thread-safe (a bounded concurrent
 * cache keeps the BPE of frequent words).
 *
 * <p>Offsets are Java {@code String} (UTF-16) indices; see {@link Encoding}. Text is read as code
 * points with lone surrogates taken as U+FFFD (the bytes EF BF BD); any string can be encoded.
 */
public final class RobertaTokenizer {
    private final SequenceEncoder encoder;
    private final RobertaTemplate template;
    private final String[] idToToken;
    private final Map<String, Integer> tokenToId;
    private final boolean[] special;
    private final TokenizerSpec.TokenRef pad;
    private final boolean cleanUpSpaces;
    private final int modelMaxLength;

    private RobertaTokenizer(TokenizerSpec spec) {
        int size = 0;
        for (int id : spec.vocab().values()) {
            size = Math.max(size, id + 1);
        }
        for (AddedToken t : spec.addedTokens()) {
            size = Math.max(size, t.id() + 1);
        }
        idToToken = new String[size];
        spec.vocab().forEach((token, id) -> idToToken[id] = token);
        special = new boolean[size];
        Map<String, Integer> ids = new HashMap<>(spec.vocab());
        for (AddedToken t : spec.addedTokens()) {
            idToToken[t.id()] = t.content();
            special[t.id()] = t.special();
            ids.put(t.content(), t.id());
        }
        tokenToId = Map.copyOf(ids);
        BpeModel bpe = new BpeModel(mergeTable(spec), byteIds(spec.vocab()), spec.vocab(), spec.ignoreMerges());
        encoder = new SequenceEncoder(new AddedTokenSplitter(spec.addedTokens()), bpe, idToToken, spec.trimOffsets());
        template = new RobertaTemplate(spec.cls().token(), spec.cls().id(), spec.sep().token(), spec.sep().id());
        pad = spec.pad();
        cleanUpSpaces = spec.cleanUpSpaces();
        modelMaxLength = spec.modelMaxLength();
    }

    /**
     * Loads the tokenizer of a model folder: {@code tokenizer.json} when present, otherwise
     * {@code vocab.json} + {@code merges.txt}; {@code tokenizer_config.json} and
     * {@code special_tokens_map.json} are read when present.
     *
     * @throws LsgException when the folder or a needed file is missing or malformed
     */
    public static RobertaTokenizer load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new LsgException("tokenizer folder " + dir + " does not exist");
        }
        TokenizerConfig config = TokenizerConfig.read(dir);
        if (Files.isRegularFile(dir.resolve(TokenizerJsonReader.FILE))) {
            return new RobertaTokenizer(TokenizerJsonReader.read(dir, config));
        }
        for (String file : new String[] {VocabMergesReader.VOCAB_FILE, VocabMergesReader.MERGES_FILE}) {
            if (!Files.isRegularFile(dir.resolve(file))) {
                throw new LsgException(dir + " has no " + TokenizerJsonReader.FILE + " and no " + file
                        + " (expected tokenizer.json, or vocab.json with merges.txt)");
            }
        }
        return new RobertaTokenizer(VocabMergesReader.read(dir, config));
    }

    private static MergeTable mergeTable(TokenizerSpec spec) {
        int n = spec.merges().size();
        int[] left = new int[n];
        int[] right = new int[n];
        int[] merged = new int[n];
        for (int r = 0; r < n; r++) {
            String[] m = spec.merges().get(r);
            left[r] = idOf(spec.vocab(), m[0], r);
            right[r] = idOf(spec.vocab(), m[1], r);
            merged[r] = idOf(spec.vocab(), m[0] + m[1], r);
        }
        return MergeTable.of(left, right, merged);
    }

    private static int idOf(Map<String, Integer> vocab, String token, int rank) {
        Integer id = vocab.get(token);
        if (id == null) {
            throw new LsgException("merge rule " + rank + " uses \"" + token + "\", which is not in the vocabulary");
        }
        return id;
    }

    private static int[] byteIds(Map<String, Integer> vocab) {
        int[] ids = new int[256];
        for (int b = 0; b < 256; b++) {
            Integer id = vocab.get(String.valueOf(ByteLevelAlphabet.charOf(b)));
            if (id == null) {
                throw new LsgException("the vocabulary lacks the byte-level token for byte " + b
                        + " (\"" + ByteLevelAlphabet.charOf(b) + "\"); it is not a byte-level BPE vocabulary");
            }
            ids[b] = id;
        }
        return ids;
    }

    /** Encodes a text with special tokens: {@code <s> A </s>}. */
    public Encoding encode(String text) {
        return encode(text, true);
    }

    /** Encodes a text, with or without {@code <s>} and {@code </s>} around it. */
    public Encoding encode(String text, boolean addSpecialTokens) {
        return template.build(Slice.whole(encoder.encode(text)), null, addSpecialTokens);
    }

    /** Encodes a pair: {@code <s> A </s></s> B </s>}, or A's tokens then B's without special tokens. */
    public Encoding encodePair(String text, String pair, boolean addSpecialTokens) {
        return template.build(Slice.whole(encoder.encode(text)), Slice.whole(encoder.encode(pair)), addSpecialTokens);
    }

    /**
     * Encodes a batch with optional truncation (and overflowing windows) and padding. Inputs are
     * encoded one after the other on the calling thread; the tokenizer may be shared across threads.
     */
    public BatchEncoding encodeBatch(List<TextInput> inputs, BatchOptions options) {
        List<Encoding> rows = new ArrayList<>(inputs.size());
        List<Integer> samples = new ArrayList<>(inputs.size());
        for (int i = 0; i < inputs.size(); i++) {
            TextInput input = inputs.get(i);
            Slice a = Slice.whole(encoder.encode(input.text()));
            Slice b = input.pair() == null ? null : Slice.whole(encoder.encode(input.pair()));
            List<Truncator.Parts> parts = options.truncation() == null ? List.of(new Truncator.Parts(a, b))
                    : Truncator.apply(options.truncation(), a, b, template.added(b != null, options.addSpecialTokens()));
            for (Truncator.Parts p : parts) {
                rows.add(template.build(p.a(), p.b(), options.addSpecialTokens()));
                samples.add(i);
            }
        }
        Padding padding = options.padding();
        if (padding != null) {
            int longest = rows.stream().mapToInt(Encoding::length).max().orElse(0);
            int target = padding.target(longest);
            int padId = padding.padId() >= 0 ? padding.padId() : pad.id();
            String padToken = padId < idToToken.length && idToToken[padId] != null ? idToToken[padId] : pad.token();
            rows.replaceAll(e -> e.padded(target, padId, padToken, padding.left()));
        }
        return new BatchEncoding(rows, samples);
    }

    /** Decodes ids to text, applying clean_up_tokenization_spaces as the folder configures it. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, cleanUpSpaces);
    }

    /**
     * Decodes ids to text as the reference's ByteLevel decoder does; with
     * {@code skipSpecialTokens} the special added tokens are left out. Whitespace a {@code <mask>}
     * swallowed when encoding does not come back.
     *
     * @throws LsgException when an id is outside the vocabulary
     */
    public String decode(int[] ids, boolean skipSpecialTokens, boolean cleanUpTokenizationSpaces) {
        List<String> tokens = new ArrayList<>(ids.length);
        for (int id : ids) {
            if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
                throw new LsgException("token id " + id + " is not in the vocabulary (0.." + (idToToken.length - 1) + ")");
            }
            if (!(skipSpecialTokens && special[id])) {
                tokens.add(idToToken[id]);
            }
        }
        String text = ByteLevelDecoder.decode(tokens);
        return cleanUpTokenizationSpaces ? ByteLevelDecoder.cleanUpSpaces(text) : text;
    }

    /** The vocabulary string of an id (an added token's content for added tokens). */
    public String idToToken(int id) {
        if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
            throw new LsgException("token id " + id + " is not in the vocabulary");
        }
        return idToToken[id];
    }

    /** The id of a vocabulary string or added token (as written, e.g. {@code "Ġcapital"}, {@code "<mask>"}), if any. */
    public OptionalInt tokenToId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** Whether an id is a special token ({@code <s>}, {@code </s>}, {@code <pad>}, {@code <mask>}, ...). */
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    /** Number of ids (one more than the largest id). */
    public int vocabSize() {
        return idToToken.length;
    }

    /** The padding token's id. */
    public int padId() {
        return pad.id();
    }

    /** model_max_length from tokenizer_config.json, or {@link Integer#MAX_VALUE} when not set. */
    public int modelMaxLength() {
        return modelMaxLength;
    }
}
