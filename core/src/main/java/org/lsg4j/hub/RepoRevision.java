package org.lsg4j.hub;

import java.util.List;

/**
 * What the Hub said about one revision of a repository.
 *
 * @param commit the 40-character commit hash the revision points to
 * @param files the names of all files at that commit, {@code /}-separated
 */
record RepoRevision(String commit, List<String> files) {
    /** Copies the file list. */
    RepoRevision {
        files = List.copyOf(files);
    }
}
