import org.lsg4j.onnx.OnnxBertImport;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes all-MiniLM-L6-v2 as it is, a plain 512-token BERT folder, from the ONNX file and tokenizer of
 * the Maven artifact the CLI jar carries: the first-512-token baseline of the kernel-docs demonstration.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp cli/target/lsg.jar tools/train/kernel_docs/PlainModel.java OUT_DIR</pre>
 */
public class PlainModel {
    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        Path work = Files.createTempDirectory("plain-minilm-");
        Path tokenizer = work.resolve("tokenizer.json");
        try (InputStream onnx = resource("all-minilm-l6-v2.onnx"); InputStream tok = resource("all-minilm-l6-v2-tokenizer.json")) {
            Files.copy(tok, tokenizer);
            OnnxBertImport.importTo(onnx, tokenizer, out);
        } finally {
            Files.deleteIfExists(tokenizer);
            Files.delete(work);
        }
        System.out.println(out + ": all-MiniLM-L6-v2, plain BERT, 512 positions");
    }

    private static InputStream resource(String name) {
        InputStream in = PlainModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not on the class path: pass -cp cli/target/lsg.jar");
        }
        return in;
    }
}
