package org.lsg4j.tokenizer;

import org.lsg4j.LsgException;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * The one {@link Tokenizer} implementation: the reference's pipeline (added tokens, normalizer,
 * pre-tokenizer, model, post-processor, decoder) put together from a {@link TokenizerSpec}.
 * Immutable and thread-safe (the BPE model keeps a bounded concurrent cache of frequent words).
 */
final class PipelineTokenizer implements Tokenizer {
    /** Characters at the end of a prefix whose tokens may differ from the whole text's (see {@link #head}). */
    private static final int MARGIN = 1024;
    /** The first prefix tried holds this many characters per token wanted (English BPE averages about 4). */
    private static final int HEAD_CHARS_PER_TOKEN = 8;

    private final String kind;
    private final SequenceEncoder encoder;
    private final PostProcessor post;
    private final Decoder decoder;
    private final String[] idToToken;
    private final Map<String, Integer> tokenToId;
    private final boolean[] special;
    private final TokenizerSpec.TokenRef pad;
    private final int unkId;
    private final String maskToken;
    private final int maskId;
    private final String subwordPrefix;
    private final boolean cleanUpSpaces;
    private final int modelMaxLength;

    PipelineTokenizer(TokenizerSpec spec) {
        kind = spec.kind();
        int size = spec.modelTokens().length;
        for (AddedToken t : spec.addedTokens()) {
            size = Math.max(size, t.id() + 1);
        }
        idToToken = java.util.Arrays.copyOf(spec.modelTokens(), size);
        special = new boolean[size];
        Map<String, Integer> ids = new HashMap<>(spec.modelIds());
        Map<AddedToken, String> raw = new LinkedHashMap<>();
        Map<AddedToken, String> normalized = new LinkedHashMap<>();
        for (AddedToken t : spec.addedTokens()) {
            idToToken[t.id()] = t.content();
            special[t.id()] = t.special();
            ids.put(t.content(), t.id());
            if (t.normalized()) {
                normalized.put(t, spec.normalizer() == null ? t.content()
                        : spec.normalizer().normalize(Normalized.of(t.content(), 0, t.content().length())).text());
            } else {
                raw.put(t, t.content());
            }
        }
        tokenToId = Map.copyOf(ids);
        encoder = new SequenceEncoder(new AddedTokenSplitter(raw), new AddedTokenSplitter(normalized), spec.normalizer(),
                spec.preTokenizer(), spec.model(), spec.trimOffsets());
        post = spec.postProcessor();
        decoder = spec.decoder();
        pad = spec.pad();
        unkId = spec.unkToken() == null ? -1 : tokenToId.getOrDefault(spec.unkToken(), -1);
        Integer mask = spec.maskToken() == null ? null : tokenToId.get(spec.maskToken());
        maskToken = mask == null ? null : spec.maskToken();
        maskId = mask == null ? -1 : mask;
        subwordPrefix = spec.subwordPrefix();
        cleanUpSpaces = spec.cleanUpSpaces();
        modelMaxLength = spec.modelMaxLength();
    }

    @Override
    public String kind() {
        return kind;
    }

    @Override
    public Encoding encode(String text, boolean addSpecialTokens) {
        return post.build(Slice.whole(encoder.encode(text)), null, addSpecialTokens);
    }

    @Override
    public Encoding encodePair(String text, String pair, boolean addSpecialTokens) {
        return post.build(Slice.whole(encoder.encode(text)), Slice.whole(encoder.encode(pair)), addSpecialTokens);
    }

    @Override
    public BatchEncoding encodeBatch(List<TextInput> inputs, BatchOptions options) {
        List<Encoding> rows = new ArrayList<>(inputs.size());
        List<Integer> samples = new ArrayList<>(inputs.size());
        // truncation without windows keeps at most maxLength tokens of either input: the rest is never tokenized
        int cap = options.truncation() == null || options.truncation().overflowing() ? -1
                : options.truncation().maxLength() + 1;
        for (int i = 0; i < inputs.size(); i++) {
            TextInput input = inputs.get(i);
            Slice a = head(input.text(), cap);
            Slice b = input.pair() == null ? null : head(input.pair(), cap);
            List<Truncator.Parts> parts = options.truncation() == null ? List.of(new Truncator.Parts(a, b))
                    : Truncator.apply(options.truncation(), a, b, post.added(b != null, options.addSpecialTokens()));
            for (Truncator.Parts p : parts) {
                rows.add(post.build(p.a(), p.b(), options.addSpecialTokens()));
                samples.add(i);
            }
        }
        Padding padding = options.padding();
        if (padding != null) {
            int longest = rows.stream().mapToInt(Encoding::length).max().orElse(0);
            int target = padding.target(longest);
            int padId = padding.padId() >= 0 ? padding.padId() : padId();
            String padToken = padId < idToToken.length && idToToken[padId] != null ? idToToken[padId] : "";
            rows.replaceAll(e -> e.padded(target, padId, padToken, padding.left()));
        }
        return new BatchEncoding(rows, samples);
    }

