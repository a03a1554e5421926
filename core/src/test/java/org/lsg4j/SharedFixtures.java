package org.lsg4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import org.opentest4j.AssertionFailedError;
import org.opentest4j.TestAbortedException;

/**
 * The shared fixtures beside the checkout ({@code ../shared}, system property {@code lsg.shared}):
 * the full suite reads them; the checkout's own fixtures (core's test resources) are the quick run.
 *
 * <p>Registered for every test of every module by JUnit's extension auto-detection (core's test
 * resources {@code junit-platform.properties} and {@code META-INF/services}, which core's test-jar
 * brings to the other modules), it wraps every test, test factory, test class constructor and
 * set-up method. When {@code ../shared} is missing, a test that fails on a path under it is reported as <em>aborted</em> (skipped, with "needs ../shared" and the
 * path in the reason) rather than as a FileNotFoundException. With {@code -Dlsg.shared.required=true}
 * (what {@code .ci/run} passes) nothing is turned into a skip: a missing {@code ../shared} fails the
 * tests that need it, so CI always runs the full suite.
 */
public final class SharedFixtures implements InvocationInterceptor {
    /** The folder, as the tests name it in the paths they build. */
    public static final Path DIR = Path.of(System.getProperty("lsg.shared", "../shared"));
    private static final boolean REQUIRED = Boolean.getBoolean("lsg.shared.required");

    /** Whether the shared fixtures are there. */
    public static boolean present() {
        return Files.isDirectory(DIR.resolve("fixtures"));
    }

    /** Aborts the calling test (or fails it, when the shared fixtures are required) unless they are there. */
    public static void assumePresent(String what) {
        if (!present()) {
            String message = what + " needs the shared fixtures, not found at " + DIR;
            if (REQUIRED) {
                throw new AssertionFailedError(message + " (lsg.shared.required is set: CI runs the full suite)");
            }
            throw new TestAbortedException(message + ": skipped (the quick run of the checkout's own fixtures)");
        }
    }

    @Override
    public <T> T interceptTestClassConstructor(Invocation<T> invocation, ReflectiveInvocationContext<Constructor<T>> call,
            ExtensionContext context) throws Throwable {
        return proceed(invocation);
    }

    @Override
    public void interceptBeforeAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        proceed(invocation);
    }

    @Override
    public void interceptBeforeEachMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        proceed(invocation);
    }

    @Override
    public void interceptTestMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        proceed(invocation);
    }

    @Override
    public <T> T interceptTestFactoryMethod(Invocation<T> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        return proceed(invocation);
    }

    @Override
    public void interceptTestTemplateMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        proceed(invocation);
    }

    @Override
    public void interceptDynamicTest(Invocation<Void> invocation, DynamicTestInvocationContext call,
            ExtensionContext context) throws Throwable {
        proceed(invocation);
    }

    private static <T> T proceed(Invocation<T> invocation) throws Throwable {
        try {
            return invocation.proceed();
        } catch (Throwable t) {
            throw translated(t);
        }
    }

    /** A failure on a missing shared file becomes an abort naming the file; anything else is left as it is. */
    private static Throwable translated(Throwable t) {
        if (REQUIRED || present() || t instanceof TestAbortedException) {
            return t;
        }
        String dir = DIR.toString();
        String absolute = DIR.toAbsolutePath().normalize().toString();
        for (Throwable c = t; c != null; c = c.getCause()) {
            String m = String.valueOf(c.getMessage());
            if (m.contains(dir) || m.contains(absolute)) {
                return new TestAbortedException("needs the shared fixtures, not found at " + DIR
                        + ": skipped (the quick run of the checkout's own fixtures); it failed with " + c, t);
            }
        }
        return t;
    }
}
