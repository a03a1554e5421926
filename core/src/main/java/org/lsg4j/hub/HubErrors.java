package org.lsg4j.hub;

import java.net.http.HttpResponse;
import org.lsg4j.LsgException;

/** Turns a failed Hub response into one line that says what went wrong and which address failed. */
final class HubErrors {
    private HubErrors() {
    }

    /**
     * The error for a response with a failing status.
     *
     * @param file the file asked for, or null for a question about the repository itself
     */
    static LsgException of(HttpResponse<?> response, ModelRef ref, String file, boolean tokenSent) {
        int status = response.statusCode();
        String code = response.headers().firstValue("X-Error-Code").orElse("");
        String url = response.uri().toString();
        String where = ": HTTP " + status + " from " + url;
        String tokenHint = tokenSent ? "the token sent was not accepted for it" : "no token was sent; set HF_TOKEN";
        if (status == 403 || code.equals("GatedRepo")) {
            return new LsgException("Access to model " + ref.repoId() + " is restricted (gated or private) and "
                    + tokenHint + where);
        }
        if (status == 401 || code.equals("RepoNotFound")) {
            return new LsgException("Model repository " + ref.repoId()
                    + " was not found, or it is private or gated and " + tokenHint + where);
        }
        if (code.equals("RevisionNotFound")) {
            return new LsgException("Revision '" + ref.revision() + "' of model " + ref.repoId() + " was not found"
                    + where);
        }
        if (status == 404 && file != null) {
            String commit = response.headers().firstValue("X-Repo-Commit").orElse(null);
            return new MissingFileException("File " + file + " was not found in model " + ref.repoId()
                    + " at revision " + ref.revision() + where, commit);
        }
        if (status == 404) {
            return new LsgException("Model repository " + ref.repoId() + " was not found" + where);
        }
        String message = response.headers().firstValue("X-Error-Message").map(m -> " (" + m + ")").orElse("");
        return new LsgException("Hub request failed" + where + message);
    }
}
