package org.lsg4j.tokenizer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The ByteLevel decoder: token strings back to text. Each token's characters are turned back into
 * the bytes they stand for; a token with a character outside the byte-level alphabet (an added
 * token such as {@code " <mask>"}'s content is plain text) contributes its own UTF-8 bytes instead.
 * The bytes are then read as UTF-8, invalid sequences becoming U+FFFD.
 */
record ByteLevelDecoder() implements Decoder {
    @Override
    public List<String> decodeChain(List<String> tokens) {
        return List.of(decodeBytes(tokens));
    }

    private static String decodeBytes(List<String> tokens) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        for (String token : tokens) {
            if (inAlphabet(token)) {
                for (int i = 0; i < token.length(); i++) {
                    bytes.write(ByteLevelAlphabet.byteOf(token.charAt(i)));
                }
            } else {
                bytes.writeBytes(token.getBytes(StandardCharsets.UTF_8));
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private static boolean inAlphabet(String token) {
        for (int i = 0; i < token.length(); i++) {
            if (ByteLevelAlphabet.byteOf(token.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
    }
}
