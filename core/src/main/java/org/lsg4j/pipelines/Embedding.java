package org.lsg4j.pipelines;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * The sentence embedding of one input, serialised as a flat list of numbers.
 *
 * @param vector hidden_size values
 */
@JsonSerialize(using = Embedding.Writer.class)
public record Embedding(float[] vector) {

    /** Writes {@code [x, y, ...]}. */
    static final class Writer extends StdSerializer<Embedding> {
        Writer() {
            super(Embedding.class);
        }

        @Override
        public void serialize(Embedding value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            FloatsWriter.write(value.vector(), gen);
        }
    }
}
