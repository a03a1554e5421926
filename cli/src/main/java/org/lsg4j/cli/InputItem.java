package org.lsg4j.cli;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;
import org.lsg4j.tokenizer.TextInput;

/**
 * One input of a command: a JSON object (a JSON line, or built from the arguments) and where it
 * came from, for messages.
 *
 * @param where {@code "line 3"} or {@code "argument 1"}
 * @param json the object; text tasks read {@code text} and the optional {@code pair}
 */
public record InputItem(String where, JsonNode json) {

    /** The object's {@code text} and optional {@code pair} strings. */
    public TextInput textInput() {
        return new TextInput(string("text", true), string("pair", false));
    }

    /**
     * A string field.
     *
     * @throws LsgException naming the line when the field is missing (and required) or not a string
     */
    public String string(String field, boolean required) {
        JsonNode v = json.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new LsgException(where + ": expected a JSON object with a string \"" + field + "\"");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new LsgException(where + ": \"" + field + "\" must be a string, found " + org.lsg4j.io.StrictJson.kind(v));
        }
        return v.textValue();
    }
}
