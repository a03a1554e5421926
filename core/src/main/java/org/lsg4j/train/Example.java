package org.lsg4j.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.LsgException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training or evaluation example as a JSON line holds it. Label names stay names here: a
 * {@link LabelSet} turns them into ids. Integer labels are names too ({@code 0}, {@code 1}, ...).
 */
public sealed interface Example {

    /**
     * A text (or pair) with its labels: one name for single-label classification, any number for
     * multi-label, a value for regression, none for masked language modelling.
     */
    record Text(String text, String pair, List<String> labels, double value) implements Example {
        public Text {
            labels = List.copyOf(labels);
        }
    }

    /** Words with one tag each (token classification); the text is the words joined by single spaces. */
    record TaggedWords(List<String> words, List<String> tags) implements Example {
        public TaggedWords {
            words = List.copyOf(words);
            tags = List.copyOf(tags);
        }

        /** The text the model reads. */
        public String text() {
            return String.join(" ", words);
        }
    }

    /**
     * A SQuAD question: the gold answers' texts and their start offsets in the context (UTF-16
     * indices); no answer means the question has none in the context.
     */
    record Question(String id, String question, String context, List<String> answers, List<Integer> starts)
            implements Example {
        public Question {
            answers = List.copyOf(answers);
            starts = List.copyOf(starts);
        }
    }

    /** A prompt, its choices and the index of the right one. */
    record Choices(String prompt, List<String> choices, int label) implements Example {
        public Choices {
            choices = List.copyOf(choices);
        }
    }

    /**
     * Reads a JSON lines file of examples for a task (blank lines are skipped).
     *
     * @throws LsgException naming the file and line of the first malformed example
     */
    static List<Example> read(Path file, Task task) {
        ObjectMapper json = new ObjectMapper();
        List<Example> out = new ArrayList<>();
        try (BufferedReader r = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                String where = file + " line " + lineNumber;
                JsonNode node;
                try {
                    node = json.readTree(line);
                } catch (JsonProcessingException e) {
                    throw new LsgException(where + ": malformed JSON: " + e.getOriginalMessage());
                }
                if (node == null || !node.isObject()) {
                    throw new LsgException(where + ": expected a JSON object, found " + line.strip());
                }
                out.add(parse(node, task, where));
            }
        } catch (NoSuchFileException e) {
            throw new LsgException(file + ": file not found");
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read: " + e.getMessage());
        }
        if (out.isEmpty()) {
            throw new LsgException(file + ": no examples");
        }
        return out;
    }

    private static Example parse(JsonNode n, Task task, String where) {
        return switch (task) {
            case SEQUENCE_CLASSIFICATION -> new Text(string(n, "text", where), optional(n, "pair", where),
                    List.of(labelName(n.get("label"), where)), 0);
            case MULTI_LABEL -> {
                JsonNode l = n.get("label");
                if (l == null || !l.isArray()) {
                    throw new LsgException(where + ": \"label\" must be a list of label names, found " + l);
                }
                List<String> names = new ArrayList<>();
                l.forEach(e -> names.add(labelName(e, where)));
                yield new Text(string(n, "text", where), optional(n, "pair", where), names, 0);
            }
            case REGRESSION -> {
                JsonNode l = n.get("label");
                if (l == null || !l.isNumber()) {
                    throw new LsgException(where + ": \"label\" must be a number, found " + l);
                }
                yield new Text(string(n, "text", where), optional(n, "pair", where), List.of(), l.doubleValue());
            }
            case MASKED_LM -> new Text(string(n, "text", where), null, List.of(), 0);
            case TOKEN_CLASSIFICATION -> {
                List<String> words = strings(n, "tokens", where);
                List<String> tags = new ArrayList<>();
                JsonNode t = n.get("tags");
                if (t == null || !t.isArray()) {
                    throw new LsgException(where + ": \"tags\" must be a list of labels, one per token, found " + t);
                }
                t.forEach(e -> tags.add(labelName(e, where)));
                if (tags.size() != words.size()) {
                    throw new LsgException(where + ": " + words.size() + " tokens but " + tags.size() + " tags");
                }
                if (words.stream().anyMatch(w -> w.isEmpty() || w.chars().anyMatch(Character::isWhitespace))) {
                    throw new LsgException(where + ": a token is empty or holds whitespace (tokens are words)");
                }
                yield new TaggedWords(words, tags);
            }
            case QUESTION_ANSWERING -> question(n, where);
            case MULTIPLE_CHOICE -> {
                List<String> choices = strings(n, "choices", where);
                JsonNode l = n.get("label");
                if (l == null || !l.canConvertToInt() || !l.isIntegralNumber() || l.intValue() < 0
                        || l.intValue() >= choices.size()) {
                    throw new LsgException(where + ": \"label\" must be the index of the right choice (0 to "
                            + (choices.size() - 1) + "), found " + l);
                }
                yield new Choices(string(n, "prompt", where), choices, l.intValue());
            }
        };
    }

    private static Question question(JsonNode n, String where) {
        String context = string(n, "context", where);
        JsonNode a = n.get("answers");
        if (a == null || !a.isObject() || !a.path("text").isArray() || !a.path("answer_start").isArray()
                || a.get("text").size() != a.get("answer_start").size()) {
            throw new LsgException(where + ": \"answers\" must be {\"text\": [...], \"answer_start\": [...]} with as"
                    + " many starts as texts, found " + a);
        }
        List<String> texts = new ArrayList<>();
        List<Integer> starts = new ArrayList<>();
        for (int i = 0; i < a.get("text").size(); i++) {
            JsonNode text = a.get("text").get(i);
            JsonNode start = a.get("answer_start").get(i);
            if (!text.isTextual() || !start.isIntegralNumber() || !start.canConvertToInt()) {
                throw new LsgException(where + ": answer " + i + " must be a text and an integer start");
            }
            int s = start.intValue();
            if (s < 0 || s + text.textValue().length() > context.length()
                    || !context.startsWith(text.textValue(), s)) {
                throw new LsgException(where + ": answer " + i + " \"" + text.textValue() + "\" is not at"
                        + " answer_start " + s + " of the context");
            }
            texts.add(text.textValue());
            starts.add(s);
        }
        JsonNode id = n.get("id");
        return new Question(id == null ? null : id.asText(), string(n, "question", where), context, texts, starts);
    }

    private static String labelName(JsonNode l, String where) {
        if (l != null && (l.isTextual() || l.isIntegralNumber())) {
            return l.asText();
        }
        throw new LsgException(where + ": a label must be a name or an integer, found " + l);
    }

    private static String string(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isTextual()) {
            throw new LsgException(where + ": \"" + key + "\" must be a string, found " + v);
        }
        return v.textValue();
    }

    private static String optional(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new LsgException(where + ": \"" + key + "\" must be a string, found " + v);
        }
        return v.textValue();
    }

    private static List<String> strings(JsonNode n, String key, String where) {
        JsonNode v = n.get(key);
        if (v == null || !v.isArray() || v.isEmpty()) {
            throw new LsgException(where + ": \"" + key + "\" must be a non-empty list of strings, found " + v);
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : v) {
            if (!e.isTextual()) {
                throw new LsgException(where + ": \"" + key + "\" must be a list of strings, found " + e);
            }
            out.add(e.textValue());
        }
        return out;
    }
}
