package org.lsg4j.tokenizer;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Reads the pipeline components of a tokenizer.json: normalizer, pre_tokenizer, post_processor and
 * decoder, each a JSON object with a {@code type}. Errors name the file and the component's path in
 * it (for instance {@code normalizer.normalizers[1]}).
 */
final class ComponentReader {
    private final Path file;

    ComponentReader(Path file) {
        this.file = file;
    }

    /** The normalizer, or null when the node is null or missing. */
    Normalizer normalizer(JsonNode node, String where) {
        if (absent(node)) {
            return null;
        }
        String type = type(node, where);
        return switch (type) {
            case "Sequence" -> new Normalizer.Sequence(list(node, "normalizers", where, this::normalizer));
            case "BertNormalizer" -> new BertNormalizer(node.path("clean_text").asBoolean(true),
                    node.path("handle_chinese_chars").asBoolean(true),
                    node.path("strip_accents").isBoolean() ? node.get("strip_accents").asBoolean() : null,
                    node.path("lowercase").asBoolean(true));
            case "NFC" -> new Normalizer.Form(UnicodeForms.Form.NFC);
            case "NFD" -> new Normalizer.Form(UnicodeForms.Form.NFD);
            case "NFKC" -> new Normalizer.Form(UnicodeForms.Form.NFKC);
            case "NFKD" -> new Normalizer.Form(UnicodeForms.Form.NFKD);
            case "Lowercase" -> new Normalizer.Lowercase();
            case "Strip" -> new Normalizer.Strip(node.path("strip_left").asBoolean(true), node.path("strip_right").asBoolean(true));
            case "StripAccents" -> new Normalizer.StripAccents();
            case "Nmt" -> new Normalizer.Nmt();
            case "Replace" -> new Normalizer.Replace(pattern(node.path("pattern"), where), text(node, "content", where));
            case "Prepend" -> new Normalizer.Prepend(text(node, "prepend", where));
            case "Precompiled" -> precompiled(node, where);
            default -> throw unsupported(where, type, "BertNormalizer, Sequence, NFC, NFD, NFKC, NFKD, Lowercase, Strip,"
                    + " StripAccents, Nmt, Replace, Prepend, Precompiled");
        };
    }

    /** The pre-tokenizer, or null when the node is null or missing. */
    PreTokenizer preTokenizer(JsonNode node, String where) {
        if (absent(node)) {
            return null;
        }
        String type = type(node, where);
        return switch (type) {
            case "ByteLevel" -> {
                require(!node.path("add_prefix_space").asBoolean(false), where + ".add_prefix_space true is not supported");
                require(node.path("use_regex").asBoolean(true), where + ".use_regex false is not supported");
                yield new ByteLevelPreTokenizer();
            }
            case "BertPreTokenizer" -> new PreTokenizer.Bert();
            case "WhitespaceSplit" -> new PreTokenizer.WhitespaceSplit();
            case "Metaspace" -> metaspace(node, where);
            case "Sequence" -> new PreTokenizer.Sequence(list(node, "pretokenizers", where, this::preTokenizer));
            default -> throw unsupported(where, type, "ByteLevel, BertPreTokenizer, WhitespaceSplit, Metaspace, Sequence");
        };
    }

    /** The post-processor; {@link PostProcessor#none()} when the node is null or missing. */
    PostProcessor postProcessor(JsonNode node, String where) {
        if (absent(node)) {
            return PostProcessor.none();
        }
        String type = type(node, where);
        return switch (type) {
            case "RobertaProcessing" -> {
                require(!node.path("add_prefix_space").asBoolean(false), where + ".add_prefix_space true is not supported");
                JsonNode cls = tokenPair(node.path("cls"), where + ".cls");
                JsonNode sep = tokenPair(node.path("sep"), where + ".sep");
                yield PostProcessor.roberta(cls.get(0).asText(), cls.get(1).intValue(), sep.get(0).asText(), sep.get(1).intValue());
            }
            case "BertProcessing" -> {
                JsonNode cls = tokenPair(node.path("cls"), where + ".cls");
                JsonNode sep = tokenPair(node.path("sep"), where + ".sep");
                yield PostProcessor.bert(cls.get(0).asText(), cls.get(1).intValue(), sep.get(0).asText(), sep.get(1).intValue());
            }
            case "TemplateProcessing" -> template(node, where);
            default -> throw unsupported(where, type, "RobertaProcessing, BertProcessing, TemplateProcessing");
        };
    }

