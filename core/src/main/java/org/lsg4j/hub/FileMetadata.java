package org.lsg4j.hub;

import java.net.URI;

/**
 * What the Hub said about one file before it is downloaded.
 *
 * @param commit the commit the file was resolved at ({@code X-Repo-Commit})
 * @param etag the blob name: {@code X-Linked-Etag} for large (LFS) files, else {@code ETag}, without
 *     quotes or the weak {@code W/} prefix
 * @param size the size in bytes ({@code X-Linked-Size}, else {@code Content-Length}), or -1 if unknown
 * @param location where the bytes are fetched from: the resolve address, or the absolute redirect
 *     target, such as a CDN
 */
record FileMetadata(String commit, String etag, long size, URI location) {
    /** Strips the weak prefix {@code W/} and surrounding quotes from an ETag header value. */
    static String normalizeEtag(String header) {
        String etag = header.strip();
        if (etag.startsWith("W/")) {
            etag = etag.substring(2);
        }
        if (etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\"")) {
            etag = etag.substring(1, etag.length() - 1);
        }
        return etag;
    }
}
