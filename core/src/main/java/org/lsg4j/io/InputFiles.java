package org.lsg4j.io;

import com.fasterxml.jackson.databind.JsonNode;
import org.lsg4j.LsgException;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

/**
 * Reads the small files of a model folder (config.json, tokenizer files, index files, token
 * files) with their limits checked first. The path must name a regular file, after following
 * symlinks: a FIFO would block forever and {@code /dev/zero} never ends. Its size must be within
 * the limit, and the bytes are counted again while reading, so a file that grows meanwhile is
 * refused too rather than read whole.
 */
public final class InputFiles {
    private InputFiles() {
    }

    /**
     * Checks that {@code file} is a regular file of at most {@code limit} bytes and returns its size.
     *
     * @param what names the file's role in messages ({@code "config.json"}, {@code "shard index"})
     * @throws LsgException naming the file when it is missing, not a regular file, or too large
     */
    public static long requireRegularFile(Path file, long limit, String what) {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            throw new LsgException(file + ": no such file (expected the " + what + ")");
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read the " + what + " (" + e.getMessage() + ")", e);
        }
        if (!attributes.isRegularFile()) {
            throw new LsgException(file + ": the " + what + " must be a regular file, found "
                    + (attributes.isDirectory() ? "a folder" : "a device, FIFO or socket"));
        }
        if (attributes.size() > limit) {
            throw new LsgException(file + ": the " + what + " has " + attributes.size() + " bytes, more than the "
                    + Limits.bytes(limit) + " lsg4j reads for it");
        }
        return attributes.size();
    }

    /** The bytes of a regular file of at most {@code limit} bytes (see {@link #requireRegularFile}). */
    public static byte[] read(Path file, long limit, String what) {
        long size = requireRegularFile(file, limit, what);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) Math.min(limit, size) + 1);
            if (bytes.length > limit) {
                throw new LsgException(file + ": the " + what + " grew past the " + Limits.bytes(limit)
                        + " lsg4j reads for it while being read");
            }
            return bytes;
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read the " + what + " (" + e.getMessage() + ")", e);
        }
    }

    /** The text of a regular file of at most {@code limit} bytes, which must be valid UTF-8. */
    public static String readUtf8(Path file, long limit, String what) {
        byte[] bytes = read(file, limit, what);
        Utf8.requireValid(bytes, 0, bytes.length, file.toString());
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /** The JSON document in a regular file of at most {@code limit} bytes (see {@link StrictJson}). */
    public static JsonNode readJson(Path file, long limit, String what) {
        return StrictJson.parse(read(file, limit, what), file.toString());
    }

    /** The JSON object in a regular file of at most {@code limit} bytes. */
    public static JsonNode readJsonObject(Path file, long limit, String what) {
        JsonNode node = readJson(file, limit, what);
        if (!node.isObject()) {
            throw new LsgException(file + ": the " + what + " must hold a JSON object, found " + StrictJson.kind(node));
        }
        return node;
    }

    /**
     * Opens a regular file of at most {@code limit} bytes for streaming, such as merges.txt, read
     * line by line with a {@link LineReader}.
     */
    public static InputStream open(Path file, long limit, String what) {
        requireRegularFile(file, limit, what);
        try {
            return new CappedInputStream(Files.newInputStream(file), limit, file + ": the " + what);
        } catch (IOException e) {
            throw new LsgException(file + ": cannot read the " + what + " (" + e.getMessage() + ")", e);
        }
    }

    /** Refuses to give more than {@code limit} bytes: the file grew after its size was checked. */
    private static final class CappedInputStream extends java.io.FilterInputStream {
        private final long limit;
        private final String what;
        private long count;

        CappedInputStream(InputStream in, long limit, String what) {
            super(in);
            this.limit = limit;
            this.what = what;
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) {
            count += n;
            if (count > limit) {
                throw new LsgException(what + " grew past the " + Limits.bytes(limit) + " lsg4j reads for it while being read");
            }
        }
    }
}
