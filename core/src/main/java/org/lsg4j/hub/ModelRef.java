package org.lsg4j.hub;

import java.util.regex.Pattern;
import org.lsg4j.LsgException;

/**
 * A model on the Hub: its repository id ({@code org/name} or just {@code name}) and a revision, which
 * is a branch, a tag or a commit hash. Written {@code org/name@revision}; the revision defaults to
 * {@code main}.
 *
 * @param repoId the repository id, such as {@code ccdv/lsg-roberta-base-4096}
 * @param revision the branch, tag or commit; may contain {@code /}, as in {@code refs/pr/1}
 */
public record ModelRef(String repoId, String revision) {
    /** The revision used when none is given. */
    public static final String DEFAULT_REVISION = "main";

    private static final Pattern REPO_ID = Pattern.compile("([\\w.-]+/)?[\\w.-]{1,96}");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /** Checks both parts: an id as the Hub accepts it and a revision that stays inside {@code refs/}. */
    public ModelRef {
        if (repoId == null || !REPO_ID.matcher(repoId).matches() || repoId.contains("--")
                || repoId.contains("..") || repoId.startsWith(".") || repoId.endsWith(".")) {
            throw new LsgException("'" + repoId + "' is not a Hugging Face model id (expected org/name)");
        }
        if (revision == null || revision.isBlank() || revision.startsWith("/") || revision.endsWith("/")
                || revision.contains("\\") || ("/" + revision + "/").contains("/../")
                || ("/" + revision + "/").contains("/./") || revision.contains("//")) {
            throw new LsgException("'" + revision + "' is not a usable revision for model " + repoId);
        }
    }

    /** Parses {@code org/name} or {@code org/name@revision}. */
    public static ModelRef parse(String text) {
        int at = text.lastIndexOf('@');
        return at < 0 ? new ModelRef(text, DEFAULT_REVISION) : new ModelRef(text.substring(0, at), text.substring(at + 1));
    }

    /** Whether the revision is a full 40-character commit hash rather than a branch or tag name. */
    public boolean isCommit() {
        return isCommitHash(revision);
    }

    /** The cache folder name of the repository, such as {@code models--org--name}. */
    public String folderName() {
        return "models--" + repoId.replace("/", "--");
    }

    @Override
    public String toString() {
        return repoId + "@" + revision;
    }

    static boolean isCommitHash(String text) {
        return COMMIT.matcher(text).matches();
    }
}