    /**
     * The encoding of {@code text}, or with {@code cap >= 0} its first tokens, at least
     * {@code cap} of them when it has that many, equal to the first tokens of the whole text's
     * encoding. A long text is encoded a prefix at a time (the prefix doubling until it gives
     * enough tokens), so that truncating a document of many megabytes to a model's length reads
     * and holds about as much text as the tokens kept. Tokens ending within {@link #MARGIN}
     * characters of a prefix's cut are not trusted and not kept, nor those of a word that reaches
     * into the margin: every component of the pipelines lsg4j reads decides a token from its word
     * and the text around it, not from text thousands of characters further on, so the tokens of
     * the words before the margin are those of the whole text.
     */
    private Slice head(String text, int cap) {
        if (cap < 0) {
            return Slice.whole(encoder.encode(text));
        }
        for (long prefix = HEAD_CHARS_PER_TOKEN * cap + 2L * MARGIN; ; prefix *= 2) {
            if (prefix >= text.length()) {
                return Slice.whole(encoder.encode(text));
            }
            int cut = (int) prefix;
            if (Character.isHighSurrogate(text.charAt(cut - 1)) && Character.isLowSurrogate(text.charAt(cut))) {
                cut--;
            }
            Encoding e = encoder.encode(text.substring(0, cut));
            int trusted = 0;
            while (trusted < e.length() && e.end(trusted) <= cut - MARGIN) {
                trusted++;
            }
            // nor the tokens of a word that reaches into the margin: WordPiece decides a word as a whole
            // (max_input_chars_per_word), and characters the normalizer removes can stretch one word
            // over any number of characters of the text
            while (trusted > 0 && trusted < e.length() && e.wordId(trusted) >= 0
                    && e.wordId(trusted - 1) == e.wordId(trusted)) {
                trusted--;
            }
            if (trusted >= cap) {
                return new Slice(e, 0, trusted);
            }
        }
    }

    @Override
    public String decode(int[] ids, boolean skipSpecialTokens) {
        return decode(ids, skipSpecialTokens, cleanUpSpaces);
    }

    @Override
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
        String text = decoder == null ? String.join(" ", tokens) : decoder.decode(tokens);
        return cleanUpTokenizationSpaces ? Decoder.cleanUpTokenization(text) : text;
    }

    @Override
    public String idToToken(int id) {
        if (id < 0 || id >= idToToken.length || idToToken[id] == null) {
            throw new LsgException("token id " + id + " is not in the vocabulary");
        }
        return idToToken[id];
    }

    @Override
    public OptionalInt tokenToId(String token) {
        Integer id = tokenToId.get(token);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    @Override
    public boolean isSpecial(int id) {
        return id >= 0 && id < special.length && special[id];
    }

    @Override
    public int vocabSize() {
        return idToToken.length;
    }

    @Override
    public int padId() {
        if (pad == null) {
            throw new LsgException("the tokenizer has no pad token (no padding section, pad_token, <pad> or [PAD]):"
                    + " give a pad id to pad with");
        }
        return pad.id();
    }

    @Override
    public int modelMaxLength() {
        return modelMaxLength;
    }

    @Override
    public Optional<String> maskToken() {
        return Optional.ofNullable(maskToken);
    }

    @Override
    public OptionalInt maskId() {
        return maskId < 0 ? OptionalInt.empty() : OptionalInt.of(maskId);
    }

    @Override
    public int numSpecialTokens(boolean pair) {
        return post.added(pair);
    }

    @Override
    public boolean isSubword(Encoding e, int i, String source) {
        int id = e.id(i);
        if (id == unkId) {
            return false;
        }
        int start = e.start(i);
        if (!subwordPrefix.isEmpty()) {
            String word = idToToken(id);
            return word.codePointCount(0, word.length()) != source.codePointCount(start, e.end(i));
        }
        return start > 0 && source.charAt(start - 1) != ' ' && (start >= source.length() || source.charAt(start) != ' ');
    }

    @Override
    public String toString() {
        return "Tokenizer[" + kind + ", " + vocabSize() + " tokens"
                + (modelMaxLength() == Integer.MAX_VALUE ? "" : ", model_max_length " + modelMaxLength()) + "]";
    }
}
