package org.lsg4j.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.pipelines.TaskModel;
import org.lsg4j.tokenizer.BatchOptions;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.Tokenizer;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Truncation;

import java.util.ArrayList;
import java.util.List;

/**
 * The inputs of text-embeddings-inference's requests and their encoding. {@code inputs} is a
 * string, a list of token ids, or a list of either; /predict's is a string, a pair
 * {@code [a, b]}, or a list of {@code [a]} and {@code [a, b]}. Encoding adds the special tokens;
 * ids are taken as they are (TEI decodes and re-encodes them without special tokens, which gives
 * the same ids for ids a tokenizer made). An input longer than the model is truncated when
 * {@code truncate} is on, else it is a 422 naming the field.
 */
final class Inputs {
    /** A text, a text pair, or token ids. */
    record Input(String text, String pair, int[] ids) {
        static Input text(String text) {
            return new Input(text, null, null);
        }

        TextInput textInput() {
            return TextInput.of(text, pair);
        }
    }

    /** Inputs and whether the request sent one (not a list): TEI's response shape follows it. */
    record Parsed(List<Input> inputs, boolean single) {
    }

    private Inputs() {
    }

    /** TEI's {@code Input}: a string, token ids, or a list of strings and token ids. */
    static Parsed tei(Fields body, String field, int maxBatch, int vocab) {
        JsonNode v = body.raw(field);
        String name = body.name(field);
        if (v == null || v.isNull()) {
            throw ApiError.validation("`" + name + "` is required");
        }
        if (v.isTextual()) {
            return new Parsed(List.of(Input.text(v.textValue())), true);
        }
        if (!v.isArray()) {
            throw ApiError.validation("`" + name + "` must be a string, a list of token ids, or a list of those, found "
                    + Fields.kind(v));
        }
        if (v.isEmpty()) {
            throw ApiError.empty(name);
        }
        if (v.get(0).isNumber()) {
            return new Parsed(List.of(new Input(null, null, ids(v, name, vocab))), true);
        }
        checkBatch(v.size(), maxBatch);
        List<Input> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            JsonNode item = v.get(i);
            String at = name + "[" + i + "]";
            if (item.isTextual()) {
                out.add(Input.text(item.textValue()));
            } else if (item.isArray() && !item.isEmpty()) {
                out.add(new Input(null, null, ids(item, at, vocab)));
            } else {
                throw ApiError.validation("`" + at + "` must be a string or a non-empty list of token ids, found "
                        + Fields.kind(item));
            }
        }
        return new Parsed(out, false);
    }

    /** /predict's {@code PredictInput}: a string, a pair of strings, or a list of [text] and [text, pair]. */
    static Parsed predict(Fields body, int maxBatch) {
        JsonNode v = body.raw("inputs");
        if (v == null || v.isNull()) {
            throw ApiError.validation("`inputs` is required");
        }
        if (v.isTextual()) {
            return new Parsed(List.of(Input.text(v.textValue())), true);
        }
        if (!v.isArray() || v.isEmpty()) {
            if (v.isArray()) {
                throw ApiError.empty("inputs");
            }
            throw ApiError.validation("`inputs` must be a string, a pair [text, text_pair], or a list of [text] and"
                    + " [text, text_pair], found " + Fields.kind(v));
        }
        if (v.get(0).isTextual()) {
            return new Parsed(List.of(pair(v, "inputs")), true);
        }
        checkBatch(v.size(), maxBatch);
        List<Input> out = new ArrayList<>(v.size());
        for (int i = 0; i < v.size(); i++) {
            out.add(pair(v.get(i), "inputs[" + i + "]"));
        }
        return new Parsed(out, false);
    }

    /** [text] or [text, pair]. */
    private static Input pair(JsonNode v, String name) {
        if (!v.isArray() || v.isEmpty() || v.size() > 2 || !v.get(0).isTextual() || !v.get(v.size() - 1).isTextual()) {
            throw ApiError.validation("`" + name + "` must be [text] or [text, text_pair], found " + Fields.kind(v));
        }
        return new Input(v.get(0).textValue(), v.size() == 2 ? v.get(1).textValue() : null, null);
    }

    static void checkBatch(int size, int maxBatch) {
        if (size > maxBatch) {
            throw ApiError.tooLarge("batch size " + size + " > maximum allowed batch size " + maxBatch);
        }
    }

    private static int[] ids(JsonNode v, String name, int vocab) {
        int[] ids = new int[v.size()];
        for (int i = 0; i < ids.length; i++) {
            JsonNode x = v.get(i);
            if (!x.isIntegralNumber() || !x.canConvertToInt() || x.intValue() < 0 || x.intValue() >= vocab) {
                throw ApiError.validation("`" + name + "[" + i + "]` must be a token id in [0, " + vocab
                        + ") (vocab_size), found " + Fields.kind(x));
            }
            ids[i] = x.intValue();
        }
        return ids;
    }

    /**
     * Encodes one input with special tokens (ids: as they are), within the model's limit.
     *
     * @param field names the input in the 422 for one that is too long
     */
    static Encoding encode(TaskModel model, Input in, boolean truncate, String field) {
        Tokenizer tokenizer = model.tokenizer();
        int limit = model.maxTokens();
        Encoding full;
        if (in.ids() != null) {
            // TEI: decode without skipping special tokens, encode without adding them
            full = tokenizer.encode(tokenizer.decode(in.ids(), false, false), false);
        } else {
            full = in.pair() == null ? tokenizer.encode(in.text()) : tokenizer.encodePair(in.text(), in.pair(), true);
        }
        if (full.length() <= limit) {
            return full;
        }
        if (!truncate) {
            throw ApiError.validation("`" + field + "` must have less than " + limit + " tokens. Given: " + full.length());
        }
        BatchOptions options = BatchOptions.defaults().withTruncation(Truncation.longestFirst(limit));
        if (in.ids() != null) {
            options = options.withoutSpecialTokens();
            return tokenizer.encodeBatch(List.of(TextInput.of(tokenizer.decode(in.ids(), false, false))), options).get(0);
        }
        return tokenizer.encodeBatch(List.of(in.textInput()), options).get(0);
    }

    /** {@code truncation_direction}: lsg4j truncates on the right only. */
    static void checkDirection(Fields f) {
        String d = f.string("truncation_direction", "Right");
        if (!d.equalsIgnoreCase("right")) {
            if (d.equalsIgnoreCase("left")) {
                throw ApiError.validation("`" + f.name("truncation_direction") + "` Left is not supported: lsg4j"
                        + " truncates on the right");
            }
            throw ApiError.validation("`" + f.name("truncation_direction") + "` must be Left or Right, found " + d);
        }
    }
}