    /** The decoder, or null when the node is null or missing. */
    Decoder decoder(JsonNode node, String where) {
        if (absent(node)) {
            return null;
        }
        String type = type(node, where);
        return switch (type) {
            case "ByteLevel" -> new ByteLevelDecoder();
            case "WordPiece" -> new Decoder.WordPiece(node.path("prefix").asText("##"), node.path("cleanup").asBoolean(true));
            case "Metaspace" -> metaspace(node, where);
            case "ByteFallback" -> new Decoder.ByteFallback();
            case "Fuse" -> new Decoder.Fuse();
            case "Strip" -> new Decoder.Strip(oneChar(node, "content", where), node.path("start").asInt(0), node.path("stop").asInt(0));
            case "Replace" -> new Decoder.Replace(pattern(node.path("pattern"), where), text(node, "content", where));
            case "Sequence" -> new Decoder.Sequence(list(node, "decoders", where, this::decoder));
            default -> throw unsupported(where, type, "ByteLevel, WordPiece, Metaspace, ByteFallback, Fuse, Strip, Replace,"
                    + " Sequence");
        };
    }

    /**
     * Metaspace, as the reference reads it: {@code prepend_scheme} (always, first, never; always
     * when absent), {@code split} (true when absent); the older {@code add_prefix_space: false}
     * must come with {@code prepend_scheme: never}.
     */
    private Metaspace metaspace(JsonNode node, String where) {
        String scheme = node.path("prepend_scheme").asText("always");
        Metaspace.PrependScheme prepend = switch (scheme) {
            case "always" -> Metaspace.PrependScheme.ALWAYS;
            case "first" -> Metaspace.PrependScheme.FIRST;
            case "never" -> Metaspace.PrependScheme.NEVER;
            default -> throw error(where + ".prepend_scheme must be always, first or never, found \"" + LsgException.excerpt(scheme) + "\"");
        };
        require(node.path("add_prefix_space").asBoolean(true) || prepend == Metaspace.PrependScheme.NEVER,
                where + ": add_prefix_space false does not match prepend_scheme " + scheme);
        return new Metaspace(oneChar(node, "replacement", where), prepend, node.path("split").asBoolean(true));
    }

    /**
     * TemplateProcessing: {@code single} and {@code pair} lists of {@code {"Sequence": {"id": "A",
     * "type_id": 0}}} and {@code {"SpecialToken": {"id": "[CLS]", "type_id": 0}}}, and the
     * {@code special_tokens} map from each special token's id to its ids and tokens.
     */
    private PostProcessor template(JsonNode node, String where) {
        JsonNode specials = node.path("special_tokens");
        require(specials.isObject(), where + ".special_tokens must be an object");
        Map<String, JsonNode> byId = new LinkedHashMap<>();
        specials.properties().forEach(e -> byId.put(e.getKey(), e.getValue()));
        List<PostProcessor.Piece> single = pieces(node.path("single"), byId, where + ".single");
        List<PostProcessor.Piece> pair = pieces(node.path("pair"), byId, where + ".pair");
        require(single.stream().noneMatch(p -> p.input() == 1),
                where + ".single uses sequence B, which a single input does not have (only A)");
        require(pair.stream().anyMatch(p -> p.input() == 0) && pair.stream().anyMatch(p -> p.input() == 1),
                where + ".pair must use both sequences A and B");
        return new PostProcessor(single, pair);
    }

