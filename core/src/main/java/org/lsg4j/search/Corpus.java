package org.lsg4j.search;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.lsg4j.LsgException;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.FileVisitResult;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The documents {@code lsg search} reads: a folder (searched recursively; {@code .txt}, {@code .md},
 * {@code .markdown} read as text, {@code .html}, {@code .htm} as the text a reader sees; hidden files and
 * folders left out) or one JSON-lines file of {@code {"id": ..., "text": ...}} records. Text is read as UTF-8,
 * malformed bytes as U+FFFD. The index lives beside the documents: {@code DIR/.lsg-search-index.safetensors},
 * or {@code .NAME.lsg-search-index.safetensors} next to a JSON-lines file.
 */
public final class Corpus {
    static final String INDEX_SUFFIX = ".lsg-search-index.safetensors";
    private static final Set<String> TEXT = Set.of("txt", "md", "markdown");
    private static final Set<String> HTML = Set.of("html", "htm");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path root;
    private final boolean jsonl;

    private Corpus(Path root, boolean jsonl) {
        this.root = root;
        this.jsonl = jsonl;
    }

    /**
     * A folder of documents or a JSON-lines file.
     *
     * @throws LsgException when the path does not exist, or is a file that is not {@code .jsonl}
     */
    public static Corpus open(Path dirOrJsonl) {
        if (Files.isDirectory(dirOrJsonl)) {
            return new Corpus(dirOrJsonl, false);
        }
        if (!Files.isRegularFile(dirOrJsonl)) {
            throw new LsgException(dirOrJsonl + ": no such folder or file (--docs takes a folder of documents or a"
                    + " .jsonl file)");
        }
        if (!extension(dirOrJsonl).equals("jsonl")) {
            throw new LsgException(dirOrJsonl + ": expected a folder or a .jsonl file of {\"id\", \"text\"} lines, found a ."
                    + extension(dirOrJsonl) + " file");
        }
        return new Corpus(dirOrJsonl, true);
    }

    /** The folder or file given. */
    public Path root() {
        return root;
    }

    /** Where this corpus's index is kept. */
    public Path indexFile() {
        return jsonl ? root.resolveSibling("." + root.getFileName() + INDEX_SUFFIX) : root.resolve("." + INDEX_SUFFIX.substring(1));
    }

    /**
     * A file the documents come from, as found on disk.
     *
     * @param path  relative to the folder, '/'-separated (the file's own name for a JSON-lines corpus)
     * @param size  bytes
     * @param mtime last modification, in milliseconds since the epoch
     */
    public record SourceFile(String path, long size, long mtime) {
    }

    /**
     * One document.
     *
     * @param id     the JSON-lines record's id, or the file's relative path
     * @param file   the source file's relative path
     * @param text   what is embedded
     * @param sha256 of the file's bytes, or of the record's text (UTF-8)
     */
    public record Document(String id, String file, String text, String sha256) {
    }

    /** The source files, sorted by path. */
    public List<SourceFile> files() {
        try {
            if (jsonl) {
                return List.of(source(root, root.getFileName().toString()));
            }
            List<SourceFile> out = new ArrayList<>();
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() && !file.getFileName().toString().startsWith(".") && readable(file)) {
                        out.add(new SourceFile(root.relativize(file).toString().replace('\\', '/'), attrs.size(),
                                attrs.lastModifiedTime().toMillis()));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
            out.sort(java.util.Comparator.comparing(SourceFile::path));
            return out;
        } catch (IOException e) {
            throw new LsgException(root + ": cannot list the documents (" + e.getMessage() + ")", e);
        }
    }

    /** The documents of a source file: one for a text or HTML file, one per line of a JSON-lines file. */
    public List<Document> read(SourceFile file) {
        Path p = path(file);
        try {
            if (jsonl) {
                return readJsonl(p, file.path());
            }
            byte[] bytes = Files.readAllBytes(p);
            String text = decode(bytes);
            return List.of(new Document(file.path(), file.path(), HTML.contains(extension(p)) ? HtmlText.of(text) : text,
                    sha256(bytes)));
        } catch (IOException e) {
            throw new LsgException(p + ": cannot read (" + e.getMessage() + ")", e);
        }
    }

    /**
     * The text of one document, read again from its file (to show a passage).
     *
     * @throws LsgException when the file or the record is gone
     */
    public String text(String file, String id) {
        for (Document d : read(new SourceFile(file, 0, 0))) {
            if (d.id().equals(id)) {
                return d.text();
            }
        }
        throw new LsgException(root + ": document \"" + id + "\" is no longer there");
    }

    private Path path(SourceFile file) {
        return jsonl ? root : root.resolve(file.path());
    }

    private static SourceFile source(Path p, String rel) throws IOException {
        BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
        return new SourceFile(rel, a.size(), a.lastModifiedTime().toMillis());
    }

    private static boolean readable(Path p) {
        String ext = extension(p);
        return TEXT.contains(ext) || HTML.contains(ext);
    }

    private static String extension(Path p) {
        String name = p.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static List<Document> readJsonl(Path p, String rel) throws IOException {
        List<Document> out = new ArrayList<>();
        Set<String> ids = new HashSet<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(Files.newInputStream(p),
                StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                        .onUnmappableCharacter(CodingErrorAction.REPLACE)))) {
            int lineNo = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode record;
                try {
                    record = JSON.readTree(line);
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new LsgException(p + ":" + lineNo + ": malformed JSON: " + e.getOriginalMessage());
                }
                if (!record.isObject() || !record.path("text").isTextual()) {
                    throw new LsgException(p + ":" + lineNo + ": expected an object with a string \"text\", found "
                            + (record.isObject() ? "text " + record.path("text").getNodeType().toString().toLowerCase(Locale.ROOT)
                            : record.getNodeType().toString().toLowerCase(Locale.ROOT)));
                }
                JsonNode idNode = record.path("id");
                String id = idNode.isTextual() || idNode.isNumber() ? idNode.asText() : "line " + lineNo;
                if (!ids.add(id)) {
                    throw new LsgException(p + ":" + lineNo + ": id \"" + id + "\" is used by an earlier line");
                }
                String text = record.get("text").asText();
                out.add(new Document(id, rel, text, sha256(text.getBytes(StandardCharsets.UTF_8))));
            }
        }
        return out;
    }

    private static String decode(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IllegalStateException("a replacing decoder does not fail", e);
        }
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
