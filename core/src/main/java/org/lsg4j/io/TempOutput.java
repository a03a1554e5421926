package org.lsg4j.io;

import org.lsg4j.LsgException;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Outputs written whole or not at all: a file or folder is made under a temporary name beside
 * its target ({@code .<name>.<pid>.<n>.lsg-tmp}) and moved into place only once complete, so a
 * failure leaves nothing. A temporary entry is deleted when the write fails, when the JVM stops
 * (a shutdown hook: SIGTERM or Ctrl-C mid-write), and otherwise (SIGKILL, power loss) by the next
 * run that writes into the same folder, which sweeps the temporary entries of processes that are
 * no longer alive.
 *
 * <p>The set of entries in progress is the one piece of process-wide state here, on purpose: a
 * shutdown hook belongs to the process, not to one caller.
 */
public final class TempOutput {
    private static final String SUFFIX = ".lsg-tmp";
    private static final Pattern NAME = Pattern.compile("\\..+\\.(\\d+)\\.\\d+" + Pattern.quote(SUFFIX));
    private static final Set<Path> PENDING = ConcurrentHashMap.newKeySet();
    private static volatile boolean hooked;

    private TempOutput() {
    }

    /**
     * A fresh temporary path beside {@code target} (not created), registered for deletion at
     * shutdown; stale temporary entries of dead processes in that folder are swept first.
     */
    public static Path beside(Path target) {
        Path absolute = target.toAbsolutePath().normalize();
        Path folder = absolute.getParent();
        if (folder != null && Files.isDirectory(folder)) {
            sweep(folder);
        }
        Path temp = absolute.resolveSibling("." + absolute.getFileName() + "." + ProcessHandle.current().pid() + "."
                + System.nanoTime() + SUFFIX);
        hook();
        PENDING.add(temp);
        return temp;
    }

    /** Moves a complete temporary entry over {@code target} (a file is replaced; a folder target must be absent or empty). */
    public static void commit(Path temp, Path target) throws IOException {
        if (Files.isDirectory(temp) && Files.isDirectory(target)) {
            Files.delete(target);   // an empty folder gives way; a non-empty one fails here, as it should
        }
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        PENDING.remove(temp);
    }

    /** Deletes a temporary entry (a file or a whole folder), best effort; failures go to {@code failure} as suppressed. */
    public static void discard(Path temp, Throwable failure) {
        try {
            FileTrees.deleteTree(temp);
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
        PENDING.remove(temp);
    }

    /** Deletes the temporary entries in {@code folder} left by processes that are no longer running. */
    static void sweep(Path folder) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(folder, "*" + SUFFIX)) {
            for (Path entry : entries) {
                Matcher m = NAME.matcher(entry.getFileName().toString());
                if (m.matches() && !alive(m.group(1))) {
                    FileTrees.deleteTree(entry);
                }
            }
        } catch (IOException | RuntimeException e) {
            // best effort: a folder we cannot list or clean is reported by the write itself
        }
    }

    private static boolean alive(String pid) {
        try {
            long id = Long.parseLong(pid);
            return id == ProcessHandle.current().pid() || ProcessHandle.of(id).map(ProcessHandle::isAlive).orElse(false);
        } catch (NumberFormatException e) {
            return true;   // not one of ours after all: leave it
        }
    }

    private static void hook() {
        if (hooked) {
            return;
        }
        synchronized (TempOutput.class) {
            if (!hooked) {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> PENDING.forEach(p -> discard(p, null)),
                        "lsg4j-temp-cleanup"));
                hooked = true;
            }
        }
    }

    /** The error for an output that cannot be written. */
    static LsgException cannotWrite(Path target, IOException e) {
        return new LsgException(target + ": cannot write (" + e.getMessage() + ")", e);
    }
}