    private List<PostProcessor.Piece> pieces(JsonNode list, Map<String, JsonNode> specials, String where) {
        require(list.isArray(), where + " must be an array of pieces");
        List<PostProcessor.Piece> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode p = list.get(i);
            String at = where + "[" + i + "]";
            if (p.has("Sequence")) {
                String id = p.get("Sequence").path("id").asText();
                require(id.equals("A") || id.equals("B"), at + ": the sequence id must be A or B, found \"" + LsgException.excerpt(id) + "\"");
                out.add(PostProcessor.Piece.input(id.equals("A") ? 0 : 1, p.get("Sequence").path("type_id").asInt(0)));
            } else if (p.has("SpecialToken")) {
                String id = p.get("SpecialToken").path("id").asText();
                JsonNode s = specials.get(id);
                require(s != null, at + ": special token \"" + LsgException.excerpt(id) + "\" is not in special_tokens");
                JsonNode ids = s.path("ids");
                JsonNode tokens = s.path("tokens");
                require(ids.isArray() && tokens.isArray() && ids.size() == tokens.size(),
                        "special_tokens." + LsgException.excerpt(id) + " needs ids and tokens of the same length");
                int[] idArray = new int[ids.size()];
                String[] tokenArray = new String[ids.size()];
                for (int k = 0; k < ids.size(); k++) {
                    require(tokens.get(k).isTextual(), "special_tokens." + LsgException.excerpt(id) + " has a token that is not a string");
                    idArray[k] = JsonFiles.id(ids.get(k), file, "special_tokens." + LsgException.excerpt(id) + ".ids[" + k + "]");
                    tokenArray[k] = tokens.get(k).asText();
                }
                out.add(new PostProcessor.Piece(-1, idArray, tokenArray, p.get("SpecialToken").path("type_id").asInt(0)));
            } else {
                throw error(at + " must be {\"Sequence\": ...} or {\"SpecialToken\": ...}, found " + JsonFiles.kind(p));
            }
        }
        return out;
    }

    private Normalizer precompiled(JsonNode node, String where) {
        JsonNode map = node.path("precompiled_charsmap");
        require(map.isTextual(), where + ".precompiled_charsmap must be a base64 string");
        byte[] bytes;
        try {
            bytes = Base64.getDecoder().decode(map.asText());
        } catch (IllegalArgumentException e) {
            throw error(where + ".precompiled_charsmap is not valid base64: " + e.getMessage());
        }
        try {
            return new PrecompiledNormalizer(bytes);
        } catch (LsgException e) {
            throw error(where + ": " + e.getMessage());
        }
    }

    /** {@code {"String": "..."}} (a literal) or {@code {"Regex": "..."}} (java.util.regex, close to the reference's Oniguruma for such patterns). */
    private Pattern pattern(JsonNode node, String where) {
        if (node.path("String").isTextual()) {
            return Pattern.compile(Pattern.quote(node.get("String").asText()));
        }
        require(node.path("Regex").isTextual(), where + ".pattern must be {\"String\": ...} or {\"Regex\": ...}");
        try {
            return Pattern.compile(node.get("Regex").asText());
        } catch (PatternSyntaxException e) {
            throw error(where + ".pattern: cannot compile the regex " + JsonFiles.kind(node.get("Regex")) + ": " + e.getDescription());
        }
    }

    private interface Item<T> {
        T read(JsonNode node, String where);
    }

    private <T> List<T> list(JsonNode node, String field, String where, Item<T> item) {
        JsonNode items = node.path(field);
        require(items.isArray(), where + "." + field + " must be an array");
        List<T> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            T t = item.read(items.get(i), where + "." + field + "[" + i + "]");
            if (t != null) {
                out.add(t);
            }
        }
        return out;
    }

    private JsonNode tokenPair(JsonNode pair, String where) {
        require(pair.isArray() && pair.size() == 2 && pair.get(0).isTextual(), where + " must be [token, id]");
        JsonFiles.id(pair.get(1), file, where + "[1]");
        return pair;
    }

    private String type(JsonNode node, String where) {
        require(node.isObject() && node.path("type").isTextual(), where + " must be an object with a \"type\"");
        return node.get("type").asText();
    }

    private String text(JsonNode node, String field, String where) {
        require(node.path(field).isTextual(), where + "." + field + " must be a string");
        return node.get(field).asText();
    }

    private int oneChar(JsonNode node, String field, String where) {
        String s = text(node, field, where);
        require(s.codePointCount(0, s.length()) == 1, where + "." + field + " must be one character, found \"" + LsgException.excerpt(s) + "\"");
        return s.codePointAt(0);
    }

    private static boolean absent(JsonNode node) {
        return node == null || node.isMissingNode() || node.isNull();
    }

    private LsgException unsupported(String where, String type, String supported) {
        return error(where + " type " + LsgException.excerpt(type) + " is not supported (supported: " + supported + ")");
    }

    private void require(boolean ok, String what) {
        JsonFiles.require(ok, file, what);
    }

    private LsgException error(String what) {
        return JsonFiles.error(file, what);
    }
}
