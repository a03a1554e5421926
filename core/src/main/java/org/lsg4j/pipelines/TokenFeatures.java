package org.lsg4j.pipelines;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.annotation.JsonSerialize;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * The last hidden state of one input, one row per position ({@code <s>} and {@code </s>}
 * included), serialised as the Hugging Face feature-extraction pipeline returns it:
 * {@code [1][tokens][hidden]}, each float32 written as the double it equals.
 *
 * @param rows tokens x hidden
 */
@JsonSerialize(using = TokenFeatures.Writer.class)
public record TokenFeatures(float[][] rows) {

    /** Number of positions. */
    public int length() {
        return rows.length;
    }

    /** Writes {@code [[row, row, ...]]}. */
    static final class Writer extends StdSerializer<TokenFeatures> {
        Writer() {
            super(TokenFeatures.class);
        }

        @Override
        public void serialize(TokenFeatures value, JsonGenerator gen, SerializerProvider provider) throws IOException {
            gen.writeStartArray();
            gen.writeStartArray();
            for (float[] row : value.rows()) {
                FloatsWriter.write(row, gen);
            }
            gen.writeEndArray();
            gen.writeEndArray();
        }
    }
}
