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
final class ByteLevelDecoder {
    private ByteLevelDecoder() {
    }

    static String decode(List<String> tokens) {
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

    /**
     * transformers' clean_up_tokenization: removes the space the old word-level tokenizers put
     * before punctuation and English contractions ({@code " ."} becomes {@code "."},
     * {@code " n't"} becomes {@code "n't"}, {@code " ' "} becomes {@code "'"}, …).
     */
    static String cleanUpSpaces(String text) {
        String out = text;
        // The reference's order matters: " ' " is replaced before the contractions.
        for (String[] rule : CLEAN_UP_RULES) {
            out = out.replace(rule[0], rule[1]);
        }
        return out;
    }

    private static final String[][] CLEAN_UP_RULES = {
        {" .", "."}, {" ?", "?"}, {" !", "!"}, {" ,", ","}, {" ' ", "'"},
        {" n't", "n't"}, {" 'm", "'m"}, {" 's", "'s"}, {" 've", "'ve"}, {" 're", "'re"},
    };
}
