package org.lsg4j.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.lsg4j.LsgException;

/**
 * Downloads one blob into the cache: bytes go to {@code blobs/<etag>.incomplete}, an interrupted
 * download is resumed with a {@code Range} request, and the finished file is renamed to
 * {@code blobs/<etag>} in one step once its bytes match the hash the Hub sent ({@link #verify}), so a
 * blob that exists is always whole and the one the Hub named.
 *
 * <p>Threads of one instance take turns per blob; other processes are kept out with a lock on
 * {@code .locks/<repo>/<etag>.lock} (a POSIX record lock, which other lsg4j processes respect).
 */
final class BlobDownloader {
    private static final int BUFFER = 1 << 16;
    private static final int REPORT_EVERY = 1 << 20;

    private final ConcurrentHashMap<Path, ReentrantLock> locks = new ConcurrentHashMap<>();

    /**
     * Makes sure the blob is in the cache.
     *
     * @return true if it was downloaded now, false if it was already there
     */
    @SuppressWarnings("try") // the lock is held by the resource itself
    boolean fetch(HubHttp http, HubCache cache, ModelRef ref, String file, FileMetadata meta,
            ProgressListener progress) throws IOException {
        Path blob = cache.blob(ref, meta.etag());
        ReentrantLock lock = locks.computeIfAbsent(blob, b -> new ReentrantLock());
        lock.lock();
        try (FileChannel ignored = lockAcrossProcesses(cache.lockFile(ref, meta.etag()))) {
            if (Files.exists(blob)) {
                return false;
            }
            Path incomplete = cache.incomplete(ref, meta.etag());
            Files.createDirectories(incomplete.getParent());
            long have = Files.exists(incomplete) ? Files.size(incomplete) : 0;
            if (meta.size() >= 0 && have > meta.size()) {
                Files.delete(incomplete);
                have = 0;
            }
            if (meta.size() < 0 || have < meta.size()) {
                have = transfer(http, ref, file, meta, incomplete, have, progress);
            }
            if (meta.size() >= 0 && have != meta.size()) {
                throw new LsgException("Download of " + file + " from " + meta.location() + " stopped at " + have
                        + " of " + meta.size() + " bytes; run again to resume it");
            }
            verify(incomplete, file, meta);
            HubCache.moveReplacing(incomplete, blob);
            progress.finished(file);
            return true;
        } finally {
            lock.unlock();
        }
    }

    /** Fetches the rest of the file and returns how many bytes the incomplete file then holds. */
    private static long transfer(HubHttp http, ModelRef ref, String file, FileMetadata meta, Path incomplete,
            long have, ProgressListener progress) throws IOException {
        HttpResponse<InputStream> response = http.download(meta.location(), have, ref, file);
        int status = response.statusCode();
        if (status == 416) {
            // The server cannot continue from our offset: the partial file is not of this blob.
            response.body().close();
            if (have == 0) {
                throw new LsgException("Download of " + file + " failed: HTTP 416 from " + response.uri());
            }
            Files.delete(incomplete);
            return transfer(http, ref, file, meta, incomplete, 0, progress);
        }
        try (InputStream in = response.body()) {
            boolean append = status == 206;
            if (append && !rangeStartsAt(response, have)) {
                throw new LsgException("Download of " + file + " from " + response.uri()
                        + " resumed at the wrong offset (Content-Range: "
                        + response.headers().firstValue("Content-Range").orElse("none") + ", expected " + have + ")");
            }
            long done = append ? have : 0;
            progress.progress(file, done, meta.size());
            try (OutputStream out = Files.newOutputStream(incomplete, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    append ? StandardOpenOption.APPEND : StandardOpenOption.TRUNCATE_EXISTING)) {
                byte[] buffer = new byte[BUFFER];
                long reported = done;
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    out.write(buffer, 0, n);
                    done += n;
                    if (done - reported >= REPORT_EVERY) {
                        progress.progress(file, done, meta.size());
                        reported = done;
                    }
                }
            }
            progress.progress(file, done, meta.size());
            return done;
        }
    }

    /**
     * Checks the downloaded bytes against the hash the Hub named them by: the ETag of an LFS file is
     * the SHA-256 of its content (64 hex digits), that of a file kept in git is its git blob id, the
     * SHA-1 of {@code "blob <size>\0"} and the content (40 hex digits). Another form is not a hash
     * and is not checked. A mismatch deletes the download: the next run starts it again.
     */
    static void verify(Path downloaded, String file, FileMetadata meta) throws IOException {
        String etag = meta.etag().toLowerCase(java.util.Locale.ROOT);
        boolean sha256 = etag.matches("[0-9a-f]{64}");
        if (!sha256 && !etag.matches("[0-9a-f]{40}")) {
            return;
        }
        MessageDigest digest;
        try {
            digest = MessageDigest.getInstance(sha256 ? "SHA-256" : "SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256 and SHA-1", e);
        }
        if (!sha256) {
            digest.update(("blob " + Files.size(downloaded) + "\0").getBytes(StandardCharsets.US_ASCII));
        }
        try (InputStream in = Files.newInputStream(downloaded)) {
            byte[] buffer = new byte[BUFFER];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                digest.update(buffer, 0, n);
            }
        }
        String found = HexFormat.of().formatHex(digest.digest());
        if (!found.equals(etag)) {
            Files.delete(downloaded);
            throw new LsgException("Download of " + file + " from " + meta.location() + " is corrupt: its "
                    + (sha256 ? "SHA-256" : "git blob id") + " is " + found + ", the Hub sent " + etag
                    + "; deleted it, run again to download it anew");
        }
    }

    private static boolean rangeStartsAt(HttpResponse<?> response, long offset) {
        return response.headers().firstValue("Content-Range")
                .map(range -> range.strip().startsWith("bytes " + offset + "-"))
                .orElse(false);
    }

    /** Opens and locks the lock file; closing the returned channel releases the lock. */
    private static FileChannel lockAcrossProcesses(Path lockFile) throws IOException {
        Files.createDirectories(lockFile.getParent());
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            channel.lock();
            return channel;
        } catch (OverlappingFileLockException e) {
            channel.close();
            throw new LsgException("Another Hub instance in this program is already downloading " + lockFile.getFileName()
                    + "; share one Hub instead", e);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }
}
