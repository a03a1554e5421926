package org.lsg4j.model;

import org.lsg4j.LsgException;

/**
 * A model class as config.json's {@code architectures} names it: {@code LSGBertForMaskedLM} is the
 * BERT family, the masked-LM head, LSG; {@code BertForMaskedLM} the same head of a plain model.
 *
 * @param head   the head lsg4j runs for it, or null for a class lsg4j recognises but does not run
 *               ({@code ForPreTraining}, {@code ForCausalLM}, ...)
 * @param suffix the class name after the family stem
 */
public record Architecture(Family family, Head head, String suffix, boolean lsg) {

    /** The class name: {@code LSG<stem><suffix>} or {@code <stem><suffix>}. */
    public String className() {
        return (lsg ? "LSG" : "") + family.classStem() + suffix;
    }

    /** The same head as an LSG class. */
    public Architecture asLsg() {
        return new Architecture(family, head, suffix, true);
    }

    /**
     * Parses a class name.
     *
     * @param expected the family config.json's model_type names, or null to find it from the name
     * @throws LsgException for a name of no family lsg4j knows, or of another family than expected
     */
    static Architecture parse(String name, Family expected) {
        boolean lsg = name.startsWith("LSG");
        String rest = lsg ? name.substring(3) : name;
        for (Family f : Family.all()) {
            if (!rest.startsWith(f.classStem())) {
                continue;
            }
            String suffix = rest.substring(f.classStem().length());
            Head head = Head.ofSuffix(suffix);
            if (head == null && !f.architectures().contains(suffix)) {
                continue;
            }
            if (expected != null && f != expected) {
                throw new LsgException("architectures names " + name + ", a " + f.modelType()
                        + " class, but model_type is \"" + expected.modelType() + "\"");
            }
            return new Architecture(f, head, suffix, lsg);
        }
        throw new LsgException("architectures names \"" + name + "\", which lsg4j does not run; supported: "
                + "[LSG]<family><head> with family " + String.join(", ", Family.all().stream().map(Family::classStem).toList())
                + " and head " + Head.supported());
    }
}
