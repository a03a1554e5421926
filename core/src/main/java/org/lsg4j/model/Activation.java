package org.lsg4j.model;

import org.lsg4j.LsgException;
import org.lsg4j.kernels.Activations;
import org.lsg4j.kernels.Workers;

/**
 * The activation functions the encoders and their heads use, by their Hugging Face names
 * ({@code hidden_act}, DistilBERT's {@code activation}, ELECTRA's {@code summary_activation}).
 */
public enum Activation {
    /** No activation. */
    IDENTITY("linear"),
    /** Exact GELU, {@code x/2 (1 + erf(x / sqrt 2))}: Hugging Face {@code "gelu"}. */
    GELU("gelu"),
    /** The tanh approximation of GELU: {@code "gelu_new"}, {@code "gelu_pytorch_tanh"}. */
    GELU_TANH("gelu_new"),
    /** {@code max(x, 0)}. */
    RELU("relu"),
    /** {@code tanh(x)}: the poolers and RoBERTa's classification head. */
    TANH("tanh");

    private final String configName;

    Activation(String configName) {
        this.configName = configName;
    }

    /** The name config.json uses. */
    public String configName() {
        return configName;
    }

    /**
     * The activation a config value names.
     *
     * @param where what to name in the error: the file and key
     */
    static Activation fromConfig(String name, String where) {
        return switch (name) {
            case "gelu" -> GELU;
            case "gelu_new", "gelu_pytorch_tanh" -> GELU_TANH;
            case "relu" -> RELU;
            case "tanh" -> TANH;
            case "linear" -> IDENTITY;
            default -> throw new LsgException(where + " is \"" + name + "\", which lsg4j does not run; supported:"
                    + " gelu (exact erf), gelu_new / gelu_pytorch_tanh (tanh approximation), relu, tanh, linear");
        };
    }

    /**
     * The backward pass in place: {@code g[i] *= act'(x)} for n values, from the pre-activation
     * {@code pre[preOff ..]} (or, for tanh, its output {@code post[0 ..]}).
     */
    void backward(Workers workers, float[] pre, int preOff, float[] post, float[] g, int n) {
        switch (this) {
            case IDENTITY -> { }
            case GELU -> Activations.geluBackward(workers, pre, preOff, g, 0, g, 0, n);
            case GELU_TANH -> Activations.geluTanhBackward(workers, pre, preOff, g, 0, g, 0, n);
            case RELU -> Activations.reluBackward(workers, pre, preOff, g, 0, g, 0, n);
            case TANH -> Activations.tanhBackward(workers, post, 0, g, 0, g, 0, n);
        }
    }

    /** Applies the activation in place to n values from {@code x[off]}. */
    void apply(Workers workers, float[] x, int off, int n) {
        switch (this) {
            case IDENTITY -> { }
            case GELU -> Activations.gelu(workers, x, off, n);
            case GELU_TANH -> Activations.geluTanh(workers, x, off, x, off, n);
            case RELU -> Activations.relu(workers, x, off, x, off, n);
            case TANH -> Activations.tanh(x, off, n);
        }
    }
}
