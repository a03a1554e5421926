package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.io.DType;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tensor.LongTensor;
import org.lsg4j.tensor.Tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Reads {@link ModelInputs} from a safetensors file under the reference's keyword names:
 * input_ids, attention_mask, token_type_ids, labels, start_positions, end_positions, and the
 * recorded lsh draws lsh_proj.0, lsh_proj.1, ...
 */
public final class NamedInputs {
    private static final Set<String> NAMES = Set.of("input_ids", "attention_mask", "token_type_ids", "labels",
            "start_positions", "end_positions");

    private NamedInputs() {
    }

    public static ModelInputs read(SafeTensors file) {
        for (String name : file.names()) {
            if (!NAMES.contains(name) && !name.matches("lsh_proj\\.\\d+")) {
                throw new LsgException(file.path() + ": unknown input tensor \"" + name + "\" (expected "
                        + String.join(", ", new java.util.TreeSet<>(NAMES)) + " or lsh_proj.N)");
            }
        }
        return read(file, "");
    }

    /**
     * Reads the inputs named {@code <prefix><name>} (a batch of a training file:
     * {@code step2.input_ids}, {@code step2.micro1.labels}, ...); other tensors are not looked at.
     */
    public static ModelInputs read(SafeTensors file, String prefix) {
        if (!file.contains(prefix + "input_ids")) {
            throw new LsgException(file.path() + ": no " + prefix + "input_ids tensor");
        }
        ModelInputs in = ModelInputs.of(longs(file, prefix + "input_ids"))
                .withAttentionMask(longsOrNull(file, prefix + "attention_mask"))
                .withTokenTypeIds(longsOrNull(file, prefix + "token_type_ids"))
                .withPositions(longsOrNull(file, prefix + "start_positions"), longsOrNull(file, prefix + "end_positions"));
        if (file.contains(prefix + "labels")) {
            String name = prefix + "labels";
            Tensor labels = file.info(name).dtype().isFloating() ? file.floats(name) : file.longs(name);
            in = in.withLabels(labels);
        }
        List<FloatTensor> draws = new ArrayList<>();
        while (file.contains(prefix + "lsh_proj." + draws.size())) {
            draws.add(file.floats(prefix + "lsh_proj." + draws.size()));
        }
        long recorded = file.names().stream().filter(n -> n.startsWith(prefix + "lsh_proj.")
                && n.substring(prefix.length() + "lsh_proj.".length()).matches("\\d+")).count();
        if (recorded != draws.size()) {
            throw new LsgException(file.path() + ": " + prefix + "lsh_proj.N tensors must be numbered 0, 1, 2, ... without gaps");
        }
        return draws.isEmpty() ? in : in.withLshDraws(LshDraws.recorded(draws));
    }

    private static LongTensor longsOrNull(SafeTensors file, String name) {
        return file.contains(name) ? longs(file, name) : null;
    }

    private static LongTensor longs(SafeTensors file, String name) {
        DType type = file.info(name).dtype();
        if (type.isFloating()) {
            throw new LsgException(file.path() + ": tensor \"" + name + "\" must hold integers (I64), found " + type);
        }
        return file.longs(name);
    }
}
