package org.lsg4j;

/**
 * The one exception lsg4j throws for bad input: a missing or malformed file, a config that fails
 * validation, a tensor of the wrong shape. Its message is a single line meant for the user: which
 * file, which key or tensor, what was expected and what was found.
 */
public class LsgException extends RuntimeException {
    public LsgException(String message) {
        super(message);
    }

    public LsgException(String message, Throwable cause) {
        super(message, cause);
    }
}
