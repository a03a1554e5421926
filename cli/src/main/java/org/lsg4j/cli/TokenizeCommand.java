package org.lsg4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.tokenizer.Encoding;
import org.lsg4j.tokenizer.TextInput;
import org.lsg4j.tokenizer.Tokenizer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;

/**
 * {@code lsg tokenize}: prints the ids, tokens, offsets and token type ids of a text (or pair) as
 * one JSON object, or of every line of a JSON-lines input ({@code {"text": ..., "pair": ...}}) as
 * one JSON line each, reading and writing one line at a time. Works with every tokenizer kind
 * (byte-level BPE, WordPiece, Unigram). Offsets are {@code [start, end)} Java String (UTF-16)
 * indices into the string the token came from; pairs also get {@code sequence_ids} (0: text,
 * 1: pair, -1: special token).
 */
@Command(name = "tokenize", mixinStandardHelpOptions = true,
        description = "Tokenize text with a model folder's tokenizer (BPE, WordPiece or Unigram) and print JSON.",
        footer = {"", "Examples:",
                "  lsg tokenize --model ../shared/tokenizers/roberta-base \\", "      \"Paris is the <mask> of France.\"",
                "  lsg tokenize --model DIR --pair \"The second text\" \"The first text\"",
                "  lsg tokenize --model DIR --input corpus.jsonl     # {\"text\": ..., \"pair\": \\", "      ...} per line",
                "Offsets are [start, end) Java String (UTF-16) indices into the text each token", "came from."})
public final class TokenizeCommand implements Callable<Integer> {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Spec
    private CommandSpec spec;

    @Option(names = "--model", required = true, paramLabel = "DIR|ORG/NAME[@REV]",
            description = "Model folder with tokenizer.json, vocab.json + merges.txt, or vocab.txt; or a Hub id, read from "
            + "the Hugging Face cache or downloaded into it (as --model of the tasks).")
    private String model;

    @Option(names = "--offline", description = "Never use the network (as HF_HUB_OFFLINE=1).")
    private boolean offline;

    @Option(names = "--no-special", description = "Do not add the special tokens (<s> and </s>, [CLS] and [SEP], ...).")
    private boolean noSpecial;

    @Option(names = "--pair", paramLabel = "TEXT", description = "Second text of a pair (with TEXT only).")
    private String pair;

    @Option(names = {"--input", "--jsonl"}, paramLabel = "FILE",
            description = "JSON lines with \"text\" and optional \"pair\"; - for stdin (--jsonl: the old name).")
    private String jsonl;

    @Parameters(arity = "0..1", paramLabel = "TEXT", description = "The text to tokenize.")
    private String text;

    @Override
    public Integer call() throws IOException {
        if ((text == null) == (jsonl == null)) {
            throw new LsgException("give either TEXT or --input FILE");
        }
        if (pair != null && jsonl != null) {
            throw new LsgException("--pair goes with TEXT; in --input lines put \"pair\" in each line");
        }
        Tokenizer tokenizer = Tokenizer.load(ModelOption.resolve(spec, model, offline));
        PrintWriter out = spec.commandLine().getOut();
        if (text != null) {
            out.println(toJson(tokenizer, text, pair));
        } else {
            try (InputReader in = InputReader.jsonLines(jsonl, CliContext.of(spec).stdin())) {
                for (InputItem item = in.next(); item != null; item = in.next()) {
                    TextInput input = item.textInput();
                    out.println(toJson(tokenizer, input.text(), input.pair()));
                }
            }
        }
        out.flush();
        return 0;
    }

    private String toJson(Tokenizer tokenizer, String first, String second) {
        Encoding e = second == null ? tokenizer.encode(first, !noSpecial) : tokenizer.encodePair(first, second, !noSpecial);
        ObjectNode json = MAPPER.createObjectNode();
        ArrayNode ids = json.putArray("ids");
        ArrayNode tokens = json.putArray("tokens");
        ArrayNode offsets = json.putArray("offsets");
        ArrayNode types = json.putArray("type_ids");
        for (int i = 0; i < e.length(); i++) {
            ids.add(e.id(i));
            tokens.add(e.token(i));
            offsets.addArray().add(e.start(i)).add(e.end(i));
            types.add(e.typeId(i));
        }
        if (second != null) {
            ArrayNode sequences = json.putArray("sequence_ids");
            for (int i = 0; i < e.length(); i++) {
                sequences.add(e.sequenceId(i));
            }
        }
        try {
            return MAPPER.writeValueAsString(json);
        } catch (JsonProcessingException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
