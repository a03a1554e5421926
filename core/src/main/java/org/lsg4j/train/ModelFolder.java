package org.lsg4j.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.lsg4j.LsgException;
import org.lsg4j.io.HfJson;
import org.lsg4j.io.SafeTensors;
import org.lsg4j.model.Family;
import org.lsg4j.model.LsgConfig;
import org.lsg4j.model.LsgModel;
import org.lsg4j.model.Parameters;
import org.lsg4j.model.TrainableModel;
import org.lsg4j.tensor.FloatTensor;
import org.lsg4j.tokenizer.TokenizerFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes a trained model as a model folder that lsg4j's pipelines and the Python reference
 * ({@code AutoModelFor<Head>.from_pretrained(folder, trust_remote_code=True)}) both load, as
 * {@code save_pretrained} lays it out:
 * <ul>
 * <li>config.json: the source's, with the config overrides, {@code architectures} naming the
 * trained class, {@code auto_map}, the labels ({@code id2label}, {@code label2id}) and
 * {@code problem_type}, and the values the config keeps after validation;</li>
 * <li>model.safetensors: every weight of the model under the trained class's state_dict names
 * (a base model's encoder under {@code bert.}, ...), tied weights left out (the decoder's weight is
 * the word embeddings; its bias is stored once, as {@code lm_head.bias});</li>
 * <li>the source's tokenizer files;</li>
 * <li>the reference's modeling file ({@code modeling_lsg_bert.py}, ...), which trust_remote_code
 * needs, copied from the source folder when it has it: lsg4j does not ship it.</li>
 * </ul>
 */
final class ModelFolder {
    private static final ObjectMapper JSON = new ObjectMapper();

    private ModelFolder() {
    }

    /** What the folder holds beside the model. */
    record Extras(String modelCard, JsonNode metrics) {
    }

    /**
     * Writes the folder's files into {@code target}, an empty folder (the caller renames it into place).
     *
     * @param source    the folder the model was loaded from (its config.json, tokenizer and modeling file)
     * @param overrides the config overrides the model was loaded with
     * @return the modeling file's name when the source has none to copy (Python needs it), else null
     */
    static String write(Path target, Path source, Map<String, String> overrides, TrainableModel trained,
                        Extras extras) throws IOException {
        LsgModel model = trained.model();
        Family family = model.config().family();
        Path configFile = source.resolve("config.json");
        ObjectNode json = configJson(configFile, overrides);
        json.putArray("architectures").add(model.architecture());
        ObjectNode autoMap = json.putObject("auto_map");
        family.autoMapClasses().forEach(autoMap::put);
        model.config().writeValidated(json);
        json.remove("num_labels");   // id2label says it; transformers warns when the two disagree
        json.put("torch_dtype", "float32");
        Files.writeString(target.resolve("config.json"), HfJson.write(json, true));

        Map<String, Object> tensors = new TreeMap<>();
        for (Parameters.Param p : trained.parameters().all()) {
            tensors.put(savedName(p.name(), family), new FloatTensor(p.shape(), p.value()));
        }
        SafeTensors.write(target.resolve("model.safetensors"), new LinkedHashMap<>(tensors), Map.of("format", "pt"));
        TokenizerFiles.copy(source, target, null);
        if (extras.modelCard() != null) {
            Files.writeString(target.resolve("README.md"), extras.modelCard());
        }
        if (extras.metrics() != null) {
            Files.writeString(target.resolve("metrics.json"), JSON.writerWithDefaultPrettyPrinter()
                    .writeValueAsString(extras.metrics()) + "\n");
        }
        Path modeling = source.resolve(modelingFile(family));
        if (Files.isRegularFile(modeling)) {
            Files.copy(modeling, target.resolve(modeling.getFileName()));
            return null;
        }
        return modelingFile(family);
    }

    /** The reference's modeling file of a family: {@code modeling_lsg_roberta.py}. */
    static String modelingFile(Family family) {
        return family.modelingFile() + ".py";
    }

    /** The source's config.json object with the overrides applied. */
    private static ObjectNode configJson(Path configFile, Map<String, String> overrides) {
        JsonNode root;
        try {
            root = JSON.readTree(configFile.toFile());
        } catch (IOException e) {
            throw new LsgException(configFile + ": cannot read: " + e.getMessage());
        }
        return LsgConfig.withOverrides(root, overrides, configFile.toString());
    }

    /** The name save_pretrained stores a parameter under: a tied decoder's bias as the head's own bias. */
    private static String savedName(String name, Family family) {
        for (Family.HeadSpec spec : family.heads().values()) {
            for (Family.Step step : spec.steps()) {
                if (step instanceof Family.TiedDecoder d && name.equals(d.decoder() + ".bias")) {
                    return d.bias();
                }
            }
        }
        return name;
    }
}
