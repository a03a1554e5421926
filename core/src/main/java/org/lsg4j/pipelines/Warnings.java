package org.lsg4j.pipelines;

import java.util.function.Consumer;

/**
 * Where a pipeline's warnings go when its caller names no callback: the platform logger
 * ({@link System.Logger}, named after the pipeline's class, level WARNING), which java.util.logging,
 * SLF4J or Log4j route as the application configures them.
 */
final class Warnings {
    private Warnings() {
    }

    static Consumer<String> logged(Class<?> source) {
        System.Logger logger = System.getLogger(source.getName());
        return message -> logger.log(System.Logger.Level.WARNING, message);
    }
}
