package org.lsg4j.pipelines;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

import java.io.IOException;

/**
 * Writes a float32 score (a {@code float} or a {@code float[]}) as the double it widens to. The
 * Hugging Face pipelines compute in float32 and Python's json prints those values as doubles
 * ({@code 0.005585922393947840}, not {@code 0.0055859224}); the same digits come out here.
 */
final class Float32AsDouble extends StdSerializer<Object> {
    Float32AsDouble() {
        super(Object.class);
    }

    @Override
    public void serialize(Object value, JsonGenerator gen, SerializerProvider provider) throws IOException {
        if (value instanceof float[] array) {
            gen.writeStartArray();
            for (float f : array) {
                gen.writeNumber((double) f);
            }
            gen.writeEndArray();
        } else {
            gen.writeNumber(((Float) value).doubleValue());
        }
    }
}
