package org.lsg4j.hub;

import java.util.Optional;
import org.lsg4j.LsgException;

/** The Hub answered that a file does not exist in a repository that does exist. */
final class MissingFileException extends LsgException {
    private static final long serialVersionUID = 1L;

    private final String commit;

    MissingFileException(String message, String commit) {
        super(message);
        this.commit = commit;
    }

    /** The commit the Hub looked at ({@code X-Repo-Commit}), when it said. */
    Optional<String> commit() {
        return Optional.ofNullable(commit);
    }
}
