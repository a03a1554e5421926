package org.lsg4j;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The fixtures inside the repository (core's test resources), as folders, for the tests of every module:
 * core's own tests read them in {@code target/test-classes}; another module may get them inside core's
 * test-jar, and then they are copied out once into a temporary folder.
 */
public final class RepoFixtures {
    private static final List<String> TINY_MLM_FILES = List.of("config.json", "model.safetensors", "vocab.json", "merges.txt");
    private static Path tinyMlm;

    private RepoFixtures() {
    }

    /** {@code fixtures/tiny-mlm}: an LSGRobertaForMaskedLM of 96 tokens with a byte-level tokenizer (see its README). */
    public static synchronized Path tinyMlm() {
        if (tinyMlm == null) {
            tinyMlm = folder("/fixtures/tiny-mlm", TINY_MLM_FILES);
        }
        return tinyMlm;
    }

    private static Path folder(String resource, List<String> files) {
        URL first = RepoFixtures.class.getResource(resource + "/" + files.get(0));
        if (first == null) {
            throw new IllegalStateException(resource + " is not on the test classpath (core's test resources)");
        }
        try {
            if (first.getProtocol().equals("file")) {
                return Path.of(first.toURI()).getParent();
            }
            Path dir = Files.createTempDirectory("lsg4j-" + resource.substring(resource.lastIndexOf('/') + 1));
            dir.toFile().deleteOnExit();
            for (String f : files) {
                try (InputStream in = RepoFixtures.class.getResourceAsStream(resource + "/" + f)) {
                    Files.copy(in, dir.resolve(f));
                }
                dir.resolve(f).toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
