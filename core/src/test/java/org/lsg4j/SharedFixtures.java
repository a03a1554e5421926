package org.lsg4j;

import java.nio.file.Files;
import java.nio.file.Path;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import org.junit.jupiter.api.extension.DynamicTestInvocationContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.InvocationInterceptor;
import org.junit.jupiter.api.extension.ReflectiveInvocationContext;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.TestPlan;
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
    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(SharedFixtures.class);
    private static final String SET_UP_SKIPPED = "setUpSkipped";

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
        try {
            proceed(invocation);
        } catch (TestAbortedException e) {
            context.getStore(STORE).put(SET_UP_SKIPPED, e);
            throw e;
        }
    }

    /** After a set-up skipped for want of the shared fixtures, the tear-down finds nothing set up: that is no failure. */
    @Override
    public void interceptAfterAllMethod(Invocation<Void> invocation, ReflectiveInvocationContext<Method> call,
            ExtensionContext context) throws Throwable {
        try {
            invocation.proceed();
        } catch (Throwable t) {
            TestAbortedException skipped = context.getStore(STORE).get(SET_UP_SKIPPED, TestAbortedException.class);
            if (skipped == null) {
                throw t;
            }
            skipped.addSuppressed(t);
        }
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

    /**
     * The skips, counted and named at the end of each test JVM's run (on stderr, which surefire
     * shows): a class whose set-up was skipped counts as no test in surefire's summary, so this line
     * is what says how much of the suite did not run. Registered in META-INF/services.
     */
    public static final class Report implements TestExecutionListener {
        private final List<String> skipped = new CopyOnWriteArrayList<>();

        @Override
        public void executionFinished(TestIdentifier test, TestExecutionResult result) {
            if (result.getStatus() == TestExecutionResult.Status.ABORTED && result.getThrowable()
                    .map(t -> String.valueOf(t.getMessage()).contains("needs the shared fixtures")).orElse(false)) {
                skipped.add(test.isContainer() ? test.getLegacyReportingName() : test.getDisplayName());
            }
        }

        @Override
        public void testPlanExecutionFinished(TestPlan plan) {
            if (!skipped.isEmpty()) {
                System.err.println("lsg4j: " + skipped.size() + " tests or test classes skipped, the shared fixtures not found at "
                        + DIR + " (the full suite needs them; .ci/run requires them): " + String.join(", ", skipped));
            }
        }
    }
}
