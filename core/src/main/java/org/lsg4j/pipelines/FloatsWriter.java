package org.lsg4j.pipelines;

import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;

/** Writes float32 values as JSON numbers the way Python prints them: the shortest text of the equal double. */
final class FloatsWriter {
    private FloatsWriter() {
    }

    static void write(float[] values, JsonGenerator gen) throws IOException {
        gen.writeStartArray();
        for (float v : values) {
            gen.writeNumber((double) v);
        }
        gen.writeEndArray();
    }
}
