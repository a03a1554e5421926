package org.lsg4j.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.PrintWriter;
import java.io.UncheckedIOException;

/**
 * Writes results as compact JSON, one document per line: a single input gives one JSON document,
 * many give JSON lines. Results are the pipelines' records, which serialise to the Hugging Face
 * pipeline JSON.
 */
final class JsonOutput {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final PrintWriter out;

    JsonOutput(PrintWriter out) {
        this.out = out;
    }

    void write(Object result) {
        try {
            out.println(JSON.writeValueAsString(result));
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    void flush() {
        out.flush();
    }
}
