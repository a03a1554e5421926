package org.lsg4j.server;

/**
 * A request that fails with an HTTP status and text-embeddings-inference's error body
 * {@code {"error": message, "error_type": type}} ({@code {"message", "code", "error_type"}} on the
 * OpenAI route). The statuses are TEI's: 400 empty batch, 413 too large, 422 validation, 424 the
 * model cannot do it, 429 overloaded, 503 unhealthy or out of time.
 */
final class ApiError extends RuntimeException {
    private final int status;
    private final String type;

    ApiError(int status, String type, String message) {
        super(message, null, false, false);
        this.status = status;
        this.type = type;
    }

    /** 422: a field is missing, has the wrong type, or its value is out of range; the message names it. */
    static ApiError validation(String message) {
        return new ApiError(422, "validation", message);
    }

    /** 400: a batch with no inputs. */
    static ApiError empty(String field) {
        return new ApiError(400, "empty", "`" + field + "` cannot be empty");
    }

    /** 413: too many inputs in one request, or a body over the payload limit. */
    static ApiError tooLarge(String message) {
        return new ApiError(413, "validation", message);
    }

    /** 424: the model has no head for this endpoint. */
    static ApiError noHead(String message) {
        return new ApiError(424, "backend", message);
    }

    /** 429: the inputs admitted at once are at their limit. */
    static ApiError overloaded() {
        return new ApiError(429, "overloaded", "Model is overloaded");
    }

    int status() {
        return status;
    }

    String type() {
        return type;
    }
}
