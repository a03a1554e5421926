package org.lsg4j.pipelines;

import org.lsg4j.LsgException;
import org.lsg4j.tokenizer.Tokenizer;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Turns fill-mask target strings into ids the way the Hugging Face pipeline does: a string that is
 * a vocabulary entry as written is that entry ({@code "capital"} is the mid-word piece, {@code
 * "Ġcapital"} the word); anything else is tokenized without special tokens and its first piece is
 * used, with a warning; a string that tokenizes to nothing is dropped with a warning. Ids are
 * distinct.
 */
final class FillMaskTargets {
    private FillMaskTargets() {
    }

    static int[] resolve(List<String> targets, Tokenizer tokenizer, Consumer<String> warnings) {
        Set<Integer> ids = new LinkedHashSet<>();
        for (String target : targets) {
            OptionalInt known = tokenizer.tokenToId(target);
            int id;
            if (known.isPresent()) {
                id = known.getAsInt();
            } else {
                int[] pieces = tokenizer.encode(target, false).ids();
                if (pieces.length == 0) {
                    warnings.accept("The specified target token `" + target + "` does not exist in the model vocabulary."
                            + " We cannot replace it with anything meaningful, ignoring it");
                    continue;
                }
                id = pieces[0];
                warnings.accept("The specified target token `" + target + "` does not exist in the model vocabulary."
                        + " Replacing with `" + tokenizer.idToToken(id) + "`.");
            }
            ids.add(id);
        }
        if (ids.isEmpty()) {
            throw new LsgException("At least one target must be provided when passed (every target was ignored)");
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }
}
