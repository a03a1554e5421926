package org.lsg4j.hub;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import org.lsg4j.LsgException;

/**
 * The Hugging Face cache folder, laid out as {@code huggingface_hub} lays it out, so that files
 * downloaded by Python are used as they are and the other way round:
 *
 * <pre>
 * &lt;cache&gt;/models--org--name/
 *     refs/&lt;revision&gt;                 the commit hash the branch or tag pointed to (no newline)
 *     blobs/&lt;etag&gt;                    file contents, named by the ETag the Hub sent
 *     snapshots/&lt;commit&gt;/&lt;file&gt;      relative symbolic link to ../../blobs/&lt;etag&gt; (a real file
 *                                     where the file system has no symbolic links)
 *     .no_exist/&lt;commit&gt;/&lt;file&gt;      empty marker: the file does not exist at that commit
 * &lt;cache&gt;/.locks/models--org--name/&lt;etag&gt;.lock
 * </pre>
 *
 * A revision with {@code /} in its name (such as {@code refs/pr/1}) is a nested path under
 * {@code refs/}; so is a file in a sub-folder under a snapshot. Instances are immutable and may be
 * shared between threads; the file system is the only state.
 */
public final class HubCache {
    private final Path root;

    /** A view of the cache in {@code root} (which need not exist yet). */
    public HubCache(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** The cache folder. */
    public Path root() {
        return root;
    }

    /** The folder of one model, such as {@code <cache>/models--org--name}. */
    public Path repoFolder(ModelRef ref) {
        return root.resolve(ref.folderName());
    }

    /** The file recording which commit a branch or tag pointed to. */
    public Path refFile(ModelRef ref) {
        return under(repoFolder(ref).resolve("refs"), ref.revision());
    }

    /**
     * The commit the reference stands for, as far as the cache knows: the content of
     * {@code refs/<revision>}, else the revision itself when it is a commit hash.
     */
    public Optional<String> commit(ModelRef ref) {
        Path refFile = refFile(ref);
        if (Files.isRegularFile(refFile)) {
            String commit = read(refFile).strip();
            if (!commit.isEmpty()) {
                return Optional.of(commit);
            }
        }
        return ref.isCommit() ? Optional.of(ref.revision()) : Optional.empty();
    }

    /** The snapshot folder of a commit: the folder a model is loaded from. */
    public Path snapshot(ModelRef ref, String commit) {
        return under(repoFolder(ref).resolve("snapshots"), commit);
    }

    /** The cached copy of a file at a commit, if it is there (a dangling link counts as absent). */
    public Optional<Path> file(ModelRef ref, String commit, String file) {
        Path path = under(snapshot(ref, commit), file);
        return Files.isRegularFile(path) ? Optional.of(path) : Optional.empty();
    }

    /** Whether the cache records that the file does not exist at that commit. */
    public boolean knownMissing(ModelRef ref, String commit, String file) {
        return Files.exists(noExistMarker(ref, commit, file));
    }

    /** Records which commit the reference's branch or tag points to; a commit hash needs no record. */
    void writeRef(ModelRef ref, String commit) {
        if (ref.revision().equals(commit)) {
            return;
        }
        Path refFile = refFile(ref);
        if (Files.isRegularFile(refFile) && read(refFile).equals(commit)) {
            return;
        }
        try {
            Files.createDirectories(refFile.getParent());
            Path temp = Files.createTempFile(refFile.getParent(), ".ref", ".tmp");
            Files.writeString(temp, commit, StandardCharsets.UTF_8);
            moveReplacing(temp, refFile);
        } catch (IOException e) {
            throw failure("could not write " + refFile, e);
        }
    }

    /** The blob holding the file with this ETag. */
    Path blob(ModelRef ref, String etag) {
        return under(repoFolder(ref).resolve("blobs"), etag);
    }

    /** Where a blob is written while its download is under way. */
    Path incomplete(ModelRef ref, String etag) {
        return under(repoFolder(ref).resolve("blobs"), etag + ".incomplete");
    }

    /** The lock file guarding the download of one blob. */
    Path lockFile(ModelRef ref, String etag) {
        return under(root.resolve(".locks").resolve(ref.folderName()), etag + ".lock");
    }

    /**
     * Makes {@code snapshots/<commit>/<file>} point at the blob: a relative symbolic link, or where
     * links are not supported the blob itself (moved when it was just downloaded, else copied).
     *
     * @return the snapshot file
     */
    Path link(ModelRef ref, String commit, String file, String etag, boolean newBlob) {
        Path blob = blob(ref, etag);
        Path target = under(snapshot(ref, commit), file);
        try {
            Files.createDirectories(target.getParent());
            Files.deleteIfExists(target);
            try {
                Files.createSymbolicLink(target, target.getParent().relativize(blob));
            } catch (FileAlreadyExistsException e) {
                if (!Files.isSameFile(target, blob)) {
                    throw e;
                }
            } catch (UnsupportedOperationException | FileSystemException e) {
                if (newBlob) {
                    moveReplacing(blob, target);
                } else {
                    Files.copy(blob, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return target;
        } catch (IOException e) {
            throw failure("could not link " + target + " to " + blob, e);
        }
    }

    /** Records that the file does not exist at the commit, as an empty {@code .no_exist} marker. */
    void markMissing(ModelRef ref, String commit, String file) {
        Path marker = noExistMarker(ref, commit, file);
        try {
            Files.createDirectories(marker.getParent());
            if (!Files.exists(marker)) {
                Files.createFile(marker);
            }
        } catch (FileAlreadyExistsException e) {
            // another thread or process recorded it first
        } catch (IOException e) {
            throw failure("could not write " + marker, e);
        }
    }

    /** Moves a finished file into place, atomically where the file system allows it. */
    static void moveReplacing(Path from, Path to) throws IOException {
        try {
            Files.move(from, to, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Path noExistMarker(ModelRef ref, String commit, String file) {
        return under(under(repoFolder(ref).resolve(".no_exist"), commit), file);
    }

    /** Resolves a {@code /}-separated relative name under a folder, refusing anything that leaves it. */
    private static Path under(Path folder, String name) {
        Path path = folder;
        for (String part : name.split("/", -1)) {
            if (part.isEmpty() || part.equals(".") || part.equals("..") || part.contains("\\")) {
                throw new LsgException("'" + name + "' is not a usable name in the Hugging Face cache");
            }
            path = path.resolve(part);
        }
        return path;
    }

    private static String read(Path file) {
        return org.lsg4j.io.InputFiles.readUtf8(file, org.lsg4j.io.Limits.SMALL_FILE_BYTES, "cache file");
    }

    private static LsgException failure(String what, IOException e) {
        return new LsgException(what + ": " + e.getMessage(), e);
    }
}
