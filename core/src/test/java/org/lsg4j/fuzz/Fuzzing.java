package org.lsg4j.fuzz;

import org.lsg4j.LsgException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

/**
 * What every fuzz target of lsg4j checks. An input may give a result or lsg4j's own error, an
 * {@link LsgException} whose message is one line; anything else escaping a target (an unchecked
 * exception, an {@link OutOfMemoryError} under the 512 MB heap the fuzz runs use, a stack
 * overflow) is a finding for Jazzer, and so are an input that takes longer than
 * {@value #SLOW_MS} ms (a hang in the making) and a file written where none should be.
 *
 * <p>Targets run in regression mode with the default {@code mvn test} (every file of their seed
 * corpus in {@code src/test/resources/<package>/<Class>Inputs/<method>/}) and fuzz with
 * {@code .ci/fuzz} ({@code JAZZER_FUZZ=1}).
 */
public final class Fuzzing {
    /** An input slower than this is a finding. */
    public static final long SLOW_MS = 10_000;
    /** An error message longer than this quotes too much of its input. */
    private static final int MAX_MESSAGE = 4000;

    private Fuzzing() {
    }

    /** Runs one input; lsg4j's own one-line error is an accepted outcome. */
    public static void run(Runnable target) {
        long start = System.nanoTime();
        try {
            target.run();
        } catch (LsgException e) {
            checkMessage(e.getMessage());
        }
        long ms = (System.nanoTime() - start) / 1_000_000;
        if (ms > SLOW_MS) {
            throw new AssertionError("one input took " + ms + " ms");
        }
    }

    /** Fails unless {@code message} is one non-empty line of bounded length. */
    public static void checkMessage(String message) {
        if (message == null || message.isBlank()) {
            throw new AssertionError("an LsgException without a message");
        }
        if (message.indexOf('\n') >= 0 || message.indexOf('\r') >= 0) {
            throw new AssertionError("a message of several lines: " + message);
        }
        if (message.length() > MAX_MESSAGE) {
            throw new AssertionError("a message of " + message.length() + " characters: "
                    + message.substring(0, 200) + "...");
        }
    }

    /** A scratch folder of the target, on tmpfs when the machine has one, emptied. */
    public static Path scratch(String name) {
        Path shm = Path.of("/dev/shm");
        Path root = Files.isDirectory(shm) && Files.isWritable(shm) ? shm : Path.of(System.getProperty("java.io.tmpdir"));
        Path dir = root.resolve("lsg4j-fuzz-" + name + "-" + ProcessHandle.current().pid());
        try {
            if (Files.exists(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        if (!p.equals(dir)) {
                            Files.delete(p);
                        }
                    }
                }
            } else {
                Files.createDirectories(dir);
                dir.toFile().deleteOnExit();
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Writes {@code bytes} to {@code dir/name}. */
    public static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path file = dir.resolve(name);
            Files.write(file, bytes);
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Fails when {@code dir} holds anything but {@code names}: a parser wrote a file. */
    public static void assertOnly(Path dir, Set<String> names) {
        try (Stream<Path> list = Files.list(dir)) {
            List<String> found = list.map(p -> p.getFileName().toString()).sorted().toList();
            if (!new TreeSet<>(names).containsAll(found)) {
                throw new AssertionError("files appeared in " + dir + ": " + found + ", expected only " + names);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Splits {@code data} at its first zero byte (the second part is empty when there is none). */
    public static byte[][] split(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] == 0) {
                return new byte[][] {java.util.Arrays.copyOf(data, i), java.util.Arrays.copyOfRange(data, i + 1, data.length)};
            }
        }
        return new byte[][] {data, new byte[0]};
    }
}
