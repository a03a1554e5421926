package org.lsg4j.io;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.TreeMap;

/**
 * JSON laid out as Hugging Face's {@code save_pretrained} writes config.json and
 * tokenizer_config.json ({@code json.dumps(..., indent=2, sort_keys=True)}): keys sorted at every
 * level, two-space indentation, one array element per line, {@code "key": value}, a final newline.
 */
public final class HfJson {
    private static final ObjectMapper JSON = new ObjectMapper();

    private HfJson() {
    }

    /**
     * @param asciiOnly escape every non-ASCII character as {@code \}{@code uXXXX}, as config.json is written
     *                  (tokenizer_config.json keeps them)
     */
    public static String write(JsonNode node, boolean asciiOnly) {
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withSeparators(Separators.createDefaultInstance()
                        .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                        .withArrayEmptySeparator("")
                        .withObjectEmptySeparator(""));
        printer.indentArraysWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        printer.indentObjectsWith(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"));
        try {
            return JSON.writer(printer)
                    .with(asciiOnly ? JsonGenerator.Feature.ESCAPE_NON_ASCII : JsonGenerator.Feature.QUOTE_FIELD_NAMES)
                    .writeValueAsString(sorted(node)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a JSON tree always serialises", e);
        }
    }

    private static JsonNode sorted(JsonNode node) {
        if (node instanceof ObjectNode o) {
            TreeMap<String, JsonNode> fields = new TreeMap<>();
            o.properties().forEach(e -> fields.put(e.getKey(), sorted(e.getValue())));
            ObjectNode out = JSON.createObjectNode();
            fields.forEach(out::set);
            return out;
        }
        if (node instanceof ArrayNode a) {
            ArrayNode out = JSON.createArrayNode();
            a.forEach(e -> out.add(sorted(e)));
            return out;
        }
        return node;
    }
}
