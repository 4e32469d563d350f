package io.streamcast.deploy;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The embedded Helm of helm-java, loaded in a class loader of its own.
 *
 * <p>Implementation notes: helm-java binds its native Helm library through JNA 5.18 ({@code
 * jna-jpms}), while Deeplearning4j brings JNA 4.3 ({@code jna}, via oshi-core) onto the same test
 * class path. Both ship the {@code com.sun.jna} classes and the first on the class path wins, which
 * breaks helm-java ({@code NoSuchMethodError: Native.load}). Rather than change which JNA the job's
 * own code sees, this loader holds only helm-java, its native-library jar and the JPMS JNA jars, on
 * top of the platform class loader, and the chart tests call {@code Helm} through reflection.
 * helm-java finds its platform library with the thread's context class loader, so that is switched
 * for each call.
 */
final class IsolatedHelm {

    /** Outcome of {@code helm lint}. */
    record Lint(boolean failed, List<String> messages) {}

    private static final ClassLoader LOADER = createLoader();

    private IsolatedHelm() {}

    /** {@code helm lint --strict CHART}. */
    @SuppressWarnings("unchecked")
    static Lint lint(Path chart) {
        return withLoader(
                () -> {
                    Object lint = call(call(helm(chart), "lint"), "strict");
                    Object result = call(lint, "call");
                    return new Lint(
                            (Boolean) call(result, "isFailed"),
                            (List<String>) call(result, "getMessages"));
                });
    }

    /**
     * {@code helm template NAME CHART --namespace NAMESPACE [-f VALUES]}: the rendered manifests.
     */
    static String template(Path chart, String name, String namespace, Path valuesFile) {
        return withLoader(
                () -> {
                    Object command = call(helm(chart), "template");
                    command = call(command, "withName", name);
                    command = call(command, "withNamespace", namespace);
                    if (valuesFile != null) {
                        command =
                                command.getClass()
                                        .getMethod("withValuesFile", Path.class)
                                        .invoke(command, valuesFile);
                    }
                    return (String) call(command, "call");
                });
    }

    private static Object helm(Path chart) throws ReflectiveOperationException {
        return LOADER.loadClass("com.marcnuri.helm.Helm")
                .getConstructor(Path.class)
                .newInstance(chart);
    }

    private static Object call(Object target, String method, String... args)
            throws ReflectiveOperationException {
        Class<?>[] types = new Class<?>[args.length];
        java.util.Arrays.fill(types, String.class);
        return target.getClass().getMethod(method, types).invoke(target, (Object[]) args);
    }

    private interface Action<T> {
        T run() throws ReflectiveOperationException;
    }

    private static <T> T withLoader(Action<T> action) {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(LOADER);
        try {
            return action.run();
        } catch (InvocationTargetException e) {
            Throwable cause = e.getCause();
            throw cause instanceof RuntimeException r ? r : new IllegalStateException(cause);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("helm-java API changed?", e);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    private static ClassLoader createLoader() {
        ClassLoader testPath = IsolatedHelm.class.getClassLoader();
        Set<URL> jars = new LinkedHashSet<>();
        try {
            jars.add(jarOf(testPath.getResource("com/marcnuri/helm/Helm.class")));
            jars.add(jarOf(testPath.getResource("com/marcnuri/helm/jni/HelmLib.class")));
            for (URL u :
                    Collections.list(
                            testPath.getResources(
                                    "META-INF/services/com.marcnuri.helm.jni.NativeLibrary"))) {
                jars.add(jarOf(u));
            }
            for (String resource :
                    List.of("com/sun/jna/Native.class", "com/sun/jna/platform/FileUtils.class")) {
                for (URL u : Collections.list(testPath.getResources(resource))) {
                    if (u.toString().contains("-jpms-")) {
                        jars.add(jarOf(u));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (jars.size() < 5) {
            throw new IllegalStateException(
                    "helm-java, its native library or JNA (jpms) missing from the test class path: "
                            + jars);
        }
        return new URLClassLoader(
                "isolated-helm", jars.toArray(URL[]::new), ClassLoader.getPlatformClassLoader());
    }

    private static URL jarOf(URL resource) {
        if (resource == null) {
            throw new IllegalStateException("helm-java is not on the test class path");
        }
        String s = resource.toString();
        if (!s.startsWith("jar:") || !s.contains("!/")) {
            throw new IllegalStateException("expected a resource inside a jar: " + s);
        }
        try {
            return new URL(s.substring("jar:".length(), s.indexOf("!/")));
        } catch (MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }
}
