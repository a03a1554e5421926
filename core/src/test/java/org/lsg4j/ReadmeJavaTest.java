package org.lsg4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.lsg4j.model.Head;
import org.lsg4j.pipelines.FillMaskOptions;
import org.lsg4j.pipelines.FillMaskPipeline;
import org.lsg4j.pipelines.TaskModel;

/**
 * The README's Java snippets compile and run as written. Every fenced block whose info string is
 * {@code java test} is one program: its {@code import} lines, then statements, which become the body
 * of a {@code main}. It is compiled with javax.tools against the test classpath and run in its own
 * JVM whose Hugging Face cache (offline) holds the in-repository fixture {@code fixtures/tiny-mlm}
 * under {@code ccdv/lsg-distilroberta-base-4096}, so {@code Hub.fromSystem()} finds it as a user's
 * cache would hold the real checkpoint.
 */
class ReadmeJavaTest {
    private static final String HUB_ID = "ccdv/lsg-distilroberta-base-4096";
    private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

    @TempDir
    Path tmp;

    /** The blocks of README.md fenced as {@code ```java test}. */
    static List<String> snippets(Path readme) throws IOException {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : Files.readAllLines(readme)) {
            if (block == null && line.strip().equals("```java test")) {
                block = new StringBuilder();
            } else if (block != null && line.strip().equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else if (block != null) {
                block.append(line).append('\n');
            }
        }
        assertTrue(block == null, readme + ": a ```java test block is not closed");
        return blocks;
    }

    /** The snippet as a class: imports first, the rest as the body of {@code main}. */
    static String program(String className, String snippet) {
        StringBuilder imports = new StringBuilder();
        StringBuilder body = new StringBuilder();
        for (String line : snippet.split("\n", -1)) {
            (line.startsWith("import ") ? imports : body).append(line).append('\n');
        }
        return imports + "public class " + className + " {\n    public static void main(String[] args) throws Exception {\n"
                + body + "    }\n}\n";
    }

    private static Path fixture() {
        return RepoFixtures.tinyMlm();
    }

    /** A Hugging Face cache holding the fixture as {@link #HUB_ID} at branch main. */
    private Path hubCache() throws Exception {
        Path repo = tmp.resolve("hub").resolve("models--" + HUB_ID.replace("/", "--"));
        Path snapshot = Files.createDirectories(repo.resolve("snapshots").resolve(COMMIT));
        try (Stream<Path> files = Files.list(fixture())) {
            for (Path f : files.toList()) {
                Files.copy(f, snapshot.resolve(f.getFileName().toString()));
            }
        }
        Files.createDirectories(repo.resolve("refs"));
        Files.writeString(repo.resolve("refs/main"), COMMIT);
        return tmp.resolve("hub");
    }

    private static String classpath() {
        // surefire runs the tests from a manifest-only jar; it names the real classpath here
        return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    }

    @Test
    void javaSnippetsCompileAndRunAsWritten() throws Exception {
        List<String> snippets = snippets(Path.of("..", "README.md"));
        assertFalse(snippets.isEmpty(), "README.md has no ```java test block");
        Path cache = hubCache();
        List<String> outputs = new ArrayList<>();
        for (int i = 0; i < snippets.size(); i++) {
            String name = "ReadmeSnippet" + i;
            Path src = Files.createDirectories(tmp.resolve("src" + i)).resolve(name + ".java");
            Path classes = Files.createDirectories(tmp.resolve("classes" + i));
            Files.writeString(src, program(name, snippets.get(i)));
            JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
            java.io.StringWriter diagnostics = new java.io.StringWriter();
            boolean ok = javac.getTask(diagnostics, null, null,
                    List.of("--add-modules", "jdk.incubator.vector", "-classpath", classpath(), "-d", classes.toString(),
                            "-Xlint:none"),
                    null, javac.getStandardFileManager(null, null, null).getJavaFileObjects(src)).call();
            assertTrue(ok, "README snippet " + i + " does not compile:\n" + diagnostics);

            ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "--add-modules", "jdk.incubator.vector", "-cp", classes + File.pathSeparator + classpath(), name);
            pb.environment().put("HF_HUB_CACHE", cache.toString());
            pb.environment().put("HF_HUB_OFFLINE", "1");
            pb.environment().remove("HF_HOME");
            pb.redirectOutput(tmp.resolve("out" + i).toFile()).redirectError(tmp.resolve("err" + i).toFile());
            int exit = pb.start().waitFor();
            String err = Files.readString(tmp.resolve("err" + i));
            assertEquals(0, exit, "README snippet " + i + " failed:\n" + err);
            outputs.add(Files.readString(tmp.resolve("out" + i)));
        }

        // snippet 0 prints the model, the fill-mask JSON of the pipeline and the count and width of its vectors
        String[] lines = outputs.get(0).split("\n");
        TaskModel model = TaskModel.load(fixture(), Head.MASKED_LM);
        try (TaskModel twoThreads = model.withThreads(2)) {
            assertEquals(twoThreads.toString(), lines[0]);
        }
        lines = Arrays.copyOfRange(lines, 1, lines.length);
        String expected = new ObjectMapper().writeValueAsString(new FillMaskPipeline(model, w -> { })
                .run("Paris is the <mask> of France.", FillMaskOptions.defaults().withTopK(3)));
        assertEquals(expected, lines[0]);
        assertEquals(3, new ObjectMapper().readTree(lines[0]).size());
        assertEquals("2 vectors of 32", lines[1]);
    }
}
